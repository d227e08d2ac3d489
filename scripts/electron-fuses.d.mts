// Types for scripts/electron-fuses.mjs, so the TypeScript tests can import it.
import type { FuseV1Config } from '@electron/fuses';

export declare const FUSES: Readonly<FuseV1Config & { strictlyRequireAllFuses: true }>;
export declare function expectedWire(config?: FuseV1Config): Record<string, number>;
export declare function checkFuses(binary: string, config?: FuseV1Config): Promise<string[]>;
export declare function applyFuses(binary: string, options?: { platform?: string; arch?: string }): Promise<void>;
export default function afterPack(context: {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}): Promise<void>;
