// The workspace demo agent: visibly works on a task. For a `task.assigned` message it
// sends the sender `task.started`, a few `task.progress` and `task.completed`; any other
// message gets a short `text` hint.
import { runAgent } from './lib/agent-io.mjs';

const stepMs = 400;
const steps = 3;
let running = 0;

runAgent({
  load: (self) => ({ current: running, max: self.maxConcurrentTasks }),
  async onMessage(message, self) {
    if (message.kind !== 'task.assigned') {
      self.send(message.from, { text: 'send me a task.assigned message and I will work on it' }, 'text');
      return;
    }
    const stepDelay = Number(self.config.stepMs) || stepMs;
    const task = { id: message.id, task: message.body };
    running += 1;
    self.status('busy');
    self.send(message.from, { ...task, step: 0, of: steps }, 'task.started');
    for (let step = 1; step <= steps; step++) {
      await new Promise((resolve) => setTimeout(resolve, stepDelay));
      self.send(message.from, { ...task, step, of: steps, percent: Math.round((step / steps) * 100) }, 'task.progress');
    }
    self.send(message.from, { ...task, result: `done: ${JSON.stringify(message.body)}` }, 'task.completed');
    running -= 1;
    if (running === 0) self.status('idle');
  },
});
