/**
 * Addressing a role instead of a name (docs/tasks.md, Dispatch).
 *
 * `to` of a send may be an agent's name, `type:<type>` or `capability:<capability>`
 * (the registry's selection picks one healthy instance with free workload, here or on
 * the team by placement), or `*` (every agent of the repo). `fanout: "all"` sends to every
 * instance of a role instead of one: a broadcast. Each recipient's message is traced
 * on its own, all sharing one trace id; the choice and its reason are a `dispatched`
 * hop.
 */
import { z } from 'zod';
import { AgentName, AgentType, Capability } from './domain.js';

export const BROADCAST_ALL = '*';

export const DispatchTarget = z.union([
  AgentName,
  z.string().regex(/^type:[A-Za-z0-9._-]{1,128}$/, 'type:<agent type>'),
  z.string().regex(/^capability:.{1,128}$/, 'capability:<capability>'),
  z.literal(BROADCAST_ALL),
]);
export type DispatchTarget = z.infer<typeof DispatchTarget>;

export const Fanout = z.enum(['one', 'all']);
export type Fanout = z.infer<typeof Fanout>;

export type ParsedTarget =
  | { kind: 'name'; name: string }
  | { kind: 'type'; type: string }
  | { kind: 'capability'; capability: string }
  | { kind: 'all' };

/** Reads a target already parsed by DispatchTarget. */
export function parseTarget(target: string): ParsedTarget {
  if (target === BROADCAST_ALL) return { kind: 'all' };
  if (target.startsWith('type:')) return { kind: 'type', type: AgentType.parse(target.slice(5)) };
  if (target.startsWith('capability:')) return { kind: 'capability', capability: Capability.parse(target.slice(11)) };
  return { kind: 'name', name: target };
}

/** True when the target names a role or everyone, not one agent. */
export function isRoleTarget(target: string): boolean {
  return parseTarget(target).kind !== 'name';
}

/** One recipient of a dispatched or broadcast send, as SendResult lists it. */
export const DispatchRecipient = z.object({
  to: AgentName,
  messageId: z.string(),
  status: z.enum(['delivered', 'published', 'queued', 'expired']),
});
export type DispatchRecipient = z.infer<typeof DispatchRecipient>;
