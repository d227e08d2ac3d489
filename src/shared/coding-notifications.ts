/**
 * Which conversation messages raise an OS notification, and what it says: an agent asks
 * for an approval, or a task finished or failed; and which problems do (a serious one
 * was raised: src/shared/problems.ts). Pure, so the Electron main process
 * (Electron's `Notification`) and the web UI (the browser's Notification API) decide
 * alike; each host says what the person is looking at.
 */
import type { ConversationEntry } from './coding-contract.js';
import { ApprovalRequestedBody, TaskCompletedBody, TaskFailedBody } from './coding.js';
import type { MessageKind } from './domain.js';
import type { ProblemsChanged } from './problems.js';

export interface OsNotification {
  /** One per message: a host that sees the same message twice replaces, never repeats. */
  tag: string;
  title: string;
  body: string;
  /** The agent it is about: a click opens its conversation. Null for a problem: a click opens the notification centre. */
  peer: string | null;
  kind: 'approval' | 'completed' | 'failed' | 'problem';
}

/** What is on screen in front of the person, or null when the app is not in front. */
export interface OnScreen {
  /** The agent whose conversation is shown, if any. */
  conversation: string | null;
  /** The Approvals inbox is shown. */
  approvals: boolean;
}

const BODY_MAX = 180;

function firstLine(text: string): string {
  const line = text.trim().split('\n', 1)[0] ?? '';
  return line.length > BODY_MAX ? `${line.slice(0, BODY_MAX - 1)}…` : line;
}

type Describe = (entry: ConversationEntry) => Pick<OsNotification, 'kind' | 'title' | 'body'> | null;

/** The kinds that notify, and what each says; a body that does not parse says nothing. */
const DESCRIBE: Partial<Record<MessageKind, Describe>> = {
  'approval.requested': (entry) => {
    const body = ApprovalRequestedBody.safeParse(entry.body);
    if (!body.success) return null;
    return { kind: 'approval', title: `${entry.peer} asks to use ${body.data.tool}`, body: firstLine(body.data.summary) };
  },
  'task.completed': (entry) => {
    const body = TaskCompletedBody.safeParse(entry.body);
    if (!body.success) return null;
    const files = body.data.changedFiles.length;
    const changed = files > 0 ? ` (${files} file${files === 1 ? '' : 's'} changed)` : '';
    return { kind: 'completed', title: `${entry.peer} finished a task${changed}`, body: firstLine(body.data.text) };
  },
  'task.failed': (entry) => {
    const body = TaskFailedBody.safeParse(entry.body);
    if (!body.success) return null;
    return { kind: 'failed', title: `${entry.peer}: task failed (${body.data.reason})`, body: firstLine(body.data.message) };
  },
};

/** The notification one entry deserves, before asking what is on screen. */
export function notificationOf(entry: ConversationEntry): OsNotification | null {
  if (entry.direction !== 'in') return null;
  const described = DESCRIBE[entry.kind]?.(entry);
  return described ? { ...described, tag: `switchyard:${entry.messageId}`, peer: entry.peer } : null;
}

/**
 * The notifications a batch of appended entries raises: none for the conversation on
 * screen (the person sees it already), none for approvals while the inbox is on screen.
 */
export function notificationsFor(entries: readonly ConversationEntry[], screen: OnScreen | null): OsNotification[] {
  const out: OsNotification[] = [];
  for (const entry of entries) {
    const note = notificationOf(entry);
    if (!note) continue;
    if (screen && screen.conversation === note.peer) continue;
    if (screen && screen.approvals && note.kind === 'approval') continue;
    out.push(note);
  }
  return out;
}

/**
 * The notifications a `problems.changed` raises: one per serious (`error`) problem just
 * raised, new or back after clearing; a repeat of a standing problem stays quiet. None
 * while the app is in front (`screen` not null): the bell in its top bar says it.
 */
export function problemNotificationsFor(change: ProblemsChanged, screen: OnScreen | null): OsNotification[] {
  if (screen || change.raised.length === 0) return [];
  const raised = new Set(change.raised);
  return change.problems
    .filter((problem) => raised.has(problem.id) && problem.severity === 'error' && problem.resolvedAt === null)
    .map((problem) => ({
      tag: `switchyard:problem:${problem.id}:${problem.firstAt}`,
      title: problem.title,
      body: firstLine(`${problem.reason} — ${problem.advice}`),
      peer: null,
      kind: 'problem',
    }));
}
