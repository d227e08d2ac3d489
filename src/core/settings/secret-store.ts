/**
 * Where the API token lives. Never in the settings table, never in a log or a trace.
 *
 * The Electron host supplies a store backed by safeStorage; headless hosts use an
 * environment variable or a file readable by its owner only.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { API_TOKEN_ENV } from '../../shared/config.js';
import { writePrivateFile } from '../private-files.js';

export interface SecretStore {
  get(): string | undefined;
  set(value: string | null): void;
}

/** The environment variable that overrides any stored token in headless hosts. */
export const TOKEN_ENV = API_TOKEN_ENV;

/**
 * A token in a 0600 file, written atomically; `SWITCHYARD_API_TOKEN` wins when set.
 */
export class FileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get(): string | undefined {
    const fromEnv = this.env[TOKEN_ENV];
    if (fromEnv) return fromEnv;
    if (!existsSync(this.file)) return undefined;
    const value = readFileSync(this.file, 'utf8').trim();
    return value === '' ? undefined : value;
  }

  set(value: string | null): void {
    if (value === null) {
      rmSync(this.file, { force: true });
      return;
    }
    writePrivateFile(this.file, value);
  }
}

/** A store that keeps the token in memory only (tests, and the CLI's one-shot runs). */
export class MemorySecretStore implements SecretStore {
  private value: string | undefined;
  get(): string | undefined {
    return this.value;
  }
  set(value: string | null): void {
    this.value = value ?? undefined;
  }
}
