// Demo task worker: works on the one task it is given (its first `task.assigned`),
// reports started → progress → completed to whoever spawned it, then exits.
import { runTeamAgent, taskOf } from './team-io.mjs';

let busy = false;
runTeamAgent({
  onMessage(message, agent) {
    const task = taskOf(message.body);
    if (busy || !task) return;
    busy = true;
    const step = Number(agent.config.stepMs) || 500;
    agent.status('busy');
    agent.send(message.from, { task }, 'task.started');
    setTimeout(() => agent.send(message.from, { task, percent: 50 }, 'task.progress'), step);
    setTimeout(() => {
      agent.send(message.from, { task, result: `done: ${task}` }, 'task.completed');
      setTimeout(() => process.exit(0), 100);
    }, step * 2);
  },
});
