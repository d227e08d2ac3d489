/**
 * The Electron host: one hardened window, the core, and the contract over IPC.
 * The only main-process file that imports electron; everything else is plain Node.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, ipcMain, safeStorage, session, shell } from 'electron';
import type { Core } from '../core/core.js';
import { createCore } from '../core/core.js';
import { DATA_DIR_ENV } from '../core/data-dir.js';
import { EncryptedSecretStore } from './encrypted-secret-store.js';
import { serveContractOverIpc } from './ipc-contract.js';
import { CONTENT_SECURITY_POLICY } from './security-policy.js';

const here = dirname(fileURLToPath(import.meta.url));
let core: Core | undefined;
let window: BrowserWindow | undefined;

/** The URL our renderer is loaded from: the dev server in development, the built file otherwise. */
function rendererUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && dev) return dev;
  return new URL(`file://${join(here, '../renderer/index.html')}`).href;
}

function isOurPage(url: string | undefined): boolean {
  if (!url) return false;
  const ours = new URL(rendererUrl());
  const given = new URL(url);
  return given.protocol === ours.protocol && given.host === ours.host && given.pathname === ours.pathname;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Switchyard',
    icon: join(app.getAppPath(), 'resources', 'icon.png'),
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from our page and no new windows; links open in the OS browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOurPage(url)) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(rendererUrl());
  return win;
}

async function start(): Promise<void> {
  // Our own build of better-sqlite3 for Electron's ABI (scripts/electron-native.mjs);
  // node_modules keeps Node's build for the tests and the headless host.
  const nativeBinding = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');
  const dataDir = process.env[DATA_DIR_ENV] || app.getPath('userData');
  core = await createCore({
    dataDir,
    host: 'electron',
    secrets: new EncryptedSecretStore(join(dataDir, 'api-token.enc'), safeStorage),
    nativeBinding: existsSync(nativeBinding) ? nativeBinding : undefined,
    agents: { builtinManifestDir: join(app.getAppPath(), 'resources', 'agents') },
  });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));

  window = createWindow();
  serveContractOverIpc(
    ipcMain,
    core,
    (event) => event.sender.id === window?.webContents.id && isOurPage(event.senderFrame?.url),
    () => window?.webContents,
  );
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !core) return;
  // Stop every agent before the process goes, so no child is left behind.
  event.preventDefault();
  quitting = true;
  void core.close().finally(() => app.exit(0));
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (core && BrowserWindow.getAllWindows().length === 0) window = createWindow();
});

app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    console.error('switchyard failed to start:', error);
    app.exit(1);
  });
