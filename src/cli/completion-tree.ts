/**
 * The command tree as completion scripts need it, read from commander's own tree so a
 * new verb or option completes without touching the generators.
 */
import type { Command } from 'commander';

export interface CompletionOption {
  /** `--repo`, `-h`… */
  flags: string[];
  takesValue: boolean;
  choices?: string[];
  description: string;
}

export interface CompletionNode {
  name: string;
  description: string;
  options: CompletionOption[];
  subcommands: CompletionNode[];
}

const HELP: CompletionOption = { flags: ['-h', '--help'], takesValue: false, description: 'show help' };

export function completionTree(command: Command): CompletionNode {
  return {
    name: command.name(),
    description: command.description(),
    options: [
      ...command.options
        .filter((option) => !option.hidden)
        .map((option) => ({
          flags: [option.short, option.long].filter((flag): flag is string => flag !== undefined),
          takesValue: option.required || option.optional,
          ...(option.argChoices ? { choices: [...option.argChoices] } : {}),
          description: option.description,
        })),
      HELP,
    ],
    subcommands: command.commands.map((sub) => completionTree(sub)),
  };
}

/** Every node with the path of subcommand names that leads to it ('' for the root). */
export function walk(node: CompletionNode, path: string[] = []): { path: string[]; node: CompletionNode }[] {
  return [{ path, node }, ...node.subcommands.flatMap((sub) => walk(sub, [...path, sub.name]))];
}

/** Options that take a value, in every node. */
export function valueFlags(node: CompletionNode): string[] {
  return node.options.filter((option) => option.takesValue).flatMap((option) => option.flags);
}
