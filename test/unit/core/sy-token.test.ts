/**
 * The Sy-Token derivation: the
 * header value is the domain-separated digest, never the token or its plain hash.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SY_TOKEN_DOMAIN, deriveSyToken, isSyTokenValue } from '../../../src/core/sy-token.js';

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
