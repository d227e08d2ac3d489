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
/**
 * The team's blackboard (docs/blackboard.md): key `<repo>.<context key>` (the key's `/`
 * kept: KV keys accept it, and it keeps the whole key one subject token), value the
 * entry's JSON envelope. Written only by coordinators; members watch `<repo>.>`.
 */
export const CONTEXT_BUCKET = 'sy-context';
/** Revisions kept per blackboard key (what `context.get` with `history` can show). */
export const CONTEXT_HISTORY = 16;
/**
 * JetStream KV bucket holding the team's tasks: key `<repo>.<taskId>`, value TaskRecord
 * (src/shared/tasks.ts). Coordinators write it (a desktop puts its tasks through the
 * `tasks.put` request, checked for ownership); desktops watch `<repo>.>` (docs/tasks.md).
 */
export const TASKS_BUCKET = 'sy-tasks';
/** JetStream stream keeping routed messages for replay and traces. */
export const MESSAGE_STREAM = 'SY_MESSAGES';
/** The coordinators' queue group: several coordinators share every request. */
export const COORDINATOR_QUEUE = 'sy-coordinators';
/** Name of the coordinator's NATS service (discoverable with `$SRV.PING`). */
export const COORDINATOR_SERVICE = 'switchyard-coordinator';

/**
 * The sender token of a process that has no NATS user of its own (a server-token
 * deployment: single user, benchmarks). Not a valid user name, so no member can hold it.
 */
export const ANONYMOUS_SENDER = '~';

export const subjects = {
  /**
   * Messages for one agent, published by `sender`: the publishing NATS user (its
   * permissions allow only `sy.<repo>.inbox.<itself>.>`, so the server vouches for the
   * token), the team owner for the coordinator's agents, or ANONYMOUS_SENDER.
   */
  inbox: (repo: string, sender: string, agent: string) => `${SUBJECT_PREFIX}.${repo}.inbox.${sender}.${agent}`,
  /** One agent's inbox whoever sent to it: a per-agent consumer's filter. */
  agentInbox: (repo: string, agent: string) => `${SUBJECT_PREFIX}.${repo}.inbox.*.${agent}`,
  /** Every inbox of one user's agents (`<user>.<name>`), whoever sent: a member's consumer filter. */
  userInboxes: (repo: string, user: string) => `${SUBJECT_PREFIX}.${repo}.inbox.*.${user}.>`,
  /** What one sender may publish into. */
  sentBy: (repo: string, sender: string) => `${SUBJECT_PREFIX}.${repo}.inbox.${sender}.>`,
  /** Every inbox of a repo (the stream's filter, a coordinator's view). */
  allInboxes: (repo: string) => `${SUBJECT_PREFIX}.${repo}.inbox.>`,
  /** Every inbox of every repo: the stream's subjects. */
  everyInbox: () => `${SUBJECT_PREFIX}.*.inbox.>`,
  /**
   * Receipts (received / delivered / answered / rejected) for messages `to` sent, published
   * by `by`: the recipient's side, whose permissions allow only its own token there
   * (`sy.<repo>.receipts.*.<user>`), so the server vouches for it (docs/nats.md, Receipts).
   */
  receipts: (repo: string, to: string, by: string) => `${SUBJECT_PREFIX}.${repo}.receipts.${to}.${by}`,
  /** Every receipt for one sender, whoever reports: what a desktop subscribes to. */
  receiptsFor: (repo: string, to: string) => `${SUBJECT_PREFIX}.${repo}.receipts.${to}.*`,
  /** What one reporter may publish into. */
  receiptsBy: (repo: string, by: string) => `${SUBJECT_PREFIX}.${repo}.receipts.*.${by}`,
  heartbeat: (repo: string, agent: string) => `${SUBJECT_PREFIX}.${repo}.hb.${agent}`,
  allHeartbeats: () => `${SUBJECT_PREFIX}.*.hb.>`,
  /** Coordinator requests: register, deregister, spawn, all per repo. */
  register: (repo: string) => `${SUBJECT_PREFIX}.${repo}.registry.register`,
  deregister: (repo: string) => `${SUBJECT_PREFIX}.${repo}.registry.deregister`,
  /** The registry bucket's status, for a mirror's resume check. */
  registryStatus: (repo: string) => `${SUBJECT_PREFIX}.${repo}.registry.status`,
  spawn: (repo: string) => `${SUBJECT_PREFIX}.${repo}.spawn`,
  /** Blackboard writes, through the coordinator (which checks the write rules). */
  contextSet: (repo: string) => `${SUBJECT_PREFIX}.${repo}.context.set`,
  /** A desktop puts one of its tasks into the team's tasks bucket (the coordinator checks it owns the requester). */
  taskPut: (repo: string) => `${SUBJECT_PREFIX}.${repo}.tasks.put`,
  /** Wildcards the coordinator's service endpoints listen on. */
  anyRegister: () => `${SUBJECT_PREFIX}.*.registry.register`,
  anyDeregister: () => `${SUBJECT_PREFIX}.*.registry.deregister`,
  anyRegistryStatus: () => `${SUBJECT_PREFIX}.*.registry.status`,
  anySpawn: () => `${SUBJECT_PREFIX}.*.spawn`,
  anyContextSet: () => `${SUBJECT_PREFIX}.*.context.set`,
  anyTaskPut: () => `${SUBJECT_PREFIX}.*.tasks.put`,
} as const;

