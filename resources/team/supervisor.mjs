// Demo supervisor: a task from anyone gets a worker. The coordinator answers the spawn
// with a message from "coordinator" naming the worker; the requester is then told.
import { runTeamAgent, taskOf } from './team-io.mjs';

const waiting = [];

runTeamAgent({
  onMessage(message, agent) {
    const body = message.body;
    if (message.from === 'coordinator' && body && typeof body === 'object' && body.spawned) {
      const requester = waiting.shift();
      if (requester) agent.send(requester.from, { task: requester.task, assignedTo: body.spawned.workerName ?? null, error: body.spawned.error ?? null }, 'task.assigned');
      return;
    }
    const task = taskOf(body);
    if (!task) {
      agent.send(message.from, { error: 'send me { "task": "..." } and I will find a worker' }, 'text');
      return;
    }
    waiting.push({ from: message.from, task });
    agent.send(message.from, { accepted: task }, 'text');
    agent.spawn(task);
  },
});
