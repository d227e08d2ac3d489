// Demo merge queue: `{ "enqueue": "<branch>" }` joins the queue; one branch merges per
// tick, in order, and its requester gets `task.completed`.
import { runTeamAgent } from './team-io.mjs';

const queue = [];
const agent = runTeamAgent({
  onMessage(message, self) {
    const branch = message.body && typeof message.body === 'object' ? message.body.enqueue : undefined;
    if (typeof branch !== 'string') {
      self.send(message.from, { error: 'send { "enqueue": "<branch>" }', inReplyTo: message.id }, 'text');
      return;
    }
    queue.push({ from: message.from, branch });
    self.send(message.from, { queued: branch, position: queue.length, inReplyTo: message.id }, 'task.started');
  },
  load: () => ({ current: queue.length, max: 100 }),
});

setInterval(() => {
  const next = queue.shift();
  if (next) agent.send(next.from, { merged: next.branch }, 'task.completed');
}, Number(agent.config.mergeEveryMs) || 2000);
