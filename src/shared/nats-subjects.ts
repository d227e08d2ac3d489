/**
 * Every NATS subject, KV bucket, stream and header name Switchyard uses, in one place
 * (docs/nats.md explains who publishes and subscribes what).
 *
 * All our subjects live under the `sy.` prefix and are scoped by repo, so a deployment
 * can grant a member exactly its repos. A later interop layer (e.g. the Synadia Agent
 * Protocol's `agents.*` subjects) can sit beside this prefix without touching it.
 */

export const SUBJECT_PREFIX = 'sy';

/** JetStream KV bucket holding the team registry: key `<repo>.<agent>`, value AgentInfo. */
export const REGISTRY_BUCKET = 'sy-registry';
/** The coordinators' own KV bucket: counters such as the next worker number per repo (key `worker-seq.<repo>`). */
export const COORDINATOR_BUCKET = 'sy-coordinator';
/** JetStream stream keeping routed messages for replay and traces. */
export const MESSAGE_STREAM = 'SY_MESSAGES';
/** The coordinators' queue group: several coordinators share every request. */
export const COORDINATOR_QUEUE = 'sy-coordinators';
/** Name of the coordinator's NATS service (discoverable with `$SRV.PING`). */
export const COORDINATOR_SERVICE = 'switchyard-coordinator';

export const subjects = {
  /** Messages for one agent. */
  inbox: (repo: string, agent: string) => `${SUBJECT_PREFIX}.${repo}.inbox.${agent}`,
  /** Every inbox of a repo (the stream's filter, a coordinator's view). */
  allInboxes: (repo: string) => `${SUBJECT_PREFIX}.${repo}.inbox.>`,
  /** Every inbox of every repo: the stream's subjects. */
  everyInbox: () => `${SUBJECT_PREFIX}.*.inbox.>`,
  heartbeat: (repo: string, agent: string) => `${SUBJECT_PREFIX}.${repo}.hb.${agent}`,
  allHeartbeats: () => `${SUBJECT_PREFIX}.*.hb.>`,
  /** Coordinator requests: register, deregister, spawn, all per repo. */
  register: (repo: string) => `${SUBJECT_PREFIX}.${repo}.registry.register`,
  deregister: (repo: string) => `${SUBJECT_PREFIX}.${repo}.registry.deregister`,
  spawn: (repo: string) => `${SUBJECT_PREFIX}.${repo}.spawn`,
  /** Wildcards the coordinator's service endpoints listen on. */
  anyRegister: () => `${SUBJECT_PREFIX}.*.registry.register`,
  anyDeregister: () => `${SUBJECT_PREFIX}.*.registry.deregister`,
  anySpawn: () => `${SUBJECT_PREFIX}.*.spawn`,
} as const;

/** The registry KV key of an agent, and the watch filter of a repo. */
export const registryKey = (repo: string, agent: string) => `${repo}.${agent}`;
export const registryRepoFilter = (repo: string) => `${repo}.>`;

export const headers = {
  /** JetStream de-duplication: the message id. */
  msgId: 'Nats-Msg-Id',
  /** W3C trace context. */
  traceparent: 'traceparent',
  /** JSON RouteInfo of the hop that published the message. */
  route: 'Sy-Route',
  /** The caller's credential on coordinator requests. */
  token: 'Sy-Token',
} as const;

/** Reads the repo token of one of our subjects, or undefined for a foreign subject. */
export function repoOfSubject(subject: string): string | undefined {
  const parts = subject.split('.');
  return parts[0] === SUBJECT_PREFIX && parts.length >= 3 ? parts[1] : undefined;
}

/**
 * Reads the agent of a heartbeat subject (`sy.<repo>.hb.<agent>`), or undefined.
 *
 * Agent names may contain dots (a deployment can name a member's agents `<user>.<name>`
 * so subject permissions can fence them), so the agent is every token after `hb`.
 */
export function agentOfHeartbeatSubject(subject: string): { repo: string; agent: string } | undefined {
  const parts = subject.split('.');
  if (parts.length < 4 || parts[0] !== SUBJECT_PREFIX || parts[2] !== 'hb') return undefined;
  return { repo: parts[1]!, agent: parts.slice(3).join('.') };
}

/** Splits a registry KV key `<repo>.<agent>` (the agent may hold dots). */
export function parseRegistryKey(key: string): { repo: string; name: string } | undefined {
  const dot = key.indexOf('.');
  if (dot <= 0 || dot === key.length - 1) return undefined;
  return { repo: key.slice(0, dot), name: key.slice(dot + 1) };
}

/**
 * The durable JetStream consumer reading one agent's inbox, for whichever process
 * hosts the agent. One per agent (not per desktop): nats-server 2.9 allows one filter
 * subject per consumer, and a durable per inbox keeps its place while the host is away.
 * Consumer names cannot hold dots, so dots in agent names become `~`.
 */
export const inboxConsumer = (repo: string, agent: string) => `sy-inbox-${repo}-${agent.replaceAll('.', '~')}`;
