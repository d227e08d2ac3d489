// The echo agent: answers every message to its sender with { echo: <body> }.
// A message whose body already is an echo is not answered, so two echo agents
// cannot ping-pong forever.
//
// A task (`task.assigned` with a TaskAssignedBody, docs/tasks.md) is answered the way
// every agent answers one: `task.started`, then `task.completed` with the echo as its
// result, both naming the task's id, so the requester's board moves it along.
import { runAgent } from './lib/agent-io.mjs';

/** Reports and answers are never work: answering them could loop forever. */
const NOT_WORK = new Set(['task.started', 'task.progress', 'task.completed', 'task.failed', 'task.cancel', 'decision.made']);

runAgent({
  onMessage(message, agent) {
    const body = message.body;
    const taskId = body !== null && typeof body === 'object' && typeof body.taskId === 'string' ? body.taskId : undefined;
    if (message.kind === 'task.assigned' && taskId !== undefined) {
      agent.send(message.from, { taskId, inReplyTo: message.id }, 'task.started');
      agent.send(message.from, { taskId, inReplyTo: message.id, text: typeof body.prompt === 'string' ? body.prompt : '', echo: body }, 'task.completed');
      return;
    }
    if (NOT_WORK.has(message.kind)) return;
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'echo' in body) return;
    agent.send(message.from, { echo: body, inReplyTo: message.id }, 'text');
  },
});
