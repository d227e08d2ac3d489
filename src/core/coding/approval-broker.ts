/**
 * Approvals as messages: an engine's permission callback becomes an `approval.requested`
 * to the approver (approver.ts), and the `approval.granted` / `approval.denied` that comes
 * back from that approver settles it. Unanswered by `expiresAt`, or when the task is
 * cancelled, it counts as denied. Tools the manifest allows, or an approver allowed
 * "always", are used without asking; tools the manifest disallows are never used.
 */
import { randomBytes } from 'node:crypto';
import type { ApprovalRequestedBody, CodingAgentConfig } from '../../shared/coding.js';
import { ApprovalAnswerBody } from '../../shared/coding.js';
import type { MessageKind, RoutedMessage } from '../../shared/domain.js';
import type { Clock } from '../clock.js';
import { scheduleOn, systemClock } from '../clock.js';
import { cutJson, cutText } from './cut-json.js';
import type { ApprovalDecision, ToolUseRequest } from './engine.js';

export interface ApprovalContext {
  taskId: string;
  approver: string;
  cwd: string;
  /** The turn's signal: aborted (cancel, timeout) denies what is still pending. */
  signal: AbortSignal;
}

export interface ApprovalBrokerOptions {
  config: Pick<CodingAgentConfig, 'approvalTimeoutMs' | 'allowedTools' | 'disallowedTools'>;
  /** Where "always" answers are kept (the session store). */
  always: { isAlwaysAllowed(tool: string): boolean; allowAlways(tool: string): void };
  send(to: string, body: ApprovalRequestedBody, kind: MessageKind): void;
  log(level: 'info' | 'warn', message: string): void;
  clock?: Clock;
  newId?: () => string;
}

interface Pending {
  approver: string;
  tool: string;
  settle(decision: ApprovalDecision): void;
}

export class ApprovalBroker {
  private readonly pending = new Map<string, Pending>();
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(private readonly options: ApprovalBrokerOptions) {
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? (() => `ap-${randomBytes(9).toString('base64url')}`);
  }

  /** Approvals sent and not yet answered. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Decides a tool use: by policy, or by asking the approver and waiting for the answer. */
  request(context: ApprovalContext, use: ToolUseRequest): Promise<ApprovalDecision> {
    const { config, always } = this.options;
    if (config.disallowedTools.includes(use.tool)) {
      return Promise.resolve({ allow: false, reason: `${use.tool} is disallowed by this agent's manifest` });
    }
    if (config.allowedTools.includes(use.tool) || always.isAlwaysAllowed(use.tool)) return Promise.resolve({ allow: true });
    if (context.signal.aborted) return Promise.resolve({ allow: false, reason: 'the task was stopped' });
    return this.ask(context, use);
  }

  /**
   * Takes an `approval.granted` / `approval.denied` message. Answers from anyone but the
   * approver asked, for an unknown approval, or with a bad body are logged and ignored.
   */
  answer(message: RoutedMessage): void {
    const parsed = ApprovalAnswerBody.safeParse(message.body);
    if (!parsed.success) {
      this.options.log('warn', `ignored ${message.kind} from ${message.from}: ${parsed.error.issues[0]?.message ?? 'bad body'}`);
      return;
    }
    const { approvalId, always, reason } = parsed.data;
    const pending = this.pending.get(approvalId);
    if (!pending) {
      this.options.log('info', `ignored ${message.kind} from ${message.from}: approval ${approvalId} is not pending (answered, expired or unknown)`);
      return;
    }
    if (pending.approver !== message.from) {
      this.options.log('warn', `ignored ${message.kind} for ${approvalId} from ${message.from}: only ${pending.approver} decides it`);
      return;
    }
    if (message.kind === 'approval.granted') {
      if (always) this.options.always.allowAlways(pending.tool);
      pending.settle({ allow: true, ...(always ? { always } : {}) });
    } else {
      pending.settle({ allow: false, reason: reason ?? `${message.from} denied it` });
    }
  }

  private ask(context: ApprovalContext, use: ToolUseRequest): Promise<ApprovalDecision> {
    const { approvalTimeoutMs } = this.options.config;
    const approvalId = this.newId();
    const expiresAt = this.clock.now() + approvalTimeoutMs;
    return new Promise<ApprovalDecision>((resolve) => {
      const onAbort = (): void => settle({ allow: false, reason: 'the task was stopped before anyone answered' });
      const cancelTimer = scheduleOn(this.clock, approvalTimeoutMs, () =>
        settle({ allow: false, reason: `no answer within ${duration(approvalTimeoutMs)}` }),
      );
      const settle = (decision: ApprovalDecision): void => {
        if (!this.pending.delete(approvalId)) return;
        cancelTimer();
        context.signal.removeEventListener('abort', onAbort);
        resolve(decision);
      };
      this.pending.set(approvalId, { approver: context.approver, tool: use.tool, settle });
      context.signal.addEventListener('abort', onAbort, { once: true });
      const body: ApprovalRequestedBody = {
        approvalId,
        taskId: context.taskId,
        tool: cutText(use.tool, 256),
        summary: cutText(use.summary, 512),
        input: cutJson(use.input),
        cwd: context.cwd,
        expiresAt,
      };
      this.options.send(context.approver, body, 'approval.requested');
    });
  }
}

/** `300 s`, or `500 ms` under a second. */
function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`;
}
