/**
 * The API token, encrypted with the OS keychain through Electron's safeStorage and kept
 * in a 0600 file. The cipher is passed in, so this module needs no electron import.
 *
 * Without a real keychain the token is not stored at all (the user is told to set
 * SWITCHYARD_API_TOKEN). On Linux that includes safeStorage's `basic_text` backend: it
 * "encrypts" with a key hard-coded in Chromium, which protects nothing.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { SecretStore } from '../core/settings/secret-store.js';
import { TOKEN_ENV } from '../core/settings/secret-store.js';
import { SwitchyardError } from '../shared/errors.js';

/** The part of Electron's `safeStorage` we use, described structurally. */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (absent elsewhere): which keyring backs the encryption. */
  getSelectedStorageBackend?(): string;
}

/** The OS offers no keychain; saving a token in clear text would be worse than refusing. */
export class KeychainUnavailable extends SwitchyardError {
  override name = 'KeychainUnavailable';
}

export type KeychainStatus = { available: true } | { available: false; reason: string };

/** Whether `cipher` really protects a secret; `basic_text` counts as no keychain. */
export function keychainStatus(cipher: StringCipher): KeychainStatus {
  if (!cipher.isEncryptionAvailable()) return { available: false, reason: 'the OS keychain is not available' };
  const backend = typeof cipher.getSelectedStorageBackend === 'function' ? cipher.getSelectedStorageBackend() : undefined;
  if (backend === 'basic_text') {
    return {
      available: false,
      reason: 'no OS keychain was found (no Secret Service or KWallet), only an unprotected fallback',
    };
  }
  return { available: true };
}

export class EncryptedSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: StringCipher,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Asked once per use: a keyring daemon can come and go while the app runs. */
  keychain(): KeychainStatus {
    return keychainStatus(this.cipher);
  }

  /**
   * `SWITCHYARD_API_TOKEN` wins, as in the headless host. Without a keychain a stored
   * file is not read: one written under `basic_text` is as good as clear text.
   */
  get(): string | undefined {
    const fromEnv = this.env[TOKEN_ENV];
    if (fromEnv) return fromEnv;
    if (!existsSync(this.file) || !this.keychain().available) return undefined;
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
    const keychain = this.keychain();
    if (!keychain.available) {
      throw new KeychainUnavailable(
        `${keychain.reason}, so the token cannot be stored safely; set ${TOKEN_ENV} in the environment instead`,
      );
    }
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, this.cipher.encryptString(value), { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
