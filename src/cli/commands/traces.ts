/**
 * `trace <id>` (one message's hops; exit 4 when unknown) and `traces [--follow]` (the
 * newest traces, then every routed message until Ctrl-C).
 */
import type { Command } from 'commander';
import { TraceQuery, TraceRef } from '../../shared/routing-contract.js';
import { NotFound } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { emit, emitLine } from '../context.js';
import { traceDetail, traceLine } from '../format.js';
import { parseCount, parseInput } from '../parse-input.js';
import { action, untilInterrupted, verb } from '../verb.js';

interface TracesOptions {
  agent?: string;
  kind?: string;
  limit?: string;
  follow?: boolean;
}

export function tracesQuery(options: TracesOptions) {
  const limit = options.limit === undefined ? undefined : parseCount(options.limit, 'traces --limit');
  return parseInput(TraceQuery, { agent: options.agent, kind: options.kind, limit }, 'traces', {
    agent: '--agent',
    kind: '--kind',
    limit: '--limit',
  });
}

export function registerTraceVerbs(program: Command, ctx: CliContext): void {
  const trace = verb(program, 'trace <id>', 'one message: its route and every hop');
  action(trace, async ({ args, options, command }) => {
    const input = parseInput(TraceRef, { id: args[0] }, 'trace', { id: '<id>' });
    const detail = await (await ctx.session(command)).call('traces.get', input);
    if (!detail) throw new NotFound(`no trace of message ${input.id}`);
    emit(ctx.io, options.json, detail, () => ctx.io.out(traceDetail(detail)));
  });

  const traces = verb(program, 'traces', 'the newest traced messages, newest first')
    .option('--agent <name>', 'sent or received by this agent')
    .option('--kind <kind>', 'only this message kind')
    .option('--limit <n>', 'at most n (default 50)')
    .option('--follow', 'then print every routed message until Ctrl-C');
  action<TracesOptions>(traces, async ({ options, command }) => {
    const query = tracesQuery(options);
    const session = await ctx.session(command);
    if (!options.follow) {
      const page = await session.call('traces.query', { limit: 50, ...query });
      return emit(ctx.io, options.json, page, () => ctx.io.out(page.items.length === 0 ? 'no traces' : page.items.map(traceLine).join('\n')));
    }
    const stop = session.on('messages.routed', ({ items }) => {
      const shown = items.filter((item) => (!query.agent || item.from === query.agent || item.to === query.agent) && (!query.kind || item.kind === query.kind));
      for (const item of shown) {
        if (options.json) emitLine(ctx.io, item);
        else ctx.io.out(traceLine(item));
      }
    });
    const page = await session.call('traces.query', { limit: 20, ...query });
    for (const item of [...page.items].reverse()) {
      if (options.json) emitLine(ctx.io, item);
      else ctx.io.out(traceLine(item));
    }
    await untilInterrupted(ctx, session).finally(stop);
  });
}
