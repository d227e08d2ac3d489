/**
 * Approvals asked of the person: an `approval.requested` message becomes a pending
 * approval; answering sends `approval.granted` or `approval.denied` back to the agent
 * through the router; one left unanswered past its `expiresAt` turns `expired` (the
 * agent counts it as denied on its side, whatever happens here).
 */
import type { ApprovalState, ApprovalView, ApprovalsChanged } from '../../shared/coding-contract.js';
import type { ApprovalAnswerBody } from '../../shared/coding.js';
import { ApprovalRequestedBody } from '../../shared/coding.js';
import type { RoutedMessage } from '../../shared/domain.js';
import { ApprovalClosed, ApprovalNotFound } from '../../shared/errors.js';
import type { Clock } from '../clock.js';
import { scheduleOn } from '../clock.js';
import type { ApprovalStore } from './approval-store.js';

/** Timers longer than this overflow Node's (they would fire at once): longer waits go in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export interface AnswerInput {
  approvalId: string;
  allow: boolean;
  always?: boolean;
  reason?: string;
}

export interface ApprovalsOptions {
  store: ApprovalStore;
  clock: Clock;
  /** Routes the answer from the person to the agent that asked; rejects if the router refuses it. */
  send(answer: { to: string; repo: string; kind: 'approval.granted' | 'approval.denied'; body: ApprovalAnswerBody }): Promise<unknown>;
  onChanged(payload: ApprovalsChanged): void;
}

export class Approvals {
  private readonly timers = new Map<string, () => void>();
  private closed = false;

  constructor(private readonly options: ApprovalsOptions) {
    // Pending approvals from before a restart: expire those whose time passed, wait for the rest.
    for (const view of options.store.list('pending')) this.watch(view);
  }

  /** Takes a message delivered to the person; a bad body makes no approval (the conversation keeps it). */
  requested(message: RoutedMessage): ApprovalView | undefined {
    if (message.kind !== 'approval.requested') return undefined;
    const body = ApprovalRequestedBody.safeParse(message.body).data;
    if (!body) return undefined;
    const now = this.options.clock.now();
    const view: ApprovalView = {
      approvalId: body.approvalId,
      from: message.from,
      repo: message.repo,
      messageId: message.id,
      taskId: body.taskId,
      tool: body.tool,
      summary: body.summary,
      input: body.input,
      cwd: body.cwd,
      requestedAt: now,
      expiresAt: body.expiresAt,
      state: now >= body.expiresAt ? 'expired' : 'pending',
      answeredAt: null,
    };
    if (!this.options.store.add(view)) return undefined;
    this.changed(view);
    if (view.state === 'pending') this.watch(view);
    return view;
  }

  list(state?: ApprovalState): ApprovalView[] {
    return this.options.store.list(state);
  }

  /** The task an approval belongs to (an answer's conversation entry names it). */
  taskOf(approvalId: string): string | null {
    return this.options.store.get(approvalId)?.taskId ?? null;
  }

  /**
   * Answers a pending approval: marked answered first (so a second answer is refused at
   * once), then routed; if the router refuses the answer, the approval is pending again
   * and the error goes to the caller.
   */
  async answer(input: AnswerInput): Promise<ApprovalView> {
    const { store, clock } = this.options;
    const view = store.get(input.approvalId);
    if (!view) throw new ApprovalNotFound(`no approval "${input.approvalId}" was asked of you`);
    if (view.state === 'pending' && clock.now() >= view.expiresAt) this.expire(view.approvalId);
    const state = input.allow ? 'granted' : 'denied';
    const at = clock.now();
    if (!store.move(view.approvalId, 'pending', state, at)) {
      const now = store.get(view.approvalId)?.state ?? view.state;
      throw new ApprovalClosed(
        `approval "${view.approvalId}" is ${now === 'expired' ? 'expired' : `already ${now}`}: ${view.from} went on without this answer`,
      );
    }
    this.unwatch(view.approvalId);
    const body: ApprovalAnswerBody = {
      approvalId: view.approvalId,
      always: input.allow ? (input.always ?? false) : false,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
    };
    try {
      await this.options.send({ to: view.from, repo: view.repo, kind: input.allow ? 'approval.granted' : 'approval.denied', body });
    } catch (error) {
      if (store.move(view.approvalId, state, 'pending', null)) this.watch({ ...view, state: 'pending' });
      throw error;
    }
    const answered = store.get(view.approvalId)!;
    this.changed(answered);
    return answered;
  }

  close(): void {
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private watch(view: ApprovalView): void {
    if (this.closed) return;
    const wait = view.expiresAt - this.options.clock.now();
    if (wait <= 0) {
      this.expire(view.approvalId);
      return;
    }
    this.unwatch(view.approvalId);
    this.timers.set(
      view.approvalId,
      scheduleOn(this.options.clock, Math.min(wait, MAX_TIMER_MS), () => {
        this.timers.delete(view.approvalId);
        this.watch(view);
      }),
    );
  }

  private unwatch(approvalId: string): void {
    this.timers.get(approvalId)?.();
    this.timers.delete(approvalId);
  }

  private expire(approvalId: string): void {
    this.unwatch(approvalId);
    if (!this.options.store.move(approvalId, 'pending', 'expired', null)) return;
    const view = this.options.store.get(approvalId);
    if (view) this.changed(view);
  }

  private changed(view: ApprovalView): void {
    this.options.onChanged({ changed: [view], pending: this.options.store.pending() });
  }
}
