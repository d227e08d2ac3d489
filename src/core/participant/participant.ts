/**
 * The person at the desktop as a participant: the `user` endpoint (a local, user-owned
 * agent of type `person`, registered and mirrored like any other), what they said and
 * were told, the approvals asked of them, and the usage of the tasks this desktop saw
 * finish. docs/coding-agents.md, "The person as a participant" and "Costs and usage".
 */
import type { Database } from 'better-sqlite3';
import type { ConversationEntry } from '../../shared/coding-contract.js';
import { ApprovalAnswerBody, PARTICIPANT_NAME, PARTICIPANT_TYPE } from '../../shared/coding.js';
import type { EventName, EventPayload } from '../../shared/contract.js';
import type { RoutedMessage } from '../../shared/domain.js';
import type { AttachedEndpoint, LocalAgents } from '../agents/index.js';
import type { Clock } from '../clock.js';
import type { Handlers } from '../dispatch.js';
import type { MessageStage, Routing } from '../router/index.js';
import { ApprovalStore } from './approval-store.js';
import { Approvals } from './approvals.js';
import { ConversationStore } from './conversation-store.js';
import { taskIdOf, usageRecordOf } from './message-bodies.js';
import { TickBatcher } from './tick-batcher.js';
import { UsageStore } from './usage-store.js';

export type ParticipantCallName = 'conversation.get' | 'approvals.list' | 'approvals.answer' | 'usage.summary';

/** Entries `conversation.get` answers when the caller sets no limit. */
export const DEFAULT_CONVERSATION_LIMIT = 200;

export interface ParticipantOptions {
  db: Database;
  clock: Clock;
  localAgents: Pick<LocalAgents, 'attachEndpoint'>;
  routing: Pick<Routing, 'router' | 'onMessage'>;
  /** The repo the endpoint registers in (the hybrid config's); `setRepo` follows changes. */
  repo: string;
  emit<E extends 'conversation.appended' | 'approvals.changed' | 'usage.changed'>(event: E, payload: EventPayload<E & EventName>): void;
}

export class Participant {
  readonly handlers: Pick<Handlers, ParticipantCallName>;
  private readonly conversation: ConversationStore;
  private readonly usage: UsageStore;
  private readonly approvals: Approvals;
  private readonly appended: TickBatcher<ConversationEntry>;
  private readonly stopWatching: () => void;
  private endpoint: AttachedEndpoint;
  private repo: string;
  private closed = false;

  constructor(private readonly options: ParticipantOptions) {
    this.conversation = new ConversationStore(options.db);
    this.usage = new UsageStore(options.db);
    this.appended = new TickBatcher((entries) => options.emit('conversation.appended', { entries }));
    this.approvals = new Approvals({
      store: new ApprovalStore(options.db),
      clock: options.clock,
      send: ({ to, repo, kind, body }) => options.routing.router.route({ to, repo, kind, body }, { source: 'ui', from: PARTICIPANT_NAME }),
      onChanged: (payload) => options.emit('approvals.changed', payload),
    });
    this.stopWatching = options.routing.onMessage((message, stage) => this.watch(message, stage));
    this.repo = options.repo;
    this.endpoint = this.attach();
    this.handlers = {
      'conversation.get': ({ peer, limit }) => this.conversation.get(peer, limit ?? DEFAULT_CONVERSATION_LIMIT),
      'approvals.list': (query) => this.approvals.list(query?.state),
      'approvals.answer': (input) => this.approvals.answer(input),
      'usage.summary': (query) => this.usage.summary(query ?? {}),
    };
  }

  /** The hybrid config's repo changed: the endpoint moves there (registered anew). */
  setRepo(repo: string): void {
    if (this.closed || repo === this.repo) return;
    this.endpoint.detach();
    this.repo = repo;
    this.endpoint = this.attach();
  }

  /** Stops timers and hands over pending events; the endpoint's record goes with the local agents. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopWatching();
    this.approvals.close();
    this.appended.flush();
  }

  private attach(): AttachedEndpoint {
    return this.options.localAgents.attachEndpoint({
      name: PARTICIPANT_NAME,
      type: PARTICIPANT_TYPE,
      repo: this.repo,
      onMessage: (message) => this.received(message),
    });
  }

  /** A message delivered to the person: kept in the conversation as it is, and maybe an approval. */
  private received(message: RoutedMessage): void {
    if (this.closed) return;
    this.keep(message, 'in', message.from);
    this.approvals.requested(message);
  }

  /** What the router accepted and delivered: the person's own messages, and finished tasks' usage. */
  private watch(message: RoutedMessage, stage: MessageStage): void {
    if (stage === 'accepted' && message.from === PARTICIPANT_NAME) this.keep(message, 'out', message.to);
    const record = usageRecordOf(message);
    if (record && this.usage.count(record)) {
      this.options.emit('usage.changed', { agent: record.agent, repo: record.repo, totals: this.usage.totals(record.agent, record.repo) });
    }
  }

  private keep(message: RoutedMessage, direction: ConversationEntry['direction'], peer: string): void {
    const entry: ConversationEntry = {
      messageId: message.id,
      at: message.timestamp,
      direction,
      peer,
      repo: message.repo,
      kind: message.kind,
      body: message.body,
      taskId: this.taskOf(message),
    };
    if (this.conversation.append(entry)) this.appended.push(entry);
  }

  private taskOf(message: RoutedMessage): string | null {
    if (message.kind === 'approval.granted' || message.kind === 'approval.denied') {
      const answer = ApprovalAnswerBody.safeParse(message.body).data;
      return answer ? this.approvals.taskOf(answer.approvalId) : null;
    }
    return taskIdOf(message.kind, message.body);
  }
}
