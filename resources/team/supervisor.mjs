// Demo supervisor: a task from anyone gets a worker. The coordinator answers the spawn
// with a message from "coordinator" naming the worker (and the spawn's id as `ref`); the
// requester is then told `task.assigned {assignedTo}`, and what the worker reports
// (task.started / task.progress / task.completed / task.failed) is passed on to it.
//
// A report from a worker is never a new task, even though its body carries `{task}`:
// taking it for one would spawn a worker per report, and every such worker's reports
// would spawn more (a runaway that only the coordinator's maxWorkers stops).
//
// A work-model task (`task.assigned` with { taskId, prompt }, docs/tasks.md) is planned
// instead: one subtask per line of its prompt, each dispatched to whoever offers the
// `task` capability (`to: "capability:task"`, the router picks a free instance and the
// coordinator's spawn rule starts workers while subtasks wait). The supervisor reports
// the plan and each subtask's end as progress, and completes the task with the results
// once every subtask has, or fails it when one fails.
import { runTeamAgent, taskOf } from './team-io.mjs';
import { plans } from './supervisor-plans.mjs';

const REPORTS = new Set(['task.started', 'task.progress', 'task.completed', 'task.failed']);
/** Spawns waiting for the coordinator's answer, by spawn id. */
const waiting = new Map();
/** Workers at work, by name: who asked, and for what. */
const working = new Map();
let seq = 0;

runTeamAgent({
  onMessage(message, agent) {
    const body = message.body;
    if (message.from === 'coordinator' && body && typeof body === 'object' && body.spawned) onSpawned(body, agent);
    else if (plans.handles(message)) plans.onMessage(message, agent);
    else if (REPORTS.has(message.kind)) onReport(message, agent);
    else onTask(message, agent);
  },
  load: () => ({ current: working.size + plans.size(), max: Math.max(agentMax(), working.size + plans.size()) }),
});

/** The coordinator's answer to a spawn: the requester learns who took its task. */
function onSpawned(body, agent) {
  // Answers carry the spawn's id; an answer without one goes to the oldest request.
  const ref = typeof body.ref === 'string' && waiting.has(body.ref) ? body.ref : waiting.keys().next().value;
  const requester = ref === undefined ? undefined : waiting.get(ref);
  if (!requester) return;
  waiting.delete(ref);
  const workerName = body.spawned.workerName ?? null;
  const error = body.spawned.error ?? null;
  if (workerName && !error) working.set(workerName, requester);
  agent.send(requester.from, { task: requester.task, assignedTo: error ? null : workerName, error }, 'task.assigned');
}

/** A worker's report, passed on to whoever asked for the task. */
function onReport(message, agent) {
  const body = message.body;
  const requester = working.get(message.from);
  if (!requester) return;
  const report = body && typeof body === 'object' && !Array.isArray(body) ? body : { report: body };
  agent.send(requester.from, { ...report, task: requester.task, worker: message.from }, message.kind);
  if (message.kind === 'task.completed' || message.kind === 'task.failed') working.delete(message.from);
}

/** Anything else is a task request: accepted, then a worker is spawned for it. */
function onTask(message, agent) {
  const task = taskOf(message.body);
  if (!task) {
    agent.send(message.from, { error: 'send me { "task": "..." } and I will find a worker', inReplyTo: message.id }, 'text');
    return;
  }
  const id = `spawn-${process.pid}-${++seq}`;
  waiting.set(id, { from: message.from, task });
  agent.send(message.from, { accepted: task, inReplyTo: message.id }, 'text');
  agent.spawn(task, id);
}

function agentMax() {
  return Number(process.env.SWITCHYARD_MAX_CONCURRENT_TASKS) || 8;
}
