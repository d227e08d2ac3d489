/**
 * The work model from the command line (docs/tasks.md): `tasks`, `task create|get|cancel`
 * and the blackboard's `context get|set|list`.
 */
import type { Command } from 'commander';
import { ContextGetInput, ContextListInput, ContextSetInput } from '../../shared/blackboard.js';
import { TaskCreateInput, TaskQuery, TaskRef } from '../../shared/tasks.js';
import { NotFound } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { emit } from '../context.js';
import { contextLine, taskLine } from '../format.js';
import { parseCount, parseInput, parseJsonArgument } from '../parse-input.js';
import { readTextArgument } from '../read-argument.js';
import { action, verb } from '../verb.js';

interface TasksOptions {
  phase?: string[];
  agent?: string;
  repo?: string;
  limit?: string;
}

export function tasksQuery(options: TasksOptions) {
  const limit = options.limit === undefined ? undefined : parseCount(options.limit, 'tasks --limit');
  return parseInput(TaskQuery, { phase: options.phase, agent: options.agent, repo: options.repo, limit }, 'tasks', {
    phase: '--phase',
    agent: '--agent',
    repo: '--repo',
    limit: '--limit',
  });
}

interface TaskCreateOptions {
  to?: string;
  body?: string;
  jsonBody?: boolean;
  validateBy?: string;
  timeout?: string;
  parent?: string;
  repo?: string;
}

/** `task create <title> --to <target>`: the body is the title when not given. */
export function taskCreateInput(title: string | undefined, options: TaskCreateOptions, cwd: string) {
  const text = options.body === undefined ? title : readTextArgument(options.body, 'task create --body', cwd);
  const body = text !== undefined && options.jsonBody ? parseJsonArgument(text, 'task create --json-body') : text;
  const timeoutMs = options.timeout === undefined ? undefined : parseCount(options.timeout, 'task create --timeout');
  const constraints = options.validateBy === undefined ? undefined : { validateBy: options.validateBy };
  return parseInput(
    TaskCreateInput,
    { title, body, to: options.to, constraints, timeoutMs, parentId: options.parent, repo: options.repo },
    'task create',
    { title: '<title>', body: '--body', to: '--to', constraints: '--validate-by', timeoutMs: '--timeout', parentId: '--parent', repo: '--repo' },
  );
}

interface ContextSetOptions {
  ttl?: string;
  repo?: string;
  string?: boolean;
}

/** `context set <key> <value>`: the value is JSON when it parses (or `--string`: always text); `null` deletes. */
export function contextSetInput(key: string | undefined, value: string | undefined, options: ContextSetOptions, cwd: string) {
  const text = value === undefined ? undefined : readTextArgument(value, 'context set <value>', cwd);
  const parsed = text === undefined || options.string ? text : jsonOrText(text);
  const ttlMs = options.ttl === undefined ? undefined : parseCount(options.ttl, 'context set --ttl');
  return parseInput(ContextSetInput, { key, value: parsed, ttlMs, repo: options.repo }, 'context set', {
    key: '<key>',
    value: '<value>',
    ttlMs: '--ttl',
    repo: '--repo',
  });
}

export function contextGetInput(key: string | undefined, options: { repo?: string; history?: boolean }) {
  return parseInput(ContextGetInput, { key, repo: options.repo, history: options.history }, 'context get', { key: '<key>', repo: '--repo' });
}

