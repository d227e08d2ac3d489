/**
 * Runs the coordinator's own agents (team agents and spawned workers) as supervised
 * child processes, reusing the desktop's LocalAgents (src/core/agents): the same
 * manifests, JSON-lines protocol, restarts with backoff and crash-loop limit.
 *
 * Each served repo gets one LocalAgents over a private SQLite registry (the processes'
 * local truth, team-repo.ts), and its coding agents (the reviewer) work in the repo's
 * checkout named by team.workspaces; OwnAgents mirrors their liveness into the team registry in KV. Inboxes
 * are read with the router's durable consumers (one per agent, so messages sent while
 * an agent was down are replayed), and what the agents send is published to the
 * destination's inbox on JetStream under the agent's owner as sender token (the team
 * owner, or whoever spawned a worker), which receivers check against the registry.
 */
import type { JsMsg, NatsConnection } from 'nats.ws';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { Receipts } from '../core/receipts/index.js';
import type { ReceiptRoute } from '../core/receipts/index.js';
import type { HostedInbox, SendRequest, SenderPolicy } from '../core/router/index.js';
import { InboundConsumers, buildMessage, publishToInbox, senderRefusal, traceparentFor } from '../core/router/index.js';
import type { SendLine, SpawnLine } from '../shared/agent-protocol.js';
import type { Fanout } from '../shared/dispatch.js';
import { isRoleTarget } from '../shared/dispatch.js';
import type { AgentInfo, RoutedMessage, SpawnResponse } from '../shared/domain.js';
import { RoutedMessage as RoutedMessageSchema } from '../shared/domain.js';
import { MESSAGE_STREAM, agentInboxConsumer, headers, parseInboxSubject } from '../shared/nats-subjects.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../shared/json-limits.js';
import { parseUnknown } from '../shared/parse.js';
import type { Logger } from './log.js';
import type { AgentRunner, RunnerContext } from './spawner.js';
import type { RepoAgents } from './team-repo.js';
import { openRepoAgents, teamStartSettings } from './team-repo.js';
import { TeamDispatch } from './team-dispatch.js';
import type { TaskService } from '../core/tasks/index.js';
import { teamTaskService } from './team-tasks.js';

export interface TeamRunnerOptions {
  /** Folder for the private registries and agent data (one sub-folder per repo). */
  dataDir: string;
  /** Folder of the team's manifests (resources/team by default). */
  manifestDir: string;
  /** Recorded as the processes' owner in the private registries. */
  owner: string;
  log: Logger;
  clock?: Clock;
  /** Where a destination lives, for the route stamp; remote when unknown. */
  locationOf?: (repo: string, name: string) => 'local' | 'remote';
  /** A checkout per repo (team.workspaces): the workspace a coding agent of that repo starts on. */
  workspaces?: Readonly<Record<string, string>>;
}

const LIVE = new Set(['active', 'idle', 'busy']);

export class TeamRunner implements AgentRunner {
  private readonly repos = new Map<string, Promise<RepoAgents>>();
  /** Per repo, the tasks our agents requested (team-tasks.ts); only with the tasks bucket. */
  private readonly tasks = new Map<string, TaskService>();
  private readonly hosted = new Map<string, { repo: string; name: string }>();
  private nc: NatsConnection | undefined;
  private readonly clock: Clock;
  private readonly inbound: InboundConsumers;
  private spawn: ((repo: string, from: string, task: string) => Promise<SpawnResponse>) | undefined;
  /** Receipts to the senders of our agents' messages (docs/routing.md, Receipts); the coordinator keeps no traces, so it only reports. */
  private readonly receipts: Receipts;
  /** Sends of our agents to a role or `*`, and what waits for a free instance (team-dispatch.ts). */
  readonly dispatch: TeamDispatch;

