/**
 * Agents: `agents [--repo] [--type] [--watch]`, `start`, `stop`, `restart`, `scale`,
 * `spawn` — the contract's agents.* calls.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { z } from 'zod';
import { AgentNameInput, ScaleAgentsInput, StartAgentInput } from '../../shared/agent-protocol.js';
import { Location } from '../../shared/domain.js';
import { AgentQuery } from '../../shared/registry-query.js';
import { SpawnInput } from '../../shared/routing-contract.js';
import type { CliContext } from '../context.js';
import { emit, emitLine } from '../context.js';
import { agentLine, agentLines } from '../format.js';
import { parseCount, parseInput } from '../parse-input.js';
import { action, untilInterrupted, verb } from '../verb.js';

interface AgentsOptions {
  repo?: string;
  type?: string;
  watch?: boolean;
}

/** `agents` options → the agents.list query. */
export function agentsQuery(options: AgentsOptions): z.output<typeof AgentQuery> {
  return parseInput(AgentQuery, { repo: options.repo, type: options.type }, 'agents', { repo: '--repo', type: '--type' });
}

/** `start <manifest>` → agents.start; a relative workspace resolves against the working folder. */
export function startInput(type: string | undefined, options: { name?: string; workspace?: string; isolation?: string }, cwd: string) {
  const workspace = options.workspace === undefined || isAbsolute(options.workspace) ? options.workspace : resolve(cwd, options.workspace);
  return parseInput(StartAgentInput, { type, name: options.name, workspace, isolation: options.isolation }, 'start', {
    type: '<manifest>',
    name: '--name',
    workspace: '--workspace',
    isolation: '--isolation',
  });
}

/** `spawn <type> <task>` → agents.spawn. */
export function spawnInput(type: string | undefined, task: string | undefined, options: { prefer?: string; repo?: string }) {
  const prefer = options.prefer === undefined ? undefined : parseInput(Location, options.prefer, 'spawn --prefer');
  return parseInput(SpawnInput, { type, task, preferLocation: prefer, repo: options.repo }, 'spawn', {
    type: '<type>',
    task: '<task>',
    repo: '--repo',
  });
}

export function scaleInput(type: string | undefined, count: string | undefined) {
  return parseInput(ScaleAgentsInput, { type, count: count === undefined ? undefined : parseCount(count, 'scale <n>') }, 'scale', {
    type: '<type>',
    count: '<n>',
  });
}

export function registerAgentVerbs(program: Command, ctx: CliContext): void {
  const agents = verb(program, 'agents', 'list the agents (local and, with hybrid on, the team\'s)')
    .option('--repo <repo>', 'only this repo')
    .option('--type <type>', 'only this agent type')
    .option('--watch', 'then print every change until Ctrl-C');
  action<AgentsOptions>(agents, async ({ options, command }) => {
    const query = agentsQuery(options);
    const session = await ctx.session(command);
    if (!options.watch) {
      const list = await session.call('agents.list', query);
      return emit(ctx.io, options.json, list, () => ctx.io.out(agentLines(list)));
    }
    // Subscribe first, so no change between the list and the subscription is lost.
    const matches = (repo: string, type: string) => (!query.repo || repo === query.repo) && (!query.type || type === query.type);
    const stop = session.on('agents.changed', (change) => {
      const upserts = change.upserts.filter((agent) => matches(agent.repo, agent.type));
      const removals = change.removals.filter((ref) => !query.repo || ref.repo === query.repo);
      if (upserts.length === 0 && removals.length === 0) return;
      if (options.json) return emitLine(ctx.io, { type: 'changed', revision: change.revision, upserts, removals });
      for (const agent of upserts) ctx.io.out(`~ ${agentLine(agent)}`);
      for (const ref of removals) ctx.io.out(`- ${ref.repo}/${ref.name}`);
    });
    const list = await session.call('agents.list', query);
    if (options.json) emitLine(ctx.io, { type: 'snapshot', agents: list });
    else ctx.io.out(agentLines(list));
    await untilInterrupted(ctx, session).finally(stop);
  });

  const start = verb(program, 'start <manifest>', 'start a local agent from an installed manifest type')
    .option('--name <name>', 'the agent\'s name (default: the type, numbered)')
    .option('--workspace <folder>', 'coding agents: the git repository to work in')
    .addOption(new Option('--isolation <mode>', 'coding agents: run each task in its own worktree or not').choices(['worktree', 'none']));
  action<{ name?: string; workspace?: string; isolation?: string }>(start, async ({ args, options, command }) => {
    const input = startInput(args[0], options, ctx.io.cwd);
    const agent = await (await ctx.session(command)).call('agents.start', input);
    emit(ctx.io, options.json, agent, () => ctx.io.out(`started ${agentLine(agent)}`));
  });

  for (const [name, description] of [
    ['stop', 'stop a local agent'],
    ['restart', 'restart a local agent'],
  ] as const) {
    const command = verb(program, `${name} <agent>`, description);
    action(command, async ({ args, options, command: self }) => {
      const input = parseInput(AgentNameInput, { name: args[0] }, name, { name: '<agent>' });
      const agent = await (await ctx.session(self)).call(name === 'stop' ? 'agents.stop' : 'agents.restart', input);
      emit(ctx.io, options.json, agent, () => ctx.io.out(`${name === 'stop' ? 'stopped' : 'restarted'} ${agentLine(agent)}`));
    });
  }

  const scale = verb(program, 'scale <type> <n>', 'run exactly n local agents of a type (0 stops them all)');
  action(scale, async ({ args, options, command }) => {
    const input = scaleInput(args[0], args[1]);
    const list = await (await ctx.session(command)).call('agents.scale', input);
    emit(ctx.io, options.json, list, () => ctx.io.out(agentLines(list)));
  });

  const spawn = verb(program, 'spawn <type> <task>', 'spawn an agent of a type for a task, here or on the team by placement')
    .addOption(new Option('--prefer <location>', 'where to place it when both can').choices(['local', 'remote']))
    .option('--repo <repo>', 'the repo (default: the configured one)');
  action<{ prefer?: string; repo?: string }>(spawn, async ({ args, options, command }) => {
    const input = spawnInput(args[0], args[1], options);
    const outcome = await (await ctx.session(command)).call('agents.spawn', input);
    emit(ctx.io, options.json, outcome, () => ctx.io.out(`spawned ${outcome.workerName} (${outcome.location}, ${outcome.route})`));
  });
}
