/**
 * Arguments become contract inputs through the contract's own zod schemas, so the CLI
 * refuses exactly what the core would, before connecting, with exit 2 and a message
 * that names the option or argument at fault.
 */
import type { z } from 'zod';
import { UsageError } from './cli-errors.js';

/**
 * Parses `data` with `schema`. `labels` maps an input field to what the user typed
 * (`preferLocation` → `--prefer`), so the message speaks the command line's words.
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, verb: string, labels: Record<string, string> = {}): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const head = String(issue.path[0] ?? '');
    return { path: labels[head] ?? path, message: issue.message };
  });
  const detail = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  throw new UsageError(`${verb}: ${detail}`, issues);
}

/** A whole number from an argument (`scale echo 3`, `--limit 20`). */
export function parseCount(text: string, what: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${what}: "${text}" is not a whole number`);
  return Number(text);
}

/** JSON typed on the command line (`call … '{"type":"echo"}'`, `context set k '{"a":1}'`). */
export function parseJsonArgument(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what}: not valid JSON (${(error as Error).message})`);
  }
}
