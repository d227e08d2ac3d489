/**
 * One built headless host per CLI test file, found by the CLI through its bridge.json
 * (SWITCHYARD_DATA_DIR), and the helpers every verb test uses on it.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { z } from 'zod';
import type { CallName, Calls } from '../../../src/shared/contract.js';
import { calls } from '../../../src/shared/contract.js';
import type { HeadlessHandle } from '../../e2e/helpers/headless.js';
import { startHeadless } from '../../e2e/helpers/headless.js';
import { cli } from './cli-process.js';

/** The contract's output schema of a call: what its --json output must parse as. */
export const output = <N extends CallName>(name: N): Calls[N]['output'] => calls[name].output;

export interface CliHost {
  host(): HeadlessHandle;
  env(): NodeJS.ProcessEnv;
  /** Runs a verb that must succeed and parses its --json output with `schema`. */
  json<S extends z.ZodType>(schema: S, args: string[]): Promise<z.output<S>>;
}

/** Starts the host before the file's tests and stops it after. */
export function useCliHost(): CliHost {
  let host: HeadlessHandle | undefined;
  let env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    host = await startHeadless();
    env = { ...process.env, SWITCHYARD_DATA_DIR: host.dataDir };
    delete env.SWITCHYARD_URL;
  }, 120_000);
  afterAll(async () => host?.stop());
  return {
    host: () => host!,
    env: () => env,
    async json(schema, args) {
      const run = await cli([...args, '--json'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return schema.parse(JSON.parse(run.stdout));
    },
  };
}
