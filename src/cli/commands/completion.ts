/**
 * `completion bash|zsh|fish`: prints a completion script generated from the command
 * tree (docs/cli.md, Shell completion).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { SHELLS, completionScript } from '../completion-scripts.js';
import { completionTree } from '../completion-tree.js';
import type { CliContext } from '../context.js';
import { parseInput } from '../parse-input.js';
import { action } from '../verb.js';

export function registerCompletionVerb(program: Command, ctx: CliContext): void {
  const completion = program.command('completion <shell>').description(`print a shell completion script (${SHELLS.join(', ')})`);
  action(completion, async ({ args }) => {
    const shell = parseInput(z.enum(SHELLS), args[0], 'completion <shell>');
    ctx.io.out(completionScript(shell, completionTree(program)).trimEnd());
  });
}
