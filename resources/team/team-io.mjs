// The demo team's side of the agent protocol: the shipped agent library plus `spawn`,
// which the demo supervisor uses to ask the coordinator for a worker.
import { runAgent } from '../agents/lib/agent-io.mjs';

export function runTeamAgent(handlers) {
  const agent = runAgent(handlers);
  // `id` (8–64 of A-Za-z0-9_-) comes back as `ref` in the coordinator's answer.
  agent.spawn = (task, id) => process.stdout.write(`${JSON.stringify({ type: 'spawn', task, ...(id ? { id } : {}) })}\n`);
  return agent;
}

/** The task text of a message body: a string, or `{ task }`. */
export function taskOf(body) {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && typeof body.task === 'string') return body.task;
  return undefined;
}
