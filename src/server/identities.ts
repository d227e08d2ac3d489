/**
 * Who a caller is: the token of a request, looked up in the tokens file.
 *
 * Identity is never self-asserted (DESIGN §8): nothing in a request body can name a user.
 * Entries may be keyed by the token itself or by `sha256:<hex>` of it, so a deployment
 * can keep no plaintext token at rest.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { RepoName } from '../shared/domain.js';
import { NotAllowed } from '../shared/errors.js';
import { parseUnknown } from '../shared/parse.js';

export const Role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof Role>;

export const Identity = z
  .object({
    user: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'use 1–128 characters from A–Z, a–z, 0–9, "_" and "-"'),
    role: Role,
    /** Repos this identity may use; `*` means every repo the coordinator serves. */
    repos: z.array(z.union([RepoName, z.literal('*')])).min(1),
  })
  .strict();
export type Identity = z.infer<typeof Identity>;

export const TokensFile = z.record(z.string().min(8, 'tokens must be at least 8 characters'), Identity);

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export class Identities {
  private readonly byHash: Map<string, Identity>;

  constructor(entries: Record<string, Identity>) {
    this.byHash = new Map();
    for (const [key, identity] of Object.entries(entries)) {
      const hash = key.startsWith('sha256:') ? key.slice(7).toLowerCase() : sha256(key);
      this.byHash.set(hash, identity);
    }
  }

  static fromFile(path: string): Identities {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      // The message names the file, never its content: it holds secrets.
      throw new Error(`cannot read the tokens file ${path}: ${(error as Error).name}`, { cause: error });
    }
    return new Identities(parseUnknown(TokensFile, raw, 'tokens file'));
  }

  /**
   * The identity of a token, or NotAllowed.
   *
   * Lookup is by the token's hash, so the comparison time does not depend on how much
   * of a guessed token matches a real one.
   */
  resolve(token: string | undefined): Identity {
    if (!token) throw new NotAllowed('missing Sy-Token header');
    const hash = sha256(token);
    const identity = this.byHash.get(hash);
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
