/**
 * Who a caller is: the `Sy-Token` of a request, looked up in the tokens file.
 *
 * Identity is never self-asserted (docs/architecture.md): nothing in a request body can name a user.
 * A request carries the token's derived value (src/core/sy-token.ts), never the token.
 * Entries may be keyed by the token itself (its derived value is computed here) or by
 * `sy-token:<hex>`, the derived value (`switchyard-coordinator --hash-token`), so a
 * deployment can keep no plaintext token at rest.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RepoName, UserName } from '../shared/domain.js';
import { NotAllowed, ValidationError } from '../shared/errors.js';
import { SY_TOKEN_KEY_PREFIX, deriveSyToken, isSyTokenValue } from '../core/sy-token.js';

export const Role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof Role>;

export const Identity = z
  .object({
    user: UserName,
    role: Role,
    /** Repos this identity may use; `*` means every repo the coordinator serves. */
    repos: z.array(z.union([RepoName, z.literal('*')])).min(1),
  })
  .strict();
export type Identity = z.infer<typeof Identity>;

/**
 * The tokens file: token (or `sy-token:<hex>`) → identity.
 *
 * Key problems are reported without the key: a key is a secret.
 */
export const TokensFile = z
  .record(z.string().min(8, 'tokens must be at least 8 characters'), Identity)
  .superRefine((entries, ctx) => {
    for (const key of Object.keys(entries)) {
      if (key.startsWith('sha256:')) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'an entry uses the retired "sha256:<hex>" form: key it by "sy-token:<hex>" from `switchyard-coordinator --hash-token`',
        });
      } else if (key.startsWith(SY_TOKEN_KEY_PREFIX) && !isSyTokenValue(key.slice(SY_TOKEN_KEY_PREFIX.length))) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'a "sy-token:" key must hold 64 lower-case hex characters (`switchyard-coordinator --hash-token`)',
        });
      }
    }
  });

/**
 * Parses a tokens file, naming a bad entry by its position and never by its key.
 *
 * zod puts a record's key in each issue's path, and a key here is a token: the message
 * (which reaches the coordinator's log) would print it. No cause either, for the same reason.
 */
export function parseTokensFile(raw: unknown): Record<string, Identity> {
  const result = TokensFile.safeParse(raw);
  if (result.success) return result.data;
  const keys = raw !== null && typeof raw === 'object' ? Object.keys(raw) : [];
  const issues = result.error.issues.map((issue) => {
    const [first, ...rest] = issue.path;
    const index = typeof first === 'string' ? keys.indexOf(first) : -1;
    const path = index >= 0 ? [`entry ${index + 1}`, ...rest.map(String)] : issue.path.map(String);
    // A bad key's own reason (too short) sits one level down in zod's `invalid_key` issue.
    const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
    return { path: path.join('.'), message };
  });
  throw new ValidationError('tokens file', issues);
}

/** Lookups go through a hash of the header so their time says nothing about a near miss. */
const lookupKey = (syToken: string) => createHash('sha256').update(syToken).digest('hex');

/** The derived value a tokens-file key stands for. */
export function syTokenOfKey(key: string): string {
  return key.startsWith(SY_TOKEN_KEY_PREFIX) ? key.slice(SY_TOKEN_KEY_PREFIX.length) : deriveSyToken(key);
}

export class Identities {
  private readonly byHash: Map<string, Identity>;

  constructor(entries: Record<string, Identity>) {
    this.byHash = new Map();
    for (const [key, identity] of Object.entries(entries)) this.byHash.set(lookupKey(syTokenOfKey(key)), identity);
  }

  static fromFile(path: string): Identities {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      // The message names the file, never its content: it holds secrets.
      throw new Error(`cannot read the tokens file ${path}: ${(error as Error).name}`, { cause: error });
    }
    return new Identities(parseTokensFile(raw));
  }

  /**
   * The identity of a `Sy-Token` header value (a derived value, not a token), or NotAllowed.
   *
   * Lookup is by a hash of the value, so the comparison time does not depend on how
   * much of a guessed value matches a real one.
   */
  resolve(syToken: string | undefined): Identity {
    if (!syToken) throw new NotAllowed('missing Sy-Token header');
    const identity = this.byHash.get(lookupKey(syToken));
    if (!identity) throw new NotAllowed('unknown token');
    return identity;
  }

  /** Every user some token identifies (the coordinator checks none is the team owner). */
  users(): string[] {
    return [...new Set([...this.byHash.values()].map((identity) => identity.user))];
  }

  /** Every repo some identity names, for a coordinator configured without a repo list. */
  repos(): string[] {
    const repos = new Set<string>();
    for (const identity of this.byHash.values()) for (const repo of identity.repos) if (repo !== '*') repos.add(repo);
    return [...repos];
  }
}
