// The command adapter: runs a configured CLI once per message, with the message body on
// stdin, and answers the sender with its stdout (`task.completed`). A non-zero exit or a
// timeout answers `task.failed` with the tail of stderr. At most maxConcurrentTasks
// commands run at once; further messages wait in a bounded queue.
//
// Config (manifest `config`): { command, args?, timeoutMs?, queueLimit? }. Point it at a
// coding agent's non-interactive mode to put that agent on the switchyard.
import { spawn } from 'node:child_process';
import { runAgent } from './lib/agent-io.mjs';

const TAIL = 2000;
const IGNORED = new Set(['task.started', 'task.progress', 'task.completed', 'task.failed']);
const running = new Set();
const queue = [];

const agent = runAgent({
  load: (self) => ({ current: running.size, max: self.maxConcurrentTasks }),
  onMessage(message) {
    // Results and progress are answers, not work: answering them could loop forever.
    if (IGNORED.has(message.kind)) return;
    const limit = Number(agent.config.queueLimit) || 100;
    if (queue.length >= limit) {
      agent.send(message.from, { inReplyTo: message.id, reason: 'queue full', queueLimit: limit }, 'task.failed');
      return;
    }
    queue.push(message);
    pump();
  },
  onShutdown() {
    for (const child of running) child.kill('SIGKILL');
  },
});

function pump() {
  while (running.size < agent.maxConcurrentTasks && queue.length > 0) run(queue.shift());
  agent.status(running.size >= agent.maxConcurrentTasks ? 'busy' : running.size > 0 ? 'active' : 'idle');
}

function run(message) {
  const { command, args = [], timeoutMs = 60_000 } = agent.config;
  if (typeof command !== 'string' || command === '') {
    agent.send(message.from, { inReplyTo: message.id, reason: 'no command configured' }, 'task.failed');
    return;
  }
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-TAIL)));
  child.stdin.on('error', () => undefined);
  child.stdin.end(typeof message.body === 'string' ? message.body : JSON.stringify(message.body));
  let done = false;
  const finish = (code, signal, error) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    running.delete(child);
    if (!error && !timedOut && code === 0) {
      agent.send(message.from, { inReplyTo: message.id, output: stdout }, 'task.completed');
    } else {
      const reason = error ? `could not run ${command}: ${error.message}` : timedOut ? `timed out after ${timeoutMs} ms` : `exit code ${code ?? signal}`;
      agent.send(message.from, { inReplyTo: message.id, reason, exitCode: code ?? null, signal: signal ?? null, stderr: stderr.slice(-TAIL) }, 'task.failed');
    }
    pump();
  };
  child.on('error', (error) => finish(null, null, error));
  child.on('close', (code, signal) => finish(code, signal));
}
