/**
 * The Sy-Token derivation: our SHA-256 agrees with node:crypto on any input, and the
 * header value is the domain-separated digest, never the token or its plain hash.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../../../src/shared/sha256.js';
import { SY_TOKEN_DOMAIN, deriveSyToken, isSyTokenValue } from '../../../src/shared/sy-token.js';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('sha256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    const enc = new TextEncoder();
    expect(toHex(sha256(enc.encode('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(enc.encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto on arbitrary input, across block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => toHex(sha256(bytes)) === nodeSha256(bytes)),
      { numRuns: 500 },
    );
  });
});

describe('deriveSyToken', () => {
  it('is sha256 of the domain string and the token, in hex', () => {
    const token = 'alice:s3cret-password';
    expect(deriveSyToken(token)).toBe(createHash('sha256').update(`switchyard sy-token v1\0${token}`).digest('hex'));
    expect(SY_TOKEN_DOMAIN).toBe('switchyard sy-token v1\0');
  });

  it('never contains the token, its password part or its plain hash', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 64 }), fc.string({ minLength: 8, maxLength: 64 }), (user, pass) => {
        const token = `${user.replace(/:/g, '')}x:${pass}`;
        const derived = deriveSyToken(token);
        return (
          isSyTokenValue(derived) &&
          !derived.includes(pass) &&
          derived !== createHash('sha256').update(token).digest('hex') &&
          derived !== deriveSyToken(`${token}!`)
        );
      }),
    );
  });
});
