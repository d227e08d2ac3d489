/**
 * `approvals [--state]`, `approve <id> [--always]`, `deny <id> [--reason]`: the tool
 * uses coding agents ask the person to allow (docs/coding-agents.md, Approvals).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ApprovalAnswerInput, ApprovalQuery } from '../../shared/coding-contract.js';
import type { CliContext } from '../context.js';
import { emit } from '../context.js';
import { approvalLine } from '../format.js';
import { parseInput } from '../parse-input.js';
import { action, verb } from '../verb.js';

export function approvalsQuery(state: string | undefined) {
  return parseInput(ApprovalQuery, state === 'all' ? {} : { state: state ?? 'pending' }, 'approvals', { state: '--state' });
}

export function answerInput(id: string | undefined, allow: boolean, options: { always?: boolean; reason?: string }) {
  return parseInput(ApprovalAnswerInput, { approvalId: id, allow, always: options.always, reason: options.reason }, allow ? 'approve' : 'deny', {
    approvalId: '<id>',
    always: '--always',
    reason: '--reason',
  });
}

export function registerApprovalVerbs(program: Command, ctx: CliContext): void {
  const approvals = verb(program, 'approvals', 'approvals asked of you (pending by default)').addOption(
    new Option('--state <state>', 'which ones').choices(['pending', 'granted', 'denied', 'expired', 'all']).default('pending'),
  );
  action<{ state?: string }>(approvals, async ({ options, command }) => {
    const query = approvalsQuery(options.state);
    const list = await (await ctx.session(command)).call('approvals.list', query);
    emit(ctx.io, options.json, list, () => ctx.io.out(list.length === 0 ? 'no approvals' : list.map(approvalLine).join('\n')));
  });

  const approve = verb(program, 'approve <id>', 'allow a pending tool use').option('--always', 'allow this tool for this agent from now on');
  action<{ always?: boolean }>(approve, async ({ args, options, command }) => {
    const input = answerInput(args[0], true, options);
    const view = await (await ctx.session(command)).call('approvals.answer', input);
    emit(ctx.io, options.json, view, () => ctx.io.out(approvalLine(view)));
  });

  const deny = verb(program, 'deny <id>', 'refuse a pending tool use').option('--reason <text>', 'told to the agent');
  action<{ reason?: string }>(deny, async ({ args, options, command }) => {
    const input = answerInput(args[0], false, options);
    const view = await (await ctx.session(command)).call('approvals.answer', input);
    emit(ctx.io, options.json, view, () => ctx.io.out(approvalLine(view)));
  });
}
