// The demo team's side of the agent protocol: the shipped agent library plus `spawn`,
// which the demo supervisor uses to ask the coordinator for a worker.
import { runAgent } from '../agents/lib/agent-io.mjs';

export function runTeamAgent(handlers) {
  const agent = runAgent(handlers);
  agent.spawn = (task) => process.stdout.write(`${JSON.stringify({ type: 'spawn', task })}\n`);
  return agent;
}

/** The task text of a message body: a string, or `{ task }`. */
export function taskOf(body) {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object' && typeof body.task === 'string') return body.task;
  return undefined;
}
