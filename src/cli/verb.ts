/**
 * How a verb is declared: a commander command with `--json`, and an action that gets
 * its positional arguments, its options merged with the program's, and the context.
 */
import type { Command } from 'commander';
import { CannotReach } from './cli-errors.js';
import type { CliContext, GlobalOptions } from './context.js';
import { optionsOf } from './context.js';
import type { CliSession } from './session.js';

export interface VerbRun<O> {
  args: (string | undefined)[];
  options: O & GlobalOptions;
  command: Command;
}

/** A subcommand of `parent` with `--json`. */
export function verb(parent: Command, spec: string, description: string): Command {
  return parent.command(spec).description(description).option('--json', 'machine output: one JSON document (streams: one per line)');
}

/** Sets the verb's action. */
export function action<O>(command: Command, handler: (run: VerbRun<O>) => Promise<void>): Command {
  return command.action(async (...params: unknown[]) => {
    const self = params[params.length - 1] as Command;
    await handler({ args: self.processedArgs as (string | undefined)[], options: optionsOf<O>(self), command: self });
  });
}

/** Waits until Ctrl-C (a normal end, exit 0) or until the core drops the connection (exit 3). */
export async function untilInterrupted(ctx: CliContext, session: CliSession): Promise<void> {
  const ended = await Promise.race([ctx.io.interrupted().then(() => 'interrupted' as const), session.closed.then(() => 'closed' as const)]);
  if (ended === 'closed') throw new CannotReach('Switchyard closed the connection (it quit)');
}
