/**
 * Agent types that start by themselves when the app starts, per repo: the contract
 * schemas of `autostart.get` and `autostart.set` (docs/configuration.md).
 *
 * Only types placed local can start by themselves: a remote type is the team's to run.
 */
import { z } from 'zod';
import { AgentType, RepoName } from './domain.js';

/** Input of `autostart.get`: the repo, the hybrid config's when absent. */
export const AutostartQuery = z.object({ repo: RepoName.optional() }).strict();

/** Input of `autostart.set`: turns one type on or off for a repo. */
export const AutostartUpdate = z
  .object({ type: AgentType, enabled: z.boolean(), repo: RepoName.optional() })
  .strict();

/** The types that start by themselves in `repo`. */
export const AutostartView = z.object({ repo: RepoName, types: z.array(AgentType) });
export type AutostartView = z.infer<typeof AutostartView>;
