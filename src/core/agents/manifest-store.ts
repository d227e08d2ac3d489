/**
 * Agent manifests from two folders: the ones shipped in resources/agents and the
 * user's own (`<dataDir>/agents`). A user manifest overrides a shipped one of the same
 * type, so a developer can point the shipped `command` adapter at their own CLI.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { AgentManifest } from '../../shared/manifest.js';
import { AgentManifest as AgentManifestSchema } from '../../shared/manifest.js';
import { DependencyMissing, ManifestExists } from '../../shared/errors.js';

export type ManifestSource = 'builtin' | 'user';

/** A manifest and where it came from; relative paths resolve against `folder`. */
export interface LoadedManifest {
  manifest: AgentManifest;
  source: ManifestSource;
  file: string;
  folder: string;
}

/** A manifest file that could not be used, and why. */
export interface ManifestProblem {
  file: string;
  message: string;
}

export interface ManifestFolders {
  /** Shipped manifests; absent when the host has none. */
  builtinDir?: string;
  /** The user's manifests; `manifests.install` writes here. */
  userDir: string;
}

/** What a supervised agent is started with, after path resolution. */
export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
}

export class ManifestStore {
  constructor(private readonly folders: ManifestFolders) {}

  /** Reads both folders afresh, so files dropped in by hand show up without a restart. */
  load(): { manifests: LoadedManifest[]; problems: ManifestProblem[] } {
    const byType = new Map<string, LoadedManifest>();
    const problems: ManifestProblem[] = [];
    const sources: [string | undefined, ManifestSource][] = [
      [this.folders.builtinDir, 'builtin'],
      [this.folders.userDir, 'user'],
    ];
    for (const [dir, source] of sources) {
      if (!dir) continue;
      for (const file of jsonFiles(dir)) {
        const loaded = readManifest(dir, file, source);
        if ('message' in loaded) problems.push(loaded);
        else byType.set(loaded.manifest.type, loaded);
      }
    }
    const manifests = [...byType.values()].sort((a, b) => a.manifest.type.localeCompare(b.manifest.type));
    return { manifests, problems };
  }

  get(type: string): LoadedManifest | undefined {
    return this.load().manifests.find((loaded) => loaded.manifest.type === type);
  }

  /**
   * Installs a parsed manifest into the user folder, atomically (temp file + rename),
   * after checking that every dependency is an available type.
   */
  install(manifest: AgentManifest, options: { replace: boolean; isAvailable: (type: string) => boolean }): LoadedManifest {
    const missing = manifest.dependencies.filter(
      (dep) => dep !== manifest.type && !this.get(dep) && !options.isAvailable(dep),
    );
    if (missing.length > 0) throw new DependencyMissing(manifest.type, missing);
    const dir = this.folders.userDir;
    const file = join(dir, `${manifest.type}.json`);
    const existing = this.load().manifests.find((m) => m.manifest.type === manifest.type && m.source === 'user');
    if (existing && !options.replace) throw new ManifestExists(manifest.type);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${manifest.type}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    // A differently named file of the same type would shadow or be shadowed: drop it.
    if (existing && existing.file !== file) rmSync(existing.file, { force: true });
    return { manifest, source: 'user', file, folder: dir };
  }
}

/**
 * Resolves a manifest's command, args and cwd. `cwd` defaults to the manifest's folder
 * and resolves against it when relative; a command or an argument that starts with
 * `./` or `../` resolves against the folder too (so `["./echo.mjs"]` works wherever
 * the app is installed); anything else is passed as written.
 */
export function launchSpec(loaded: LoadedManifest): LaunchSpec {
  const { manifest, folder } = loaded;
  const relative = (value: string): string =>
    value.startsWith('./') || value.startsWith('../') ? resolve(folder, value) : value;
  const cwd = manifest.cwd === undefined ? folder : isAbsolute(manifest.cwd) ? manifest.cwd : resolve(folder, manifest.cwd);
  return { command: relative(manifest.command), args: manifest.args.map(relative), cwd };
}

function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
}

function readManifest(dir: string, name: string, source: ManifestSource): LoadedManifest | ManifestProblem {
  const file = join(dir, name);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { file, message: `not readable JSON: ${(error as Error).message}` };
  }
  const result = AgentManifestSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    return { file, message: `invalid manifest: ${issues.join('; ')}` };
  }
  return { manifest: result.data, source, file, folder: dir };
}
