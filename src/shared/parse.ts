/**
 * Parsing at boundaries: every payload arrives as `unknown` and leaves typed or as a
 * ValidationError naming each bad path.
 */
import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** Parses `data` with `schema`, throwing a ValidationError that names `what`. */
export function parseUnknown<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw ValidationError.fromZod(what, result.error);
  return result.data;
}
