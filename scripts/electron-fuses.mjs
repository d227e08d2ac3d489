#!/usr/bin/env node
// Electron's fuses for a packaged Switchyard: switches compiled into the Electron binary
// that no command-line flag or environment variable can turn back on. They are flipped
// on the packaged copy of the binary, never on node_modules/electron (whose app is a
// folder, not an asar, so OnlyLoadAppFromAsar would stop `npm start`).
//
//   node scripts/electron-fuses.mjs <Electron binary | .app>           flip, then verify
//   node scripts/electron-fuses.mjs --check <Electron binary | .app>   verify only
//
// electron-builder: `afterPack: "scripts/electron-fuses.mjs"` (the default export).
// See docs/security.md, "Electron host".
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FuseState, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';

/** The fuse settings, in this one place. Every fuse is set explicitly (strict). */
export const FUSES = Object.freeze({
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // No `ELECTRON_RUN_AS_NODE`: the app binary cannot be used as a plain Node.
  [FuseV1Options.RunAsNode]: false,
  // Cookies on disk encrypted with the OS keychain's key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // No code injected through NODE_OPTIONS / NODE_EXTRA_CA_CERTS-style variables...
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // ...nor through --inspect / --inspect-brk debugger flags.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The asar's hash is checked against the one embedded at packaging (macOS, Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // The app is loaded only from app.asar, never from a folder planted beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The renderer is served from app://, so file:// keeps no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
});

/** The fuse wire byte each configured fuse must read back as. */
export function expectedWire(config = FUSES) {
  return Object.fromEntries(
    Object.values(FuseV1Options)
      .filter((index) => typeof index === 'number' && config[index] !== undefined)
      .map((index) => [index, config[index] ? FuseState.ENABLE : FuseState.DISABLE]),
  );
}

/** The fuses that differ from `config` in the binary, as `Name: found, wanted` lines. */
export async function checkFuses(binary, config = FUSES) {
  const wire = await getCurrentFuseWire(binary);
  const describe = (state) => (state === FuseState.ENABLE ? 'on' : state === FuseState.DISABLE ? 'off' : `state ${state}`);
  return Object.entries(expectedWire(config))
    .filter(([index, state]) => wire[index] !== state && wire[index] !== FuseState.REMOVED)
    .map(([index, state]) => `${FuseV1Options[index]}: ${describe(wire[index])}, wanted ${describe(state)}`);
}

/**
 * Flips the fuses on `binary` and reads them back; throws if any did not take. On Apple
 * Silicon the ad-hoc signature must be redone after the binary changed.
 */
export async function applyFuses(binary, { platform = process.platform, arch = process.arch } = {}) {
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64' });
  const wrong = await checkFuses(binary);
  if (wrong.length > 0) throw new Error(`fuses did not take on ${binary}:\n  ${wrong.join('\n  ')}`);
}

// electron-builder's Arch enum (ia32, x64, armv7l, arm64, universal), for afterPack.
const BUILDER_ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** electron-builder's afterPack hook: fuses on the packaged binary before it is signed. */
export default async function afterPack(context) {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  const name = packager.appInfo.productFilename;
  const binary =
    platform === 'darwin'
      ? join(appOutDir, `${name}.app`)
      : platform === 'win32'
        ? join(appOutDir, `${name}.exe`)
        : join(appOutDir, packager.executableName ?? name);
  const arch = BUILDER_ARCH[context.arch];
  await applyFuses(binary, { platform, arch: arch === 'universal' ? 'arm64' : arch });
  console.log(`Electron fuses set on ${binary}`);
}

async function main(argv) {
  const check = argv[0] === '--check';
  const binary = check ? argv[1] : argv[0];
  if (!binary) {
    console.error('usage: node scripts/electron-fuses.mjs [--check] <Electron binary or .app>');
    return 2;
  }
  if (!check) await applyFuses(binary);
  const wrong = await checkFuses(binary);
  if (wrong.length > 0) {
    console.error(`Electron fuses not as configured on ${binary}:\n  ${wrong.join('\n  ')}`);
    return 1;
  }
  console.log(`Electron fuses ${check ? 'verified' : 'set'} on ${binary}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`electron-fuses: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
