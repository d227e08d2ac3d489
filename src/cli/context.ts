/**
 * What every verb gets: where to print, the environment, and the connection to the
 * core, opened once on first use (so a usage error never needs a running Switchyard).
 */
import type { Command } from 'commander';
import type { BridgeTarget, LocateOptions } from './locate.js';
import type { CliSession } from './session.js';

export interface CliIo {
  /** One line (or block) on stdout. */
  out(text: string): void;
  /** One line on stderr. */
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** The working folder relative paths resolve against. */
  cwd: string;
  connect(target: BridgeTarget): Promise<CliSession>;
  /** Resolves on Ctrl-C (SIGINT): how `--watch` and `--follow` end. */
  interrupted(): Promise<void>;
}

export interface CliContext {
  io: CliIo;
  /** The session to the core the global options point at; opened on first call. */
  session(command: Command): Promise<CliSession>;
}

/** The options every verb accepts (src/cli/program.ts adds them). */
export interface GlobalOptions extends LocateOptions {
  json?: boolean;
}

/** Prints `value` as one JSON document with --json, else the human form. */
export function emit(io: CliIo, json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) io.out(JSON.stringify(value, null, 2));
  else human();
}

/** One JSON document per line, for streams (`--watch`, `--follow` with --json). */
export function emitLine(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value));
}

/** The options of the verb and of the program above it. */
export function optionsOf<T>(command: Command): T & GlobalOptions {
  return command.optsWithGlobals<T & GlobalOptions>();
}
