/**
 * The Electron host: one hardened window, the core, and the contract over IPC.
 * The only main-process file that imports electron; every decision it applies (renderer
 * URL, navigation, external links, CSP, sender checks, the `app://` files) is a pure
 * function of a sibling module, unit-tested there. See docs/security.md.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Notification, app, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import type { Desktop } from '../core/desktop/index.js';
import { createDesktop } from '../core/desktop/index.js';
import { resolveDataDir } from '../shared/data-dir.js';
import { appProtocolHandler } from './app-protocol.js';
import { EncryptedSecretStore } from './encrypted-secret-store.js';
import { serveFolderPicker } from './folder-picker.js';
import type { DesktopBridge } from './desktop-bridge.js';
import { startDesktopBridge } from './desktop-bridge.js';
import { notifyFromCore } from './os-notifications.js';
import { describeRefusedLink, externalLinkDecision } from './external-links.js';
import { isOurWindowSender, serveContractOverIpc } from './ipc-contract.js';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.js';
import { APP_SCHEME, chooseRendererUrl, navigationDecision } from './security-policy.js';

const here = dirname(fileURLToPath(import.meta.url));
let core: Desktop | undefined;

// One folder for the app, whatever picks it: productName "Switchyard" already names
// Electron's userData folder like the data folder, and SWITCHYARD_DATA_DIR moves both
// (Chromium's profile beside our database), so two instances never share a profile.
const dataDir = resolveDataDir({ env: process.env, platform: process.platform, homedir: homedir() });
app.setPath('userData', dataDir);
let window: BrowserWindow | undefined;
/** The CLI's way in (docs/cli.md); closed before the core on quit. */
let bridge: DesktopBridge | undefined;

// Must happen before `ready`: app:// becomes a standard, secure scheme, so the page has
// an origin of its own (app://switchyard) instead of file://. Not `corsEnabled`: that
// privilege would let other origins read our files; our own loads are same-origin.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** Chosen once: app:// always, a loopback dev server only in development. */
const renderer = chooseRendererUrl({ isPackaged: app.isPackaged, devUrl: process.env.ELECTRON_RENDERER_URL });
if (renderer.refused) console.warn(`switchyard: ${renderer.refused}; loading ${renderer.url}`);

/** Links the user asks to open go to the OS browser only if allow-listed; the rest are logged. */
function openOutside(url: string): void {
  const decision = externalLinkDecision(url);
  if (!decision.allowed) {
    console.warn(describeRefusedLink(url, decision.reason));
    return;
  }
  shell.openExternal(decision.url).catch((error: unknown) => console.warn('switchyard: could not open a link:', error)); // eng-disable OPEN_EXTERNAL_JS_CHECK
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
      preload: join(here, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      // Middle-click would otherwise open links in a new window outside will-navigate.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(renderer.url);
  return win;
}

async function start(): Promise<void> {
  // Our own build of better-sqlite3 for Electron's ABI (scripts/electron-native.mjs);
  // node_modules keeps Node's build for the tests and the headless host.
  const nativeBinding = join(app.getAppPath(), '.electron-native', 'better_sqlite3.node');
  const secrets = new EncryptedSecretStore(join(dataDir, 'api-token.enc'), safeStorage);
  const keychain = secrets.keychain();
  if (!keychain.available) console.warn(`switchyard: ${keychain.reason}; the API token can only come from SWITCHYARD_API_TOKEN`);
  core = await createDesktop({
    dataDir,
    host: 'electron',
    secrets,
    nativeBinding: existsSync(nativeBinding) ? nativeBinding : undefined,
    agents: { builtinManifestDir: join(app.getAppPath(), 'resources', 'agents') },
  });
  // A CLI that cannot reach the desktop is worth a warning, not a desktop that will not start.
  bridge = await startDesktopBridge({ core, dataDir }).catch((error: unknown) => {
    console.warn('switchyard: the CLI bridge did not start:', error);
    return undefined;
  });

  protocol.handle(APP_SCHEME, appProtocolHandler(join(here, '../renderer')));
  // The dev server's responses get the same CSP as app:// (which sets it itself).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  window = createWindow();
  const fromOurWindow = isOurWindowSender(() =>
    window && !window.isDestroyed() ? { webContentsId: window.webContents.id, rendererUrl: renderer.url } : undefined,
  );
  serveContractOverIpc(ipcMain, core, fromOurWindow, () => window?.webContents);
  serveFolderPicker(ipcMain, fromOurWindow, () =>
    window && !window.isDestroyed()
      ? dialog.showOpenDialog(window, { properties: ['openDirectory'], title: 'Choose the workspace (a git repository)' })
      : dialog.showOpenDialog({ properties: ['openDirectory'] }),
  );
  if (Notification.isSupported()) {
    notifyFromCore(core, {
      windowFocused: () => window !== undefined && !window.isDestroyed() && window.isFocused(),
      show: ({ title, body }) => {
        const shown = new Notification({ title, body });
        shown.on('click', () => window?.show());
        shown.show();
      },
    });
  }
}

// Every webContents, ours or not: no webviews, no navigation away from our page (by a
// link, a redirect or in a sub-frame), no new windows.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    if (navigationDecision(event.url, renderer.url) === 'allow') return;
    event.preventDefault();
    openOutside(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (navigationDecision(event.url, renderer.url) === 'deny') event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (navigationDecision(event.url, renderer.url) === 'deny') event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !core) return;
  // Stop every agent before the process goes, so no child is left behind.
  event.preventDefault();
  quitting = true;
  void (bridge?.close() ?? Promise.resolve())
    .catch((error: unknown) => console.warn('switchyard: closing the CLI bridge:', error))
    .then(() => core?.close())
    .finally(() => app.exit(0));
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
