#!/usr/bin/env node
// The local task worker (worker.json): spawns placed on this machine, offline spawns,
// agents' `spawn` lines and fallback stand-ins for team agents run it.
//
// It is a coding-agent worker (Claude Code, through coding-agent.mjs) where the coding
// runtime can work: the runtime ships beside this file, the worker's config names a
// `workspace` (a git repository: set it in your own worker.json, or start the worker with
// one), and the claude CLI is found (config.coding.executable, SWITCHYARD_CLAUDE_PATH, or
// `claude` on PATH). Otherwise it is the command adapter (command.mjs): each task runs
// config.command with the message body on stdin. The choice is made once at start and
// said in the agent's log.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const config = parse(process.env.SWITCHYARD_AGENT_CONFIG) ?? {};
const coding = config.coding && typeof config.coding === 'object' ? config.coding : undefined;
const workspace = typeof config.workspace === 'string' ? config.workspace : coding?.workspace;
const runtime = new URL('./coding-agent.mjs', import.meta.url);

const why = codingProblem();
if (why === undefined) {
  process.stderr.write(`worker: a Claude Code coding agent on ${workspace}\n`);
  const { command: _command, args: _args, timeoutMs: _timeout, queueLimit: _queue, coding: _coding, ...rest } = config;
  process.env.SWITCHYARD_AGENT_CONFIG = JSON.stringify({ engine: 'claude', ...coding, ...rest, workspace });
  await import(runtime.href);
} else {
  process.stderr.write(`worker: the command adapter (${why})\n`);
  await import(new URL('./command.mjs', import.meta.url).href);
}

/** Why the coding runtime cannot run this worker, or undefined when it can. */
function codingProblem() {
  if (!coding) return 'no coding settings in its config';
  if (!existsSync(fileURLToPath(runtime))) return 'the coding-agent runtime is not installed';
  if (typeof workspace !== 'string' || !isFolder(workspace)) return 'no workspace folder in its config';
  const explicit = coding.executable ?? process.env.SWITCHYARD_CLAUDE_PATH;
  if (explicit) return isExecutable(explicit) || onPath(explicit) ? undefined : `the claude CLI is not at ${explicit}`;
  return onPath('claude') ? undefined : 'the claude CLI is not on PATH';
}

function onPath(bin) {
  if (isAbsolute(bin)) return isExecutable(bin);
  const names = process.platform === 'win32' ? [`${bin}.exe`, `${bin}.cmd`, bin] : [bin];
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && names.some((name) => isExecutable(join(dir, name))));
}

function isExecutable(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isFolder(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function parse(text) {
  try {
    return JSON.parse(text ?? '');
  } catch {
    return undefined;
  }
}
