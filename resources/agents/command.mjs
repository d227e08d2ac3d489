// The command adapter: runs a configured CLI once per message, with the message body on
// stdin, and answers the sender with its stdout (`task.completed`). A non-zero exit or a
// timeout answers `task.failed` with the tail of stderr. At most maxConcurrentTasks
// commands run at once; further messages wait in a bounded queue.
//
// Config (manifest `config`): { command, args?, timeoutMs?, queueLimit? }. Point it at a
// coding agent's non-interactive mode to put that agent on the switchyard.
//
// A task (`task.assigned` with a TaskAssignedBody: taskId, prompt) runs with its prompt on
// stdin; the answers name the task (`task.started` when its command starts, then
// `task.completed` or `task.failed`), so the requester's board follows it (docs/tasks.md).
// `task.cancel` naming a task stops its command (or drops it from the queue).
import { spawn } from 'node:child_process';
import { runAgent } from './lib/agent-io.mjs';

const TAIL = 2000;
const IGNORED = new Set(['task.started', 'task.progress', 'task.completed', 'task.failed', 'task.cancel', 'decision.made']);
const running = new Set();
const queue = [];
/** Running commands by task id, so `task.cancel` can stop one. */
const byTask = new Map();

const agent = runAgent({
  load: (self) => ({ current: running.size, max: self.maxConcurrentTasks }),
  onMessage(message) {
    if (message.kind === 'task.cancel') return cancel(message);
    // Results and progress are answers, not work: answering them could loop forever.
    if (IGNORED.has(message.kind)) return;
    const limit = Number(agent.config.queueLimit) || 100;
    if (queue.length >= limit) {
      agent.send(message.from, { ...taskRef(message), reason: 'queue full', queueLimit: limit }, 'task.failed');
      return;
    }
    queue.push(message);
    pump();
  },
  onShutdown() {
    for (const child of running) child.kill('SIGKILL');
  },
});

function pump() {
  while (running.size < agent.maxConcurrentTasks && queue.length > 0) run(queue.shift());
  agent.status(running.size >= agent.maxConcurrentTasks ? 'busy' : running.size > 0 ? 'active' : 'idle');
}

/** The task a message assigns: its id and prompt (TaskAssignedBody), or undefined for plain work. */
function taskOf(message) {
  const body = message.body;
  if (message.kind !== 'task.assigned' || body === null || typeof body !== 'object' || typeof body.taskId !== 'string') return undefined;
  return { taskId: body.taskId, prompt: typeof body.prompt === 'string' ? body.prompt : JSON.stringify(body) };
}

/** What every answer about a message carries: the message it answers, and its task if it is one. */
function taskRef(message) {
  const task = taskOf(message);
  return { inReplyTo: message.id, ...(task ? { taskId: task.taskId } : {}) };
}

/** Stops a task's command, or drops it from the queue; the requester has failed it already. */
function cancel(message) {
  const taskId = message.body !== null && typeof message.body === 'object' ? message.body.taskId : undefined;
  if (typeof taskId !== 'string') return;
  const child = byTask.get(taskId);
  if (child) {
    child.cancelled = true;
    child.kill('SIGKILL');
  }
  const queued = queue.findIndex((m) => taskOf(m)?.taskId === taskId);
  if (queued >= 0) queue.splice(queued, 1);
}

function run(message) {
  const { command, args = [], timeoutMs = 60_000 } = agent.config;
  const task = taskOf(message);
  const ref = taskRef(message);
  if (typeof command !== 'string' || command === '') {
    agent.send(message.from, { ...ref, reason: 'no command configured' }, 'task.failed');
    return;
  }
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  if (task) {
    byTask.set(task.taskId, child);
    agent.send(message.from, ref, 'task.started');
  }
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-TAIL)));
  child.stdin.on('error', () => undefined);
  child.stdin.end(task ? task.prompt : typeof message.body === 'string' ? message.body : JSON.stringify(message.body));
  let done = false;
  const finish = (code, signal, error) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    running.delete(child);
    if (task) byTask.delete(task.taskId);
    if (child.cancelled) {
      // The requester cancelled it (or it timed out there): nothing more to say.
    } else if (!error && !timedOut && code === 0) {
      agent.send(message.from, { ...ref, output: stdout, text: stdout }, 'task.completed');
    } else {
      const reason = error ? `could not run ${command}: ${error.message}` : timedOut ? `timed out after ${timeoutMs} ms` : `exit code ${code ?? signal}`;
      agent.send(message.from, { ...ref, reason, exitCode: code ?? null, signal: signal ?? null, stderr: stderr.slice(-TAIL) }, 'task.failed');
    }
    pump();
  };
  child.on('error', (error) => finish(null, null, error));
  child.on('close', (code, signal) => finish(code, signal));
}
