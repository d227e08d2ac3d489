/**
 * The headless host's command line, parsed with zod like every other boundary.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseUnknown } from '../shared/parse.js';

export const HeadlessArgs = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  dataDir: z.string().min(1).optional(),
  /** Extra origins allowed on the bridge (e.g. a dev server). */
  allowOrigin: z.array(z.url()).default([]),
});
export type HeadlessArgs = z.infer<typeof HeadlessArgs>;

export function parseHeadlessArgs(argv: string[]): HeadlessArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
    },
    strict: true,
  });
  return parseUnknown(
    HeadlessArgs,
    { port: values.port, dataDir: values['data-dir'], allowOrigin: values['allow-origin'] },
    'command line',
  );
}
