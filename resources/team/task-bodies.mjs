// Bodies of the work model's messages for the scripted team agents (the schemas are in
// src/shared/tasks.ts and src/shared/coding.ts; docs/tasks.md). A scripted agent has no
// model, so its usage is zero and its cost unknown.

const NO_USAGE = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: null };

/** A `task.assigned` body of the work model ({ taskId, prompt }), or undefined for anything else. */
export function assignedTask(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  if (typeof body.taskId !== 'string' || typeof body.prompt !== 'string') return undefined;
  const deadline = typeof body.deadline === 'number' ? { deadline: body.deadline } : {};
  return { taskId: body.taskId, title: typeof body.title === 'string' ? body.title : body.prompt.slice(0, 80), prompt: body.prompt, ...deadline };
}

/** The id of the task a report names, if any. */
export function taskIdOf(body) {
  return body && typeof body === 'object' && typeof body.taskId === 'string' ? body.taskId : undefined;
}

export const started = (taskId, inReplyTo) => ({ taskId, inReplyTo, cwd: '', branch: null, resumed: false });

export const progress = (taskId, inReplyTo, seq, text) => ({ taskId, inReplyTo, seq, events: [{ type: 'text', text }] });

export const completed = (taskId, inReplyTo, text, startedAt, turns = 1) => ({
  taskId,
  inReplyTo,
  text,
  changedFiles: [],
  branch: null,
  worktree: null,
  usage: NO_USAGE,
  durationMs: Math.max(0, Date.now() - startedAt),
  turns,
  sessionId: '',
});

export const failed = (taskId, inReplyTo, message) => ({ taskId, inReplyTo, reason: 'internal', message });

/** A subtask id under its parent's, within the 64 characters a task id may have. */
export const subtaskId = (parentId, index) => `${parentId.slice(0, 56)}-s${index + 1}`;

/**
 * The demo supervisor's plan: one subtask per line (or per `;`), at most 8; a single
 * line is one subtask.
 */
export function planOf(prompt) {
  const parts = prompt
    .split(/\n|;/)
    .map((part) => part.replace(/^\s*(?:[-*]|\d+[.)])\s*/, '').trim())
    .filter((part) => part.length > 0);
  return (parts.length > 0 ? parts : [prompt]).slice(0, 8);
}
