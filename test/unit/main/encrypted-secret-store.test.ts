/**
 * The desktop token store with a fake cipher standing in for Electron's safeStorage (a
 * reversible transform, so the file on disk is visibly not the token), on real files.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StringCipher } from '../../../src/main/encrypted-secret-store.js';
import { EncryptedSecretStore, KeychainUnavailable, keychainStatus } from '../../../src/main/encrypted-secret-store.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const TOKEN = 'sy_token_0123456789';

function fakeCipher(options: { available?: boolean; backend?: string } = {}): StringCipher & { backend?: string } {
  const cipher: StringCipher & { backend?: string } = {
    backend: options.backend,
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (plain) => Buffer.from(`enc:${Buffer.from(plain).toString('base64')}`),
    decryptString: (encrypted) => {
      const text = encrypted.toString();
      if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(text.slice(4), 'base64').toString();
    },
  };
  // Like Electron: the method exists on Linux only.
  if (options.backend !== undefined) cipher.getSelectedStorageBackend = () => options.backend as string;
  return cipher;
}

describe('EncryptedSecretStore', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir('sy-secret-');
    file = join(dir.path, 'api-token.enc');
  });
  afterEach(() => dir.remove());

  it.each([
    ['macOS / Windows (no backend method)', undefined],
    ['Linux with the Secret Service', 'gnome_libsecret'],
    ['Linux with KWallet', 'kwallet5'],
  ])('on %s: stores the token encrypted in a 0600 file and reads it back', (_platform, backend) => {
    const store = new EncryptedSecretStore(file, fakeCipher({ backend }), {});
    store.set(TOKEN);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.tmp`)).toBe(false);
    expect(new EncryptedSecretStore(file, fakeCipher({ backend }), {}).get()).toBe(TOKEN);

    store.set(null);
    expect(existsSync(file)).toBe(false);
    expect(store.get()).toBeUndefined();
  });

  it('lets SWITCHYARD_API_TOKEN win over the stored token', () => {
    new EncryptedSecretStore(file, fakeCipher(), {}).set(TOKEN);
    expect(new EncryptedSecretStore(file, fakeCipher(), { SWITCHYARD_API_TOKEN: 'from-env' }).get()).toBe('from-env');
  });

  it('reads an undecryptable file as no token rather than failing', () => {
    writeFileSync(file, 'garbage', { mode: 0o600 });
    expect(new EncryptedSecretStore(file, fakeCipher(), {}).get()).toBeUndefined();
  });

  it.each([
    ['no keychain at all', { available: false }, /the OS keychain is not available/],
    ['the basic_text backend (a hard-coded key)', { available: true, backend: 'basic_text' }, /no OS keychain was found/],
  ])('with %s: refuses to save, says to use SWITCHYARD_API_TOKEN, and writes nothing', (_what, options, reason) => {
    const store = new EncryptedSecretStore(file, fakeCipher(options), {});
    let thrown: unknown;
    try {
      store.set(TOKEN);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KeychainUnavailable);
    expect((thrown as Error).name).toBe('KeychainUnavailable');
    expect((thrown as Error).message).toMatch(reason);
    expect((thrown as Error).message).toMatch(/set SWITCHYARD_API_TOKEN/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('under basic_text ignores a file an earlier version stored, but still takes the environment variable', () => {
    new EncryptedSecretStore(file, fakeCipher(), {}).set(TOKEN); // as if stored earlier
    const cipher = fakeCipher({ backend: 'basic_text' });
    expect(new EncryptedSecretStore(file, cipher, {}).get()).toBeUndefined();
    expect(new EncryptedSecretStore(file, cipher, { SWITCHYARD_API_TOKEN: 'from-env' }).get()).toBe('from-env');
    // Clearing the token still deletes that file.
    new EncryptedSecretStore(file, cipher, {}).set(null);
    expect(existsSync(file)).toBe(false);
  });
});

describe('keychainStatus', () => {
  it('counts only a real keyring as a keychain', () => {
    expect(keychainStatus(fakeCipher())).toEqual({ available: true });
    expect(keychainStatus(fakeCipher({ backend: 'kwallet6' }))).toEqual({ available: true });
    expect(keychainStatus(fakeCipher({ backend: 'basic_text' })).available).toBe(false);
    expect(keychainStatus(fakeCipher({ available: false })).available).toBe(false);
  });
});
