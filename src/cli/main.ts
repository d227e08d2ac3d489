/**
 * The `switchyard` command (bin/switchyard.mjs runs it): drives a running desktop app or
 * headless host through the contract over the authenticated WebSocket bridge.
 * Every verb, option and exit code: docs/cli.md.
 */
import { openSession } from './session.js';
import { runCli } from './program.js';

/** Ctrl-C is caught only while a verb streams; otherwise it ends the process as usual. */
let interrupted: Promise<void> | undefined;

/** Set as the exit code; the process ends when the socket closes (stdout flushed first). */
function finish(code: number): void {
  process.exitCode = code;
  // Anything still holding the loop must not keep a finished command alive.
  setTimeout(() => process.exit(code), 2_000).unref();
}

// Ctrl-C ends a stream (`--watch`, `--follow`) with 0, even one that has printed before it
// asked to be told; any other verb stops at once with 130.
const streaming = process.argv.some((arg) => arg === '--watch' || arg === '--follow');
let endStream: (() => void) | undefined;
let interruptedEarly = false;
process.on('SIGINT', () => {
  if (endStream) endStream();
  else if (streaming) interruptedEarly = true;
  else process.exit(130);
});

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  connect: (target) => openSession(target.bridgeUrl),
  interrupted: () => (interrupted ??= new Promise<void>((resolve) => (interruptedEarly ? resolve() : (endStream = resolve)))),
}).then(finish, (error: unknown) => {
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  finish(1);
});
