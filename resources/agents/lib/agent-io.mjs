// The agent side of the Switchyard agent protocol (docs/agent-protocol.md), in plain
// Node with no dependencies: JSON lines on stdin/stdout, a heartbeat timer, and a clean
// exit on `shutdown` or when stdin closes (the app is gone: never outlive it).
import { createInterface } from 'node:readline';

/**
 * Starts the protocol. `handlers.onMessage(message)` gets each RoutedMessage;
 * `handlers.load(agent)` may return { current, max } for heartbeats; `handlers.onShutdown()`
 * may return a promise to finish work before exit.
 */
export function runAgent(handlers) {
  const name = process.env.SWITCHYARD_AGENT_NAME;
  const heartbeatMs = Number(process.env.SWITCHYARD_HEARTBEAT_MS) || 5000;
  let exiting = false;

  const write = (line) => {
    if (!exiting || line.type === 'log') process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  const agent = {
    name,
    config: safeJson(process.env.SWITCHYARD_AGENT_CONFIG) ?? {},
    maxConcurrentTasks: Number(process.env.SWITCHYARD_MAX_CONCURRENT_TASKS) || 1,
    send: (to, body, kind = 'text') => write({ type: 'send', to, body, kind }),
    status: (status) => write({ type: 'status', status }),
    log: (level, message) => write({ type: 'log', level, message }),
    heartbeat: () => write({ type: 'heartbeat', ...(handlers.load ? { load: handlers.load(agent) } : {}) }),
  };

  const exit = async (why) => {
    if (exiting) return;
    exiting = true;
    clearInterval(timer);
    process.stderr.write(`${name}: exiting (${why})\n`);
    try {
      await handlers.onShutdown?.();
    } finally {
      process.exit(0);
    }
  };

  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (text) => {
    const line = safeJson(text);
    if (!line || typeof line.type !== 'string') return;
    if (line.type === 'message') Promise.resolve().then(() => handlers.onMessage(line.message, agent)).catch((error) => agent.log('error', String(error)));
    else if (line.type === 'shutdown') void exit(line.reason);
    else if (line.type === 'error') process.stderr.write(`${name}: switchyard says ${line.code}: ${line.message}\n`);
  });
  input.on('close', () => void exit('stdin closed'));

  write({ type: 'hello', protocol: 1, name });
  const timer = setInterval(() => agent.heartbeat(), heartbeatMs);
  agent.heartbeat();
  return agent;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
