/**
 * `switchyard-coordinator --hash-token`: the tokens-file key of a token read on stdin.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tokensFileKey } from '../../../src/server/hash-token.js';
import { Identities } from '../../../src/server/identities.js';
import { deriveSyToken } from '../../../src/core/sy-token.js';

const BIN = fileURLToPath(new URL('../../../bin/switchyard-coordinator.mjs', import.meta.url));

describe('--hash-token', () => {
  it('prints sy-token:<derived> for the token on stdin, and the coordinator accepts that key', () => {
    const run = spawnSync(process.execPath, [BIN, '--hash-token'], { input: 'alice:alice-secret-1\n', encoding: 'utf8' });
    expect(run.status).toBe(0);
    const key = run.stdout.trim();
    expect(key).toBe(`sy-token:${deriveSyToken('alice:alice-secret-1')}`);
    expect(run.stdout).not.toContain('alice-secret-1');
    const ids = new Identities({ [key]: { user: 'alice', role: 'member', repos: ['demo'] } });
    expect(ids.resolve(deriveSyToken('alice:alice-secret-1')).user).toBe('alice');
  });

  it('takes one line, drops one trailing line break, and refuses short or multi-line input', () => {
    expect(tokensFileKey('long-enough-token\r\n')).toBe(tokensFileKey('long-enough-token'));
    expect(() => tokensFileKey('short\n')).toThrow(/at least 8/);
    expect(() => tokensFileKey('first-token\nsecond-token\n')).toThrow(/several lines/);
  });
});
