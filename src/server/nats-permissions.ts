/**
 * The NATS permissions of every Switchyard identity, and the server's `authorization`
 * block built from them.
 *
 * One source: docs/nats.md shows this module's output (a test compares them), and the
 * integration tests start nats-server with it, so what the docs promise is what the
 * tests exercise. The reasoning is in docs/nats.md, "Credentials and permissions".
 */
import {
  ANONYMOUS_SENDER,
  CONTEXT_BUCKET,
  COORDINATOR_BUCKET,
  COORDINATOR_SERVICE,
  MESSAGE_STREAM,
  REGISTRY_BUCKET,
  TASKS_BUCKET,
  SUBJECT_PREFIX,
  subjects,
  userInboxConsumer,
} from '../shared/nats-subjects.js';

export interface Permissions {
  publish: string[];
  subscribe: string[];
  /** Lets the holder reply to the reply subject of a request it received (under another user's inbox prefix). */
  allowResponses?: boolean;
}

export type NatsRole = 'coordinator' | 'member' | 'admin';

export interface NatsUser {
  user: string;
  password: string;
  role: NatsRole;
  /** The repos a member or admin works in (ignored for the coordinator). */
  repos?: string[];
}

const USER = /^[A-Za-z0-9_-]{1,128}$/;
const KV_STREAM = `KV_${REGISTRY_BUCKET}`;
const CONTEXT_STREAM = `KV_${CONTEXT_BUCKET}`;
const TASKS_STREAM = `KV_${TASKS_BUCKET}`;

/** Everything under sy., the JetStream API and acks, its buckets, service discovery, replies to members. */
export function coordinatorPermissions(): Permissions {
  return {
    publish: [
      `${SUBJECT_PREFIX}.>`,
      '$JS.API.>',
      '$JS.ACK.>',
      '$JS.FC.>',
      `$KV.${REGISTRY_BUCKET}.>`,
      `$KV.${COORDINATOR_BUCKET}.>`,
      `$KV.${CONTEXT_BUCKET}.>`,
      `$KV.${TASKS_BUCKET}.>`,
      '$SRV.>',
      '_INBOX.>',
    ],
    subscribe: [`${SUBJECT_PREFIX}.>`, '$SRV.>', '_INBOX.>'],
    allowResponses: true,
  };
}

/**
 * A member: requests to the coordinator, heartbeats, sends and receipts under its own user,
 * its own inbox consumer per repo, a watch of its repos' registry, task and blackboard
 * keys, replies under its own prefix, and the receipts for what it sent. It never
 * publishes into a bucket: task puts (`sy.<repo>.tasks.put`) and blackboard writes
 * (`sy.<repo>.context.set`) are requests the coordinator checks.
 *
 * @throws Error for a user name that could not be fenced (a dot, a wildcard) or that is
 * the team owner, whose name the coordinator's agents send under.
 */
export function memberPermissions(user: string, repos: string[], options: { teamOwner?: string } = {}): Permissions {
  if (!USER.test(user)) throw new Error(`NATS user "${user}": use 1–128 characters from A–Z, a–z, 0–9, "_" and "-"`);
  if (user === (options.teamOwner ?? 'team') || user === ANONYMOUS_SENDER) {
    throw new Error(`NATS user "${user}" is the name the coordinator's team agents send under: pick another`);
  }
  const subscribe: string[] = [`_INBOX_${user}.>`];
  const publish: string[] = [
    '$JS.API.INFO',
    `$JS.FC.${KV_STREAM}.>`,
    `$JS.FC.${CONTEXT_STREAM}.>`,
    `$JS.FC.${TASKS_STREAM}.>`,
    // Service discovery of the coordinator (`nats micro ls`, `$SRV.PING`): read-only.
    `$SRV.*.${COORDINATOR_SERVICE}`,
    `$SRV.*.${COORDINATOR_SERVICE}.>`,
  ];
  for (const repo of repos) {
    const inbox = userInboxConsumer(repo, user);
    publish.push(
      subjects.register(repo),
      subjects.deregister(repo),
      subjects.registryStatus(repo),
      subjects.spawn(repo),
      subjects.contextSet(repo),
      subjects.heartbeat(repo, `${user}.>`),
      subjects.sentBy(repo, user),
      `$JS.API.CONSUMER.CREATE.${KV_STREAM}.*.$KV.${REGISTRY_BUCKET}.${repo}.>`,
      `$JS.API.CONSUMER.CREATE.${CONTEXT_STREAM}.*.$KV.${CONTEXT_BUCKET}.${repo}.>`,
      // Tasks: put through the coordinator (it checks the requester), watched read-only.
      subjects.taskPut(repo),
      `$JS.API.CONSUMER.CREATE.${TASKS_STREAM}.*.$KV.${TASKS_BUCKET}.${repo}.>`,
      `$JS.API.CONSUMER.CREATE.${MESSAGE_STREAM}.${inbox.durable}.${inbox.filter}`,
      `$JS.API.CONSUMER.INFO.${MESSAGE_STREAM}.${inbox.durable}`,
      `$JS.API.CONSUMER.MSG.NEXT.${MESSAGE_STREAM}.${inbox.durable}`,
      `$JS.ACK.${MESSAGE_STREAM}.${inbox.durable}.>`,
      // Receipts: reported only under its own token, read only its own.
      subjects.receiptsBy(repo, user),
    );
    subscribe.push(subjects.receiptsFor(repo, user));
  }
  return { publish, subscribe };
}

