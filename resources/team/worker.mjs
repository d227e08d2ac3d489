// Demo task worker: reports started → progress → completed for each task to whoever
// assigned it.
//
// A spawned `worker` works on the one task it is given (its first `task.assigned`) and
// exits. A `task-worker` (config `stayUp`) stays up and takes tasks one at a time: one
// that arrives while it works waits its turn (the coordinator's dispatch sends it no
// more than its maxConcurrentTasks, but a sender addressing it by name may).
//
// A work-model task ({ taskId, prompt }, docs/tasks.md) gets the typed bodies naming its
// taskId, so the requester's board moves it through its phases; a plain `{ task }` (the
// older spawn-per-task demo) gets the plain reports it always did.
import { runTeamAgent, taskOf } from './team-io.mjs';
import { assignedTask, completed, progress, started } from './task-bodies.mjs';

let busy = false;
let done = false;
const waiting = [];

const agent = runTeamAgent({
  onMessage(message) {
    if (done) return;
    const assigned = assignedTask(message.body);
    const task = assigned?.prompt ?? taskOf(message.body);
    if (!task) return;
    if (message.kind === 'task.cancel') return;
    waiting.push({ message, assigned, task });
    if (!agent.config.stayUp && waiting.length > 1) waiting.pop();
    if (!busy) next();
  },
  load: () => ({ current: (busy ? 1 : 0) + waiting.length, max: 1 }),
});

function next() {
  const job = waiting.shift();
  if (!job) {
    busy = false;
    agent.status('idle');
    return;
  }
  busy = true;
  work(job);
}

function work({ message, assigned, task }) {
  const step = Number(agent.config.stepMs) || 500;
  const at = Date.now();
  agent.status('busy');
  const report = (kind, plain, typed) => agent.send(message.from, assigned ? typed() : plain, kind);
  report('task.started', { task }, () => started(assigned.taskId, message.id));
  setTimeout(() => report('task.progress', { task, percent: 50 }, () => progress(assigned.taskId, message.id, 1, `working on: ${task}`)), step);
  setTimeout(() => {
    report('task.completed', { task, result: `done: ${task}` }, () => completed(assigned.taskId, message.id, `done: ${task}`, at));
    if (agent.config.stayUp) next();
    else {
      done = true;
      setTimeout(() => process.exit(0), 100);
    }
  }, step * 2);
}