  constructor(private readonly options: TeamRunnerOptions) {
    this.clock = options.clock ?? systemClock;
    this.dispatch = new TeamDispatch({
      agents: () => this.senders.agents?.() ?? [],
      publish: (message, sender) => this.publishDispatched(message, sender),
      log: options.log,
      now: () => this.clock.now(),
    });
    this.receipts = new Receipts({ host: 'coordinator', clock: this.clock, connection: () => this.nc });
    this.inbound = new InboundConsumers({
      handle: (msg) => this.deliver(msg),
      onError: (inbox, error) => options.log.warn('inbox consumer failed', { inbox: inbox.label, error: String(error) }),
    });
  }

  /** Where a team agent's `spawn` line goes: the coordinator's spawner, acting as the team. */
  useSpawner(spawn: (repo: string, from: string, task: string) => Promise<SpawnResponse>): void {
    this.spawn = spawn;
  }

  /** Who may speak for whom; until attach() says otherwise, only the team's own names. */
  private senders: SenderPolicy & Pick<RunnerContext, 'countMessage' | 'agents' | 'tasks'> = { anonymousAllowed: false, ownerOf: () => undefined };

  /** The coordinator's connection: inboxes are read and sends published over it. */
  attach(nc: NatsConnection, context?: RunnerContext): void {
    this.nc = nc;
    if (context) this.senders = context;
    context?.onRegistryChange?.(() => this.dispatch.retry());
    this.inbound.attach(nc, this.inboxes());
  }

  /** The durable inbox consumers of the agents it runs, for their lag in the metrics. */
  consumers(): Array<{ repo: string; durable: string }> {
    return [...this.hosted.values()].map(({ repo, name }) => ({ repo, durable: agentInboxConsumer(repo, name).durable }));
  }

  /** One durable consumer per hosted agent, filtered to its inbox whoever sends. */
  private inboxes(): HostedInbox[] {
    return [...this.hosted.values()].map(({ repo, name }) => ({ ...agentInboxConsumer(repo, name), label: `inbox of ${repo}/${name}` }));
  }

  private repoAgents(repo: string): Promise<RepoAgents> {
    let pending = this.repos.get(repo);
    if (!pending) {
      pending = this.openRepo(repo);
      this.repos.set(repo, pending);
    }
    return pending;
  }

  private async openRepo(repo: string): Promise<RepoAgents> {
    const { dataDir, manifestDir, owner } = this.options;
    const opened = await openRepoAgents({ repo, dataDir, manifestDir, owner, clock: this.clock, onOutbound: (event) => void this.outbound(repo, event.from.name, event.line) });
    const bucket = this.senders.tasks;
    if (bucket) {
      this.tasks.set(repo, teamTaskService({ repo, db: opened.db, clock: this.clock, bucket, log: this.options.log, send: (from, request) => this.publish(repo, from, request) }));
    }
    return opened;
  }

  async start(agent: AgentInfo, context: { task?: string }): Promise<void> {
    const key = `${agent.repo}.${agent.name}`;
    // Alive while it starts: a tick in between must neither retire nor re-claim it.
    this.starting.add(key);
    const { agents } = await this.repoAgents(agent.repo).catch((error: unknown) => {
      this.starting.delete(key);
      throw error;
    });
    try {
      await agents.start(agent.type, agent.name, teamStartSettings(this.options.workspaces ?? {}, agent.repo));
    } finally {
      this.starting.delete(key);
    }
    this.hosted.set(key, { repo: agent.repo, name: agent.name });
    this.lastAlive.set(key, true);
    if (context.task) this.ephemeral.add(key);
    this.inbound.sync(this.inboxes());
    if (context.task) {
      // A worker's task arrives as its first message, like any other assignment.
      const spawnedBy = typeof agent.metadata.spawnedBy === 'string' ? agent.metadata.spawnedBy : 'coordinator';
      agents.deliver(this.message(agent.repo, spawnedBy, { to: agent.name, body: { task: context.task }, kind: 'task.assigned' }, 'remote'));
    }
  }