export function contextListInput(prefix: string | undefined, options: { repo?: string; limit?: string }) {
  const limit = options.limit === undefined ? undefined : parseCount(options.limit, 'context list --limit');
  return parseInput(ContextListInput, { prefix, repo: options.repo, limit }, 'context list', { prefix: '[prefix]', repo: '--repo', limit: '--limit' });
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function registerWorkVerbs(program: Command, ctx: CliContext): void {
  const tasks = verb(program, 'tasks', 'tasks and their phases')
    .option('--phase <phase...>', 'only these phases (init planning executing validating complete failed)')
    .option('--agent <name>', 'assigned to or requested by this agent')
    .option('--repo <repo>', 'only this repo')
    .option('--limit <n>', 'at most n');
  action<TasksOptions>(tasks, async ({ options, command }) => {
    const query = tasksQuery(options);
    const list = await (await ctx.session(command)).call('tasks.list', query);
    emit(ctx.io, options.json, list, () => ctx.io.out(list.length === 0 ? 'no tasks' : list.map(taskLine).join('\n')));
  });

  const task = program.command('task').description('one task: create, get or cancel it');
  const create = verb(task, 'create <title>', 'create a task and dispatch it to a name or a role')
    .option('--to <target>', 'an agent, type:<type>, capability:<capability>')
    .option('--body <text>', 'what the assignee gets (default: the title); @file reads a file')
    .option('--json-body', 'the body is JSON')
    .option('--validate-by <target>', 'who validates the result')
    .option('--timeout <ms>', 'fail the task after this long')
    .option('--parent <id>', 'the parent task')
    .option('--repo <repo>', 'the repo (default: the configured one)');
  action<TaskCreateOptions>(create, async ({ args, options, command }) => {
    const input = taskCreateInput(args[0], options, ctx.io.cwd);
    const record = await (await ctx.session(command)).call('tasks.create', input);
    emit(ctx.io, options.json, record, () => ctx.io.out(taskLine(record)));
  });
  for (const [name, description] of [
    ['get', 'a task with its phase history'],
    ['cancel', 'fail a task and tell its assignee'],
  ] as const) {
    const command = verb(task, `${name} <id>`, description).option('--repo <repo>', 'the repo (default: the configured one)');
    action<{ repo?: string }>(command, async ({ args, options, command: self }) => {
      const ref = parseInput(TaskRef, { id: args[0], repo: options.repo }, `task ${name}`, { id: '<id>', repo: '--repo' });
      const session = await ctx.session(self);
      const record = name === 'get' ? await session.call('tasks.get', ref) : await session.call('tasks.cancel', ref);
      if (!record) throw new NotFound(`no task ${ref.id}`);
      emit(ctx.io, options.json, record, () => ctx.io.out(taskLine(record)));
    });
  }

  const context = program.command('context').description('the blackboard: keys agents and people share per repo');
  const get = verb(context, 'get <key>', 'a key\'s value (exit 4 when absent)').option('--history', 'earlier revisions too').option('--repo <repo>', 'the repo');
  action<{ repo?: string; history?: boolean }>(get, async ({ args, options, command }) => {
    const input = contextGetInput(args[0], options);
    const value = await (await ctx.session(command)).call('context.get', input);
    if (!value.entry && value.history.length === 0) throw new NotFound(`no context key ${args[0]}`);
    emit(ctx.io, options.json, value, () => ctx.io.out([value.entry, ...value.history].filter((e) => e !== null).map(contextLine).join('\n')));
  });
  const set = verb(context, 'set <key> <value>', 'write a key as you; the value is JSON if it parses, else text; null deletes')
    .option('--string', 'always store the value as text')
    .option('--ttl <ms>', 'the value expires after this long')
    .option('--repo <repo>', 'the repo');
  action<ContextSetOptions>(set, async ({ args, options, command }) => {
    const input = contextSetInput(args[0], args[1], options, ctx.io.cwd);
    const entry = await (await ctx.session(command)).call('context.set', input);
    emit(ctx.io, options.json, entry, () => ctx.io.out(contextLine(entry)));
  });
  const list = verb(context, 'list [prefix]', 'the keys under a prefix (all by default)').option('--repo <repo>', 'the repo').option('--limit <n>', 'at most n');
  action<{ repo?: string; limit?: string }>(list, async ({ args, options, command }) => {
    const input = contextListInput(args[0], options);
    const entries = await (await ctx.session(command)).call('context.list', input);
    emit(ctx.io, options.json, entries, () => ctx.io.out(entries.length === 0 ? 'no keys' : entries.map(contextLine).join('\n')));
  });
}
