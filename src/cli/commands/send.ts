/**
 * `send <agent> <text|@file>`: messages.send as the person (`user`), and with `--wait`
 * the answer: the first message the recipient sends back to `user` after the send
 * (the participant endpoint keeps it in the conversation and the core announces it as
 * `conversation.appended`). Progress (`task.started`, `task.progress`) and approval
 * requests are not the answer; they are shown on stderr while waiting.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ConversationEntry } from '../../shared/coding-contract.js';
import type { SendResult } from '../../shared/routing-contract.js';
import { SendMessageInput } from '../../shared/routing-contract.js';
import { CannotReach, UsageError, WaitTimeout } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { emit } from '../context.js';
import { bodyText } from '../format.js';
import { parseCount, parseInput, parseJsonArgument } from '../parse-input.js';
import { readTextArgument } from '../read-argument.js';
import type { CliSession } from '../session.js';
import { action, verb } from '../verb.js';

/** Kinds that report on the way to an answer, never the answer itself. */
const NOT_AN_ANSWER = new Set(['task.started', 'task.progress', 'approval.requested']);

/** The default `--timeout` of `--wait`, in ms. */
export const DEFAULT_WAIT_MS = 120_000;

export interface SendOptions {
  kind?: string;
  repo?: string;
  fanout?: string;
  jsonBody?: boolean;
  wait?: boolean;
  timeout?: string;
}

/** `send` arguments → messages.send's input (the body read from a file with `@path`). */
export function sendInput(to: string | undefined, text: string | undefined, options: SendOptions, cwd: string) {
  const raw = text === undefined ? undefined : readTextArgument(text, 'send <text>', cwd);
  const body = raw !== undefined && options.jsonBody ? parseJsonArgument(raw, 'send --json-body') : raw;
  return parseInput(SendMessageInput, { to, body, kind: options.kind, repo: options.repo, fanout: options.fanout }, 'send', {
    to: '<agent>',
    body: '<text>',
    kind: '--kind',
    repo: '--repo',
    fanout: '--fanout',
  });
}

export function waitTimeout(options: SendOptions): number {
  if (options.timeout === undefined) return DEFAULT_WAIT_MS;
  const ms = parseCount(options.timeout, 'send --timeout');
  if (ms < 1) throw new UsageError('send --timeout: must be at least 1 ms');
  return ms;
}

/** Is `entry` the answer to `sent`? From the recipient, to the person, and not a progress report. */
export function isAnswer(entry: ConversationEntry, sent: SendResult, to: string): boolean {
  if (entry.direction !== 'in' || NOT_AN_ANSWER.has(entry.kind)) return false;
  const peer = sent.to ?? to;
  if (entry.peer !== peer) return false;
  const inReplyTo = typeof entry.body === 'object' && entry.body !== null && !Array.isArray(entry.body) ? entry.body.inReplyTo : undefined;
  return inReplyTo === undefined || inReplyTo === sent.messageId;
}

export function registerSendVerb(program: Command, ctx: CliContext): void {
  const send = verb(program, 'send <agent> <text>', 'send a message as you (`user`); <text> may be @file or @- for stdin')
    .addOption(new Option('--kind <kind>', 'the message kind').default('text'))
    .option('--json-body', 'the text (or file) is JSON: send it as an object')
    .option('--repo <repo>', 'the repo (default: the configured one)')
    .addOption(new Option('--fanout <fanout>', 'to a role (type:x, capability:x): one instance or all').choices(['one', 'all']))
    .option('--wait', 'wait for the answer and print it')
    .option('--timeout <ms>', `with --wait: give up after this long (default ${DEFAULT_WAIT_MS})`);
  action<SendOptions>(send, async ({ args, options, command }) => {
    const input = sendInput(args[0], args[1], options, ctx.io.cwd);
    const timeoutMs = options.wait ? waitTimeout(options) : 0;
    const session = await ctx.session(command);
    if (!options.wait) {
      const sent = await session.call('messages.send', input);
      return emit(ctx.io, options.json, sent, () => ctx.io.out(`${sent.status} ${sent.messageId} → ${sent.to ?? input.to}`));
    }
    const { sent, answer } = await sendAndWait(ctx, session, input, timeoutMs);
    emit(ctx.io, options.json, { sent, answer }, () => ctx.io.out(bodyText(answer.body)));
  });
}

async function sendAndWait(ctx: CliContext, session: CliSession, input: ReturnType<typeof sendInput>, timeoutMs: number) {
  // Listen before sending: a fast agent answers before messages.send returns.
  const seen: ConversationEntry[] = [];
  let check: (entry: ConversationEntry) => void = (entry) => seen.push(entry);
  const stop = session.on('conversation.appended', ({ entries }) => entries.forEach((entry) => check(entry)));
  let timer: NodeJS.Timeout | undefined;
  try {
    const sent = await session.call('messages.send', input);
    const answer = await new Promise<ConversationEntry>((resolve, reject) => {
      check = (entry) => {
        if (isAnswer(entry, sent, input.to)) resolve(entry);
        else if (entry.direction === 'in' && entry.peer === (sent.to ?? input.to)) ctx.io.err(`… ${entry.kind}: ${JSON.stringify(entry.body)}`);
      };
      seen.forEach((entry) => check(entry));
      timer = setTimeout(() => reject(new WaitTimeout(`no answer from ${sent.to ?? input.to} within ${timeoutMs} ms (message ${sent.messageId})`)), timeoutMs);
      void session.closed.then(() => reject(new CannotReach('Switchyard closed the connection before the answer came')));
    });
    return { sent, answer };
  } finally {
    clearTimeout(timer);
    stop();
  }
}