  async stop(repo: string, name: string): Promise<void> {
    this.hosted.delete(`${repo}.${name}`);
    this.inbound.sync(this.inboxes());
    const { agents } = await this.repoAgents(repo);
    await agents.stop(name).catch(() => undefined);
  }

  alive(repo: string, name: string): boolean {
    const key = `${repo}.${name}`;
    return this.starting.has(key) || this.lastAlive.get(key) === true;
  }

  private readonly lastAlive = new Map<string, boolean>();
  /** Agents whose process is being started. */
  private readonly starting = new Set<string>();
  /** Workers (started for one task): their names are never reused, so their inbox consumers go when they end. */
  private readonly ephemeral = new Set<string>();

  /** Refreshes liveness from the private registries; OwnAgents calls it before reading alive(). */
  async refresh(): Promise<void> {
    for (const [key, { repo, name }] of this.hosted) {
      const { registry } = await this.repoAgents(repo);
      const status = registry.get({ repo, name })?.status;
      this.lastAlive.set(key, status !== undefined && LIVE.has(status));
      if (status === 'terminated' || status === undefined) {
        this.hosted.delete(key);
        this.lastAlive.delete(key);
        this.inbound.sync(this.inboxes());
        if (this.ephemeral.delete(key)) void this.dropInboxConsumer(repo, name);
      }
    }
  }

