/**
 * Runs the CLI in-process for argument-parsing tests: what it printed, its exit code,
 * and the contract calls it made. The session answers each call with what the test
 * gave for that name (or nothing), so the tests see exactly the input the verb built.
 */
import type { CallName } from '../../../src/shared/contract.js';
import type { CliIo } from '../../../src/cli/context.js';
import { runCli } from '../../../src/cli/program.js';

export interface Recorded {
  code: number;
  stdout: string;
  stderr: string;
  calls: { name: CallName; input: unknown }[];
  connected: boolean;
}

export async function runRecorded(argv: string[], answers: Partial<Record<CallName, unknown>> = {}): Promise<Recorded> {
  const recorded: Recorded = { code: -1, stdout: '', stderr: '', calls: [], connected: false };
  const io: CliIo = {
    out: (text) => void (recorded.stdout += `${text}\n`),
    err: (text) => void (recorded.stderr += `${text}\n`),
    env: { SWITCHYARD_URL: 'http://127.0.0.1:9/?token=t' },
    cwd: '/home/ada/project',
    connect: async () => {
      recorded.connected = true;
      return {
        call: async (name, input) => {
          recorded.calls.push({ name, input });
          return answers[name] as never;
        },
        on: () => () => undefined,
        closed: new Promise<void>(() => undefined),
        close: () => undefined,
      };
    },
    interrupted: () => Promise.resolve(),
  };
  recorded.code = await runCli(argv, io);
  return recorded;
}
