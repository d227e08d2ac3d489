// Demo task worker: works on the one task it is given (its first `task.assigned`),
// reports started → progress → completed to whoever assigned it, then exits.
//
// A work-model task ({ taskId, prompt }, docs/tasks.md) gets the typed bodies naming its
// taskId, so the requester's board moves it through its phases; a plain `{ task }` (the
// older spawn-per-task demo) gets the plain reports it always did.
import { runTeamAgent, taskOf } from './team-io.mjs';
import { assignedTask, completed, progress, started } from './task-bodies.mjs';

let busy = false;
runTeamAgent({
  onMessage(message, agent) {
    if (busy) return;
    const assigned = assignedTask(message.body);
    const task = assigned?.prompt ?? taskOf(message.body);
    if (!task) return;
    busy = true;
    const step = Number(agent.config.stepMs) || 500;
    const at = Date.now();
    agent.status('busy');
    const report = (kind, plain, typed) => agent.send(message.from, assigned ? typed() : plain, kind);
    report('task.started', { task }, () => started(assigned.taskId, message.id));
    setTimeout(() => report('task.progress', { task, percent: 50 }, () => progress(assigned.taskId, message.id, 1, `working on: ${task}`)), step);
    setTimeout(() => {
      report('task.completed', { task, result: `done: ${task}` }, () => completed(assigned.taskId, message.id, `done: ${task}`, at));
      setTimeout(() => process.exit(0), 100);
    }, step * 2);
  },
  load: () => ({ current: busy ? 1 : 0, max: 1 }),
});