  /** A finished worker's durable inbox consumer would otherwise stay on the server for good. */
  private async dropInboxConsumer(repo: string, name: string): Promise<void> {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.consumers.delete(MESSAGE_STREAM, agentInboxConsumer(repo, name).durable);
    } catch (error) {
      if (!/consumer not found/i.test(String(error))) {
        this.options.log.warn('could not delete a finished worker\'s inbox consumer', { repo, agent: name, error: String(error) });
      }
    }
  }

  /** A message from one of our agents (or to one), stamped as routed over NATS by the coordinator. */
  private message(repo: string, from: string, request: SendRequest, destLocation: 'local' | 'remote'): RoutedMessage {
    const now = this.clock.now();
    return {
      ...buildMessage(request, { from, repo, now }),
      route: { sourceLocation: 'remote', destLocation, routedVia: 'nats', routedAt: now },
    };
  }

  private async outbound(repo: string, from: string, line: SendLine | SpawnLine): Promise<void> {
    try {
      if (line.type === 'spawn') {
        if (!this.spawn) throw new Error('spawning is not wired');
        const response = await this.spawn(repo, from, line.task);
        // The answer reaches the asking agent as a message, like any reply; `ref` is the
        // spawn line's id, so an agent with several spawns in flight can tell them apart.
        const { agents } = await this.repoAgents(repo);
        const answer = { spawned: response, ...(line.id === undefined ? {} : { ref: line.id }) };
        agents.deliver(this.message(repo, 'coordinator', { to: from, body: answer as RoutedMessage['body'], kind: 'text' }, 'remote'));
        return;
      }
      await this.publish(repo, from, { to: line.to, body: line.body, kind: line.kind ?? 'text', id: line.id }, line.fanout);
    } catch (error) {
      if (line.type === 'send') this.senders.countMessage?.('out', 'failed');
      this.options.log.warn('team agent send failed', { repo, agent: from, error: String(error) });
    }
  }

  /**
   * Sends one of our agents' messages; its task (if any) is tracked. A role or `*` is
   * resolved by the coordinator's dispatch (team-dispatch.ts), which may park it.
   */
  private async publish(repo: string, from: string, request: SendRequest, fanout?: Fanout): Promise<{ to: string }> {
    const role = isRoleTarget(request.to);
    const message = this.message(repo, from, request, role ? 'remote' : (this.options.locationOf?.(repo, request.to) ?? 'remote'));
    this.receipts.reporter.outgoing(message);
    this.tasks.get(repo)?.observe(message, 'accepted');
    // The sender token is the agent's owner: the team, or the member who spawned a worker.
    const sender = this.senders.ownerOf(repo, from) ?? this.options.owner;
    if (!role) {
      await this.publishMessage(message, sender);
      return { to: message.to };
    }
    const outcome = await this.dispatch.dispatch(message, fanout, sender);
    return { to: outcome.status === 'sent' ? (outcome.to[0] ?? message.to) : message.to };
  }

  /** A role send's chosen instance: its task now has an assignee, then it is published. */
  private async publishDispatched(message: RoutedMessage, sender: string): Promise<void> {
    this.tasks.get(message.repo)?.observe(message, 'accepted');
    await this.publishMessage(message, sender);
  }

  /** Publishes one message to its agent's inbox; the dispatch ledger sees it (a task opened or closed). */
  private async publishMessage(message: RoutedMessage, sender: string): Promise<void> {
    const nc = this.nc;
    if (!nc) throw new Error('not connected');
    await publishToInbox(nc, message, traceparentFor(message.traceId), 5_000, sender);
    this.senders.countMessage?.('out', 'published');
    this.dispatch.observe(message);
  }

  private async deliver(msg: JsMsg): Promise<void> {
    let message: RoutedMessage;
    try {
      message = parseUnknown(RoutedMessageSchema, parseJsonText(msg.data, NATS_JSON_LIMITS, 'inbox message'), 'inbox message');
    } catch (error) {
      // A malformed message is dropped (and acked): redelivering it would not fix it.
      this.options.log.warn('dropped a malformed inbox message', { subject: msg.subject, error: String(error) });
      this.senders.countMessage?.('in', 'rejected');
      const route = this.receiptRoute(msg.subject);
      if (route) this.receipts.reporter.rejected(msg.headers?.get(headers.msgId) || undefined, route, `malformed: ${(error as Error).message}`);
      return;
    }
    const route = this.receiptRoute(msg.subject);
    const refusal = senderRefusal(msg.subject, message, this.senders);
    if (refusal !== undefined) {
      // Acked, never retried: a forgery cannot become genuine.
      this.options.log.warn('rejected an inbox message', { subject: msg.subject, id: message.id, from: message.from, to: message.to, reason: refusal });
      this.senders.countMessage?.('in', 'rejected');
      if (route) this.receipts.reporter.rejected(message.id, route, refusal, message.route.sourceLocation);
      return;
    }
    const { agents, ledger } = await this.repoAgents(message.repo);
    // Delivered once per id, like on a desktop: a copy published again (another Nats-Msg-Id,
    // or the same after the duplicate window) is acked and dropped.
    if (ledger.seen(message.id)) return;
    if (route) this.receipts.reporter.received(message, route);
    if (!agents.deliver(message)) throw new Error(`${message.to} is not running here`);
    this.tasks.get(message.repo)?.observe(message, 'delivered');
    ledger.mark(message.id, this.clock.now());
    this.dispatch.observe(message);
    this.receipts.reporter.delivered(message.id);
    this.senders.countMessage?.('in', 'delivered');
  }

  /** Receipts go to the subject's sender token, reported under the recipient's owner (as its messages are sent). */
  private receiptRoute(subject: string): ReceiptRoute | undefined {
    const inbox = parseInboxSubject(subject);
    if (!inbox) return undefined;
    return { repo: inbox.repo, sender: inbox.sender, by: this.senders.ownerOf(inbox.repo, inbox.agent) ?? this.options.owner };
  }

  async close(): Promise<void> {
    this.inbound.detach();
    this.receipts.close();
    await Promise.all(
      [...this.ephemeral].map((key) => {
        const hosted = this.hosted.get(key);
        return hosted ? this.dropInboxConsumer(hosted.repo, hosted.name) : undefined;
      }),
    );
    this.ephemeral.clear();
    for (const tasks of this.tasks.values()) tasks.close();
    this.tasks.clear();
    for (const pending of this.repos.values()) await (await pending).close();
    this.repos.clear();
    this.hosted.clear();
  }
}
