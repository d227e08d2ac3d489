/**
 * The blackboard: a per-repo key/value space agents, people and the CLI share
 * (docs/tasks.md, Blackboard). With hybrid on it lives in the team's JetStream KV bucket
 * `sy-context` (key `<repo>.<key>`, history kept), written through the coordinator,
 * which checks the write rules; desktops watch it. With hybrid off it is this desktop's
 * own, in SQLite, under the same rules.
 */
import { z } from 'zod';
import { AgentName, RepoName, Timestamp } from './domain.js';

/**
 * A key: `/`-separated segments of [A-Za-z0-9_=-], dots allowed inside a segment (a
 * member's agents are `<user>.<name>` on the team, so `agent/alice.worker/state`), at
 * most 256 characters: `repo/plan`, `user/ada/notes`, `task/t-12/result`. A KV key
 * needs no escaping then; a dot never starts, ends or doubles, so the KV key stays a
 * valid subject.
 */
const SEGMENT = '[A-Za-z0-9_=-]+(?:\\.[A-Za-z0-9_=-]+)*';
export const ContextKey = z
  .string()
  .max(256)
  .regex(new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`), 'use "/"-separated segments of A–Z, a–z, 0–9, "_", "=", "-" and inner "."');
export type ContextKey = z.infer<typeof ContextKey>;

/** A prefix to list or watch: a key, or empty for everything. */
export const ContextPrefix = z.union([z.literal(''), ContextKey]);

/** At most 64 KiB of JSON per value (checked before parsing). */
export const MAX_CONTEXT_VALUE_BYTES = 64 * 1024;

export const ContextEntry = z.object({
  repo: RepoName,
  key: ContextKey,
  /** null once deleted (operation `delete`) or expired. */
  value: z.json().nullable(),
  /** Who wrote it: an agent's name, `<user>.user` for a person, `coordinator`. */
  writer: z.string().max(256),
  revision: z.number().int().nonnegative(),
  updatedAt: Timestamp,
  /** Readers treat it as gone after this; the owner's sweep deletes it. */
  expiresAt: Timestamp.nullable(),
  operation: z.enum(['put', 'delete']),
});
export type ContextEntry = z.infer<typeof ContextEntry>;

export const ContextSetInput = z
  .object({
    key: ContextKey,
    /** null deletes the key. */
    value: z.json().nullable(),
    /** The value expires this long after the write. */
    ttlMs: z.number().int().min(100).max(31_536_000_000).optional(),
    repo: RepoName.optional(),
    /** Writes as this local agent (the UI and the CLI write as `user`). */
    as: AgentName.optional(),
  })
  .strict();
export type ContextSetInput = z.input<typeof ContextSetInput>;

export const ContextGetInput = z
  .object({
    key: ContextKey,
    repo: RepoName.optional(),
    /** Earlier revisions too, newest first (up to the bucket's history, 16). */
    history: z.boolean().optional(),
  })
  .strict();
export type ContextGetInput = z.infer<typeof ContextGetInput>;

export const ContextListInput = z
  .object({ prefix: ContextPrefix.default(''), repo: RepoName.optional(), limit: z.number().int().min(1).max(10_000).optional() })
  .strict();
export type ContextListInput = z.input<typeof ContextListInput>;

/** `context.get`'s answer: the live entry (null when absent or expired) and, when asked, its history. */
export const ContextValue = z.object({ entry: ContextEntry.nullable(), history: z.array(ContextEntry) });
export type ContextValue = z.infer<typeof ContextValue>;

/** Changed entries, at most one event per tick. */
export const ContextChanged = z.object({ entries: z.array(ContextEntry) });
export type ContextChanged = z.infer<typeof ContextChanged>;

/**
 * Who may write a key (docs/tasks.md, Write rules), checked by the coordinator for the
 * team's bucket and by the core for the local one:
 * - `repo/…`: repo-owned (team) agents and admin tokens;
 * - `user/<u>/…`: user u's agents and person;
 * - `agent/<name>/…`: that agent (and its owner);
 * - `task/<id>/…`: the task's requester and assignee (and their owners);
 * - `shared/…`: anyone in the repo.
 * Anything else is refused with ContextWriteDenied.
 */
export const CONTEXT_PREFIXES = ['repo', 'user', 'agent', 'task', 'shared'] as const;
