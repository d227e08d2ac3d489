/**
 * The handshake of a supervised agent, as pure functions: the environment it starts
 * with, what its stdout lines mean, whether its hello is acceptable, and the welcome
 * it gets back.
 */
import type { HelloLine, WelcomeLine } from '../../shared/agent-protocol.js';
import type { Isolation } from '../../shared/coding.js';
import { PROTOCOL_VERSION } from '../../shared/agent-protocol.js';
import { agentEnvironment } from './child-env.js';
import type { ParsedLine, SplitResult } from './line-splitter.js';
import { parseAgentLine } from './line-splitter.js';
import type { LoadedManifest } from './manifest-store.js';

/**
 * What `agents.start` adds to a coding agent's manifest config: the validated workspace
 * root and the isolation. Kept by the supervisor, so a restart runs on the same folder.
 */
export interface StartSettings {
  workspace?: string;
  isolation?: Isolation;
}

/** Who one run of an agent is. */
export interface AgentRun {
  loaded: LoadedManifest;
  name: string;
  repo: string;
  instanceId: string;
  settings?: StartSettings;
  /** Where the agent keeps what must outlive its process (SWITCHYARD_STATE_DIR). */
  stateDir?: string;
  /** SWITCHYARD_APPROVER: the desktop's person; none in the coordinator. */
  approver?: string;
}

/** The manifest's config with the start settings over it (only those given). */
export function runConfig({ loaded, settings = {} }: AgentRun): Record<string, unknown> {
  const given = Object.entries(settings).filter(([, value]) => value !== undefined);
  return { ...loaded.manifest.config, ...Object.fromEntries(given) };
}

/** The child's environment: the cleaned parent's, the manifest's, and the SWITCHYARD_* identity. */
export function runEnvironment(run: AgentRun): Record<string, string> {
  const { loaded, name, repo, instanceId, stateDir, approver } = run;
  const { manifest } = loaded;
  const identity = {
    name,
    type: manifest.type,
    repo,
    instanceId,
    heartbeatIntervalMs: manifest.healthCheck.intervalMs,
    maxConcurrentTasks: manifest.maxConcurrentTasks,
    config: runConfig(run),
    ...(stateDir !== undefined ? { stateDir } : {}),
    ...(approver !== undefined ? { approver } : {}),
  };
  return agentEnvironment(identity, manifest.env);
}

/** One stdout result as a protocol line, or the protocol error to answer it with. */
export function readStdout(result: SplitResult): ParsedLine {
  if (result.kind === 'too-long') {
    return { ok: false, code: 'line-too-long', message: `a ${result.bytes}-byte line exceeds the line limit and was dropped` };
  }
  return parseAgentLine(result.text);
}

/**
 * Judges a hello: `refuse` when its protocol is not ours (the hello is ignored),
 * `warn` when it claims another name (the manifest's name stands).
 */
export function judgeHello(line: HelloLine, name: string): { refuse?: string; warn?: string } {
  if (line.protocol !== PROTOCOL_VERSION) {
    return { refuse: `protocol ${line.protocol} is not supported; this Switchyard speaks ${PROTOCOL_VERSION}` };
  }
  if (line.name !== undefined && line.name !== name) {
    return { warn: `this agent is "${name}" (set by its manifest), not "${line.name}"` };
  }
  return {};
}

/** The answer to an accepted hello. */
export function welcomeFor({ loaded, name, repo, instanceId }: AgentRun): WelcomeLine {
  return { type: 'welcome', protocol: PROTOCOL_VERSION, name, repo, instanceId, heartbeatIntervalMs: loaded.manifest.healthCheck.intervalMs };
}
