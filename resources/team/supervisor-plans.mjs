// The demo supervisor's work-model side: a task is planned into subtasks, dispatched by
// capability, and completed from its subtasks' results (supervisor.mjs says when).
import { assignedTask, completed, failed, planOf, progress, started, subtaskId, taskIdOf } from './task-bodies.mjs';

/** Tasks being worked on, by id: who asked, the subtasks and their results. */
const tasks = new Map();
/** Which task a subtask belongs to. */
const parentOf = new Map();

export const plans = {
  /** A task to plan, or a report about one of our subtasks. */
  handles(message) {
    if (message.kind === 'task.assigned') return assignedTask(message.body) !== undefined;
    const id = taskIdOf(message.body);
    return id !== undefined && parentOf.has(id);
  },
  onMessage(message, agent) {
    if (message.kind === 'task.assigned') plan(message, agent);
    else report(message, agent);
  },
  size: () => tasks.size,
};

function plan(message, agent) {
  const task = assignedTask(message.body);
  // A redelivered assignment (same taskId) is the task already being worked on, not a second one.
  if (tasks.has(task.taskId)) return;
  const steps = planOf(task.prompt);
  const entry = { requester: message.from, inReplyTo: message.id, startedAt: Date.now(), seq: 0, results: new Map(), count: steps.length };
  tasks.set(task.taskId, entry);
  agent.send(message.from, started(task.taskId, message.id), 'task.started');
  tell(agent, task.taskId, `planned ${steps.length} subtask${steps.length === 1 ? '' : 's'}: ${steps.join(' | ')}`);
  steps.forEach((step, index) => {
    const id = subtaskId(task.taskId, index);
    parentOf.set(id, task.taskId);
    const deadline = task.deadline === undefined ? {} : { deadline: task.deadline };
    agent.send('capability:task', { taskId: id, title: step.slice(0, 256), prompt: step, parentTaskId: task.taskId, ...deadline }, 'task.assigned');
  });
}

function report(message, agent) {
  const id = taskIdOf(message.body);
  const parentId = parentOf.get(id);
  const entry = tasks.get(parentId);
  if (!entry) return;
  if (message.kind === 'task.failed') {
    finish(parentId);
    agent.send(entry.requester, failed(parentId, entry.inReplyTo, `subtask ${id} failed: ${message.body.message ?? 'no reason given'}`), 'task.failed');
    return;
  }
  if (message.kind !== 'task.completed') return;
  entry.results.set(id, typeof message.body.text === 'string' ? message.body.text : JSON.stringify(message.body));
  tell(agent, parentId, `${id} done by ${message.from} (${entry.results.size}/${entry.count})`);
  if (entry.results.size < entry.count) return;
  finish(parentId);
  // In the plan's order, whatever order the workers finished in.
  const text = Array.from({ length: entry.count }, (_, index) => subtaskId(parentId, index))
    .map((sub) => `${sub}: ${entry.results.get(sub)}`)
    .join('\n');
  agent.send(entry.requester, completed(parentId, entry.inReplyTo, text, entry.startedAt, entry.count), 'task.completed');
}

function tell(agent, taskId, text) {
  const entry = tasks.get(taskId);
  entry.seq += 1;
  agent.send(entry.requester, progress(taskId, entry.inReplyTo, entry.seq, text), 'task.progress');
}

function finish(taskId) {
  tasks.delete(taskId);
  for (const [sub, parent] of parentOf) if (parent === taskId) parentOf.delete(sub);
}
