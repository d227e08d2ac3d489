/**
 * The coding agent's inbox: which messages are work, and when each turn runs.
 *
 * A `text` or `task.assigned` whose body is a CodingTaskRequest becomes a turn of a task
 * (a new one, or the named one continued). One turn runs at a time per task (later ones
 * wait), up to `maxConcurrentTasks` tasks at once; the agent says `busy` while full.
 * `task.cancel` aborts a task's running turn and drops its waiting ones. Task reports
 * sent *to* the agent are answers, not work, and are ignored (as the command agent does).
 */
import { randomBytes } from 'node:crypto';
import type { TaskFailedBody } from '../../shared/coding.js';
import { CodingTaskRequest, TaskCancelBody } from '../../shared/coding.js';
import type { AgentLoad, MessageKind, RoutedMessage } from '../../shared/domain.js';
import type { SelfStatus } from './agent-link.js';
import { approverFor } from './approver.js';
import type { TurnHost, TurnRequestInfo } from './turn.js';
import { abortTurn } from './turn-abort.js';
import { runTurn } from './turn.js';

export interface TaskRunnerOptions extends TurnHost {
  maxConcurrentTasks: number;
  /** The desktop's owner endpoint (SWITCHYARD_APPROVER), for requests from local agents. */
  approverFallback?: string;
  status(status: SelfStatus): void;
  newTaskId?: () => string;
}

/** What each message kind is to a coding agent (a table, so a new kind must be placed). */
const ROLE: Record<MessageKind, 'work' | 'cancel' | 'answer' | 'report' | 'other'> = {
  text: 'work',
  'task.assigned': 'work',
  'task.cancel': 'cancel',
  'approval.granted': 'answer',
  'approval.denied': 'answer',
  'task.started': 'report',
  'task.progress': 'report',
  'task.completed': 'report',
  'task.failed': 'report',
  'approval.requested': 'report',
  'help.request': 'other',
  'help.offered': 'other',
  'context.share': 'other',
  'decision.request': 'other',
  'decision.made': 'other',
};

interface Running {
  turn: TurnRequestInfo;
  controller: AbortController;
  done: Promise<void>;
}

export class TaskRunner {
  private readonly waiting: TurnRequestInfo[] = [];
  private readonly running = new Map<string, Running>();
  private readonly newTaskId: () => string;
  private stopped = false;

  constructor(private readonly options: TaskRunnerOptions) {
    this.newTaskId = options.newTaskId ?? (() => `t-${randomBytes(4).toString('hex')}`);
  }

  /** For heartbeats: tasks running now, out of how many at once. */
  load(): AgentLoad {
    return { current: this.running.size, max: this.options.maxConcurrentTasks };
  }

  /** Turns waiting for their task or for a free slot. */
  get queued(): number {
    return this.waiting.length;
  }

  handle(message: RoutedMessage): void {
    switch (ROLE[message.kind]) {
      case 'work':
        this.take(message);
        return;
      case 'cancel':
        this.cancel(message);
        return;
      case 'answer':
        this.options.approvals.answer(message);
        return;
      case 'report':
        // Reports on work, not work: answering them could loop (resources/agents/command.mjs).
        return;
      case 'other':
        this.options.log('info', `ignored a ${message.kind} message from ${message.from}: this agent takes text and task.assigned`);
        return;
    }
  }

  /** Aborts every running turn and fails every waiting one; resolves when the turns have ended. */
  async stopAll(why: string): Promise<void> {
    this.stopped = true;
    for (const turn of this.waiting.splice(0)) this.failWaiting(turn, `the agent stopped before this started (${why})`);
    const ending = [...this.running.values()];
    for (const { controller } of ending) abortTurn(controller, 'cancelled', `the agent stopped (${why})`);
    await Promise.all(ending.map((r) => r.done));
  }

  private take(message: RoutedMessage): void {
    const parsed = CodingTaskRequest.safeParse(message.body);
    if (!parsed.success) {
      const body: TaskFailedBody = {
        inReplyTo: message.id,
        reason: 'bad-request',
        message: `not a coding task: send a prompt string, or { prompt, taskId?, title? } (${parsed.error.message.slice(0, 4000)})`,
      };
      this.options.send(message.from, body, 'task.failed');
      return;
    }
    const request = typeof parsed.data === 'string' ? { prompt: parsed.data } : parsed.data;
    const turn: TurnRequestInfo = {
      taskId: request.taskId ?? this.newTaskId(),
      prompt: request.prompt,
      messageId: message.id,
      requester: message.from,
      approver: approverFor(message.from, this.options.approverFallback),
    };
    if (this.stopped) {
      this.failWaiting(turn, 'the agent is stopping');
      return;
    }
    this.waiting.push(turn);
    this.pump();
  }

  private cancel(message: RoutedMessage): void {
    const parsed = TaskCancelBody.safeParse(message.body);
    if (!parsed.success) {
      this.options.log('warn', `ignored a task.cancel from ${message.from}: ${parsed.error.issues[0]?.message ?? 'bad body'}`);
      return;
    }
    const { taskId } = parsed.data;
    const running = this.running.get(taskId);
    const owner = running?.turn ?? this.waiting.find((t) => t.taskId === taskId);
    if (!owner) {
      this.options.log('info', `task.cancel from ${message.from}: task ${taskId} is not running or waiting`);
      return;
    }
    if (message.from !== owner.requester && message.from !== owner.approver) {
      this.options.log('warn', `ignored a task.cancel of ${taskId} from ${message.from}: only ${owner.requester} or ${owner.approver} may cancel it`);
      return;
    }
    const why = `cancelled by ${message.from}`;
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const turn = this.waiting[i]!;
      if (turn.taskId !== taskId) continue;
      this.waiting.splice(i, 1);
      this.failWaiting(turn, `${why} before it started`);
    }
    if (running) abortTurn(running.controller, 'cancelled', why);
    this.reportStatus();
  }

  /** Starts waiting turns, oldest first, while slots are free and their task is not running. */
  private pump(): void {
    for (let i = 0; i < this.waiting.length && this.running.size < this.options.maxConcurrentTasks; ) {
      const turn = this.waiting[i]!;
      if (this.running.has(turn.taskId)) {
        i += 1;
        continue;
      }
      this.waiting.splice(i, 1);
      this.start(turn);
    }
    this.reportStatus();
  }

  private start(turn: TurnRequestInfo): void {
    const controller = new AbortController();
    const done = runTurn(this.options, turn, controller)
      .catch((error: unknown) => this.options.log('error', `task ${turn.taskId} ended badly: ${String(error)}`))
      .finally(() => {
        this.running.delete(turn.taskId);
        this.pump();
      });
    this.running.set(turn.taskId, { turn, controller, done });
  }

  private failWaiting(turn: TurnRequestInfo, message: string): void {
    const body: TaskFailedBody = { taskId: turn.taskId, inReplyTo: turn.messageId, reason: 'cancelled', message };
    this.options.send(turn.requester, body, 'task.failed');
  }

  private reportStatus(): void {
    const { size } = this.running;
    this.options.status(size >= this.options.maxConcurrentTasks ? 'busy' : size > 0 ? 'active' : 'idle');
  }
}
