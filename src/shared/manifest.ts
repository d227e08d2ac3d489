/**
 * Agent manifests: how to start a local agent type and how to watch it.
 */
import { z } from 'zod';
import { AgentType, Capabilities } from './domain.js';

export const HealthCheck = z.object({
  /** How often the agent must heartbeat. */
  intervalMs: z.number().int().min(10).max(3_600_000).default(5_000),
  /** How long to wait for a reply or a graceful stop. */
  timeoutMs: z.number().int().min(10).max(3_600_000).default(5_000),
  /** Missed intervals before the agent counts as unreachable. */
  failureThreshold: z.number().int().min(1).max(100).default(3),
  autoRestart: z.boolean().default(true),
});
export type HealthCheck = z.infer<typeof HealthCheck>;

export const AgentManifest = z.object({
  type: AgentType,
  description: z.string().max(1024).default(''),
  command: z.string().min(1).max(4096),
  args: z.array(z.string().max(4096)).max(256).default([]),
  /** Relative paths resolve against the manifest's folder. */
  cwd: z.string().max(4096).optional(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  capabilities: Capabilities.default([]),
  healthCheck: HealthCheck.default(HealthCheck.parse({})),
  maxConcurrentTasks: z.number().int().min(1).max(10_000).default(1),
  /** Types that must be available before this one can start. */
  dependencies: z.array(AgentType).max(64).default([]),
  /** Extra settings the agent reads from its `SWITCHYARD_AGENT_CONFIG` variable. */
  config: z.record(z.string(), z.unknown()).default({}),
});
export type AgentManifest = z.infer<typeof AgentManifest>;
