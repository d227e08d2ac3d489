/**
 * The environment a supervised agent starts with.
 *
 * Agents get a cleaned environment, never the app's own: the app's variables may hold
 * secrets (SWITCHYARD_API_TOKEN, cloud credentials) and Electron switches
 * (ELECTRON_RUN_AS_NODE, NODE_OPTIONS) that would change how a child behaves.
 */
import { PROTOCOL_VERSION } from '../../shared/agent-protocol.js';

/** Variables passed through from the app's environment when set. */
export const PASSED_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  // Windows cannot start most programs without these.
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
] as const;

export interface AgentIdentity {
  name: string;
  type: string;
  repo: string;
  instanceId: string;
  heartbeatIntervalMs: number;
  maxConcurrentTasks: number;
  config: Record<string, unknown>;
  /** A folder of its own that outlives its process (`<dataDir>/agent-state/<repo>/<name>`). */
  stateDir?: string;
  /** Who decides its tool approvals when nobody else should (SWITCHYARD_APPROVER): the desktop's person. */
  approver?: string;
}

/**
 * Builds the child's environment: the basics, then the manifest's `env`, then the
 * SWITCHYARD_* variables (last, so a manifest cannot fake an agent's identity).
 */
export function agentEnvironment(
  identity: AgentIdentity,
  manifestEnv: Record<string, string>,
  parent: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_VARIABLES) {
    const value = parent[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, manifestEnv);
  env.SWITCHYARD_PROTOCOL = String(PROTOCOL_VERSION);
  env.SWITCHYARD_AGENT_NAME = identity.name;
  env.SWITCHYARD_AGENT_TYPE = identity.type;
  env.SWITCHYARD_REPO = identity.repo;
  env.SWITCHYARD_INSTANCE_ID = identity.instanceId;
  env.SWITCHYARD_HEARTBEAT_MS = String(identity.heartbeatIntervalMs);
  env.SWITCHYARD_MAX_CONCURRENT_TASKS = String(identity.maxConcurrentTasks);
  env.SWITCHYARD_AGENT_CONFIG = JSON.stringify(identity.config);
  if (identity.stateDir !== undefined) env.SWITCHYARD_STATE_DIR = identity.stateDir;
  if (identity.approver !== undefined) env.SWITCHYARD_APPROVER = identity.approver;
  return env;
}