/**
 * An admin: a member of its repos that may also heartbeat repo-owned agents under any
 * name (it registers them through the same coordinator endpoint; the coordinator checks
 * its role).
 */
export function adminPermissions(user: string, repos: string[], options: { teamOwner?: string } = {}): Permissions {
  const member = memberPermissions(user, repos, options);
  const extra = repos.map((repo) => subjects.heartbeat(repo, '>'));
  return { ...member, publish: [...member.publish, ...extra] };
}

export function permissionsOf(entry: NatsUser, options: { teamOwner?: string } = {}): Permissions {
  switch (entry.role) {
    case 'coordinator':
      return coordinatorPermissions();
    case 'member':
      return memberPermissions(entry.user, entry.repos ?? [], options);
    case 'admin':
      return adminPermissions(entry.user, entry.repos ?? [], options);
  }
}

const quoted = (items: string[], indent: string) => items.map((item) => `${indent}${JSON.stringify(item)}`).join(',\n');

/** `$NAME` is a nats-server variable (an environment variable), left unquoted so the server resolves it. */
const passwordValue = (password: string) => (/^\$[A-Z_][A-Z0-9_]*$/.test(password) ? password : JSON.stringify(password));

/** The nats-server `authorization { users = [...] }` block for these users. */
export function authorizationBlock(users: NatsUser[], options: { teamOwner?: string } = {}): string {
  const entries = users.map((entry) => {
    const p = permissionsOf(entry, options);
    return [
      `    { user: ${JSON.stringify(entry.user)}, password: ${passwordValue(entry.password)},`,
      '      permissions: {',
      `        publish: { allow: [\n${quoted(p.publish, '          ')}\n        ] }`,
      `        subscribe: { allow: [\n${quoted(p.subscribe, '          ')}\n        ] }`,
      ...(p.allowResponses ? ['        allow_responses: true'] : []),
      '      } }',
    ].join('\n');
  });
  return ['authorization {', '  users = [', entries.join('\n'), '  ]', '}'].join('\n');
}

/** The nats-server variable a user's password is read from: `SY_PASS_<USER>` (upper case, `-` as `_`). */
export const passwordVariable = (user: string) => `$SY_PASS_${user.toUpperCase().replaceAll('-', '_')}`;

/**
 * The NATS users of a deployment, from the tokens file: every identity, with its role and
 * repos (`*` becomes the served repos), plus the coordinator's own user.
 *
 * Passwords are never printed: each is a nats-server variable (passwordVariable) the
 * operator sets in the server's environment to the secret part of that user's token.
 */
export function natsUsersOf(
  identities: ReadonlyArray<{ user: string; role: 'admin' | 'member'; repos: string[] }>,
  options: { coordinatorUser: string; servedRepos: string[] },
): NatsUser[] {
  const users: NatsUser[] = [{ user: options.coordinatorUser, password: passwordVariable(options.coordinatorUser), role: 'coordinator' }];
  const byUser = new Map<string, { role: 'admin' | 'member'; repos: Set<string> }>();
  for (const identity of identities) {
    const entry = byUser.get(identity.user) ?? { role: identity.role, repos: new Set<string>() };
    if (identity.role === 'admin') entry.role = 'admin';
    for (const repo of identity.repos) for (const r of repo === '*' ? options.servedRepos : [repo]) entry.repos.add(r);
    byUser.set(identity.user, entry);
  }
  for (const [user, { role, repos }] of byUser) users.push({ user, password: passwordVariable(user), role, repos: [...repos].sort() });
  return users;
}
