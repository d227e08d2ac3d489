/**
 * Discovery queries and selection strategies over the registry.
 */
import { z } from 'zod';
import { AgentName, AgentStatus, AgentType, Capabilities, Location, OwnerName, Ownership, RepoName, Tags } from './domain.js';

export const AgentSortKey = z.enum(['name', 'type', 'load', 'lastHeartbeat', 'registeredAt']);

export const AgentQuery = z
  .object({
    repo: RepoName,
    type: AgentType,
    /** All of these capabilities. */
    capabilities: Capabilities,
    /** Any of these statuses. */
    status: z.array(AgentStatus).max(5),
    location: Location,
    ownership: Ownership,
    owner: OwnerName,
    /** All of these key=value tags. */
    tags: Tags,
    /** The `region` tag. */
    region: z.string().min(1).max(128),
    /** load.current / load.max at most this. */
    maxLoad: z.number().finite().nonnegative(),
    /** Substring of the name, case-insensitive. */
    text: z.string().max(128),
    sort: AgentSortKey,
    order: z.enum(['asc', 'desc']),
    limit: z.number().int().min(1).max(100_000),
  })
  .partial()
  .strict();
export type AgentQuery = z.infer<typeof AgentQuery>;

export const SelectionStrategy = z.enum(['least-loaded', 'round-robin', 'availability']);
export type SelectionStrategy = z.infer<typeof SelectionStrategy>;

export const AgentRef = z.object({ repo: RepoName, name: AgentName }).strict();
export type AgentRef = z.infer<typeof AgentRef>;