/** The tasks KV key of a task (task ids hold no dots), and the watch filter of a repo. */
export const taskKey = (repo: string, id: string) => `${repo}.${id}`;
export const taskRepoFilter = (repo: string) => `${repo}.>`;

/** The registry KV key of an agent, and the watch filter of a repo. */
export const registryKey = (repo: string, agent: string) => `${repo}.${agent}`;
export const registryRepoFilter = (repo: string) => `${repo}.>`;

/** The blackboard KV key of a context key; the repo's watch filter is registryRepoFilter's shape. */
export const contextKvKey = (repo: string, key: string) => `${repo}.${key}`;

/** Splits a blackboard KV key `<repo>.<key>` (a repo holds no dot; the key may). */
export function parseContextKvKey(kvKey: string): { repo: string; key: string } | undefined {
  const dot = kvKey.indexOf('.');
  if (dot <= 0 || dot === kvKey.length - 1) return undefined;
  return { repo: kvKey.slice(0, dot), key: kvKey.slice(dot + 1) };
}

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
 * Reads an inbox subject `sy.<repo>.inbox.<sender>.<agent...>` (the agent may hold dots,
 * so it is every token after the sender), or undefined for any other subject.
 */
export function parseInboxSubject(subject: string): { repo: string; sender: string; agent: string } | undefined {
  const parts = subject.split('.');
  if (parts.length < 5 || parts[0] !== SUBJECT_PREFIX || parts[2] !== 'inbox') return undefined;
  return { repo: parts[1]!, sender: parts[3]!, agent: parts.slice(4).join('.') };
}

/** Reads a receipts subject `sy.<repo>.receipts.<to>.<by>`, or undefined for any other subject. */
export function parseReceiptSubject(subject: string): { repo: string; to: string; by: string } | undefined {
  const parts = subject.split('.');
  if (parts.length !== 5 || parts[0] !== SUBJECT_PREFIX || parts[2] !== 'receipts') return undefined;
  return { repo: parts[1]!, to: parts[3]!, by: parts[4]! };
}

/** A durable pull consumer on the message stream: its name and the one subject it reads. */
export interface InboxConsumerSpec {
  durable: string;
  filter: string;
}

/**
 * The durable consumer reading one agent's inbox: what the coordinator keeps for its own
 * agents (and a desktop on a server-token deployment). One per agent, so a durable keeps
 * its place while the agent is away; nats-server 2.9 allows one filter per consumer.
 *
 * Consumer names cannot hold dots; `~` appears in neither repo nor agent names, so the
 * name is unique per (repo, agent).
 */
export const agentInboxConsumer = (repo: string, agent: string): InboxConsumerSpec => ({
  durable: `sy-agent~${repo}~${agent.replaceAll('.', '~')}`,
  filter: subjects.agentInbox(repo, agent),
});

/**
 * The one durable consumer a member reads all its agents' inboxes of a repo through.
 *
 * NATS permissions match whole tokens, so per-agent consumer names (free text) could not
 * be fenced per user; one name per (repo, user) can: the member's permissions name
 * exactly this consumer, and the server checks that the filter in the create subject is
 * the consumer's filter (docs/nats.md).
 */
export const userInboxConsumer = (repo: string, user: string): InboxConsumerSpec => ({
  durable: `sy-user~${repo}~${user}`,
  filter: subjects.userInboxes(repo, user),
});
