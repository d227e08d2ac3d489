/**
 * The API token, encrypted with the OS keychain through Electron's safeStorage and kept
 * in a 0600 file. The cipher is passed in, so this module needs no electron import.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../core/settings/secret-store.js';
import { TOKEN_ENV } from '../core/settings/secret-store.js';
import { SwitchyardError } from '../shared/errors.js';

export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The OS offers no keychain; saving a token in clear text would be worse than refusing. */
export class KeychainUnavailable extends SwitchyardError {
  override name = 'KeychainUnavailable';
}

export class EncryptedSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: StringCipher,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** `SWITCHYARD_API_TOKEN` wins, as in the headless host. */
  get(): string | undefined {
    const fromEnv = this.env[TOKEN_ENV];
    if (fromEnv) return fromEnv;
    if (!existsSync(this.file) || !this.cipher.isEncryptionAvailable()) return undefined;
    try {
      return this.cipher.decryptString(readFileSync(this.file));
    } catch {
      return undefined;
    }
  }

  set(value: string | null): void {
    if (value === null) {
      rmSync(this.file, { force: true });
      return;
    }
    if (!this.cipher.isEncryptionAvailable()) {
      throw new KeychainUnavailable(
        'the OS keychain is not available, so the token cannot be stored safely; set SWITCHYARD_API_TOKEN instead',
      );
    }
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, this.cipher.encryptString(value), { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
