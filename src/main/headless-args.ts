/**
 * The headless host's command line, parsed with zod like every other boundary.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ValidationError } from '../shared/errors.js';
import { parseUnknown } from '../shared/parse.js';

const OPTIONS = {
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  'allow-origin': { type: 'string', multiple: true },
} as const;
const FIELD_OF_OPTION: Record<string, string> = { port: 'port', 'data-dir': 'dataDir', 'allow-origin': 'allowOrigin' };

export const HeadlessArgs = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  dataDir: z.string().min(1).optional(),
  /** Extra origins allowed on the bridge (e.g. a dev server). */
  allowOrigin: z.array(z.url()).default([]),
});
export type HeadlessArgs = z.infer<typeof HeadlessArgs>;

/**
 * The options of `argv`, or a ValidationError: node's parseArgs throws a bare TypeError
 * (unknown option, missing or dash-led value), which must not reach the user as a crash.
 */
function readOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true }).values;
  } catch (error) {
    if (!(error instanceof TypeError) || !String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    const option = /'--([a-z-]+)'/.exec(error.message)?.[1];
    const path = (option && FIELD_OF_OPTION[option]) ?? '';
    throw new ValidationError('command line', [{ path, message: error.message }], { cause: error });
  }
}

export function parseHeadlessArgs(argv: string[]): HeadlessArgs {
  const values = readOptions(argv);
  return parseUnknown(
    HeadlessArgs,
    { port: values.port, dataDir: values['data-dir'], allowOrigin: values['allow-origin'] },
    'command line',
  );
}
