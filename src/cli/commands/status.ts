/**
 * `status`: which Switchyard answered (desktop or headless, version), hybrid mode and
 * the link to the team; and `call <name> [json]`, any contract call by name.
 */
import type { Command } from 'commander';
import type { CallName } from '../../shared/contract.js';
import { calls, isCallName } from '../../shared/contract.js';
import { UsageError } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { emit } from '../context.js';
import { parseInput, parseJsonArgument } from '../parse-input.js';
import { action, verb } from '../verb.js';

/** `call <name> [json]` → a call name and its input, parsed with the call's own input schema. */
export function callInput(name: string | undefined, json: string | undefined): { name: CallName; input: unknown } {
  if (!isCallName(name)) throw new UsageError(`call: unknown call "${name ?? ''}"; see docs/contract.md for the list`);
  const raw = json === undefined ? undefined : parseJsonArgument(json, `call ${name}`);
  return { name, input: parseInput(calls[name].input, raw, `call ${name}`) };
}

export function registerStatusVerbs(program: Command, ctx: CliContext): void {
  const status = verb(program, 'status', 'which Switchyard answered, hybrid mode and the link to the team');
  action(status, async ({ options, command }) => {
    const session = await ctx.session(command);
    const [system, connection, config] = await Promise.all([session.call('system.info'), session.call('connection.get'), session.call('config.get')]);
    emit(ctx.io, options.json, { system, connection, config }, () => {
      ctx.io.out(`host:   ${system.host} ${system.version} (${system.platform})`);
      ctx.io.out(`hybrid: ${config.enabled ? 'on' : 'off'}  repo: ${config.repo}`);
      ctx.io.out(`link:   ${connection.phase}${connection.server ? ` (${connection.server})` : ''}`);
      if (connection.lastError) ctx.io.out(`error:  ${connection.lastError}`);
    });
  });

  const call = verb(program, 'call <name> [json]', 'any contract call, e.g. call agents.list \'{"type":"echo"}\' (prints JSON)');
  action(call, async ({ args, command }) => {
    const { name, input } = callInput(args[0], args[1]);
    const value = await (await ctx.session(command)).call(name, input as never);
    ctx.io.out(JSON.stringify(value ?? null, null, 2));
  });
}
