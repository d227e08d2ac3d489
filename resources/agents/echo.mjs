// The echo agent: answers every message to its sender with { echo: <body> }.
// A message whose body already is an echo is not answered, so two echo agents
// cannot ping-pong forever.
import { runAgent } from './lib/agent-io.mjs';

runAgent({
  onMessage(message, agent) {
    const body = message.body;
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'echo' in body) return;
    agent.send(message.from, { echo: body, inReplyTo: message.id }, 'text');
  },
});
