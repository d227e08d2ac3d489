/**
 * The `switchyard` command tree (docs/cli.md) and how a run ends: every failure maps
 * to one exit code (exit-codes.ts) and prints `<ErrorName>: message` on stderr.
 */
import { Command, CommanderError } from 'commander';
import { ContractCallError } from '../shared/contract-client.js';
import { SwitchyardError } from '../shared/errors.js';
import { registerAgentVerbs } from './commands/agents.js';
import { registerApprovalVerbs } from './commands/approvals.js';
import { registerCompletionVerb } from './commands/completion.js';
import { registerManifestVerbs } from './commands/manifests.js';
import { registerSendVerb } from './commands/send.js';
import { registerStatusVerbs } from './commands/status.js';
import { registerTraceVerbs } from './commands/traces.js';
import { registerWorkVerbs } from './commands/work.js';
import type { CliContext, CliIo, GlobalOptions } from './context.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { locateBridge } from './locate.js';
import type { CliSession } from './session.js';

const EXIT_CODES_HELP = `
Exit codes: 0 ok, 1 the core refused (<ErrorName>: message on stderr), 2 usage error,
3 no running Switchyard reachable, 4 not found, 5 timeout. Every verb: docs/cli.md.`;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('switchyard')
    .description('Drive a running Switchyard (the desktop app or the headless host) from the shell.')
    .option('--url <url>', 'the URL the host printed (default: the bridge.json in the data folder)')
    .option('--data-dir <dir>', 'the data folder whose Switchyard to reach (default: SWITCHYARD_DATA_DIR, else the platform\'s)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({ writeOut: (text) => ctx.io.out(text.trimEnd()), writeErr: (text) => ctx.io.err(text.trimEnd()) });
  registerStatusVerbs(program, ctx);
  registerAgentVerbs(program, ctx);
  registerSendVerb(program, ctx);
  registerTraceVerbs(program, ctx);
  registerManifestVerbs(program, ctx);
  registerApprovalVerbs(program, ctx);
  registerWorkVerbs(program, ctx);
  registerCompletionVerb(program, ctx);
  return program;
}

/** Runs one command line (without `node` and the script) and answers its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let session: CliSession | undefined;
  const ctx: CliContext = {
    io,
    async session(command) {
      const options = command.optsWithGlobals<GlobalOptions>();
      session ??= await io.connect(locateBridge({ url: options.url, dataDir: options.dataDir }, io.env));
      return session;
    },
  };
  const program = buildProgram(ctx);
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return ExitCode.usage;
    }
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    return report(error, io);
  } finally {
    session?.close();
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (and the hint); help and --version end well.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof ContractCallError || error instanceof SwitchyardError) {
    io.err(`${error.name}: ${error.message}`);
    for (const issue of (error as { issues?: { path: string; message: string }[] }).issues ?? []) {
      if (issue.path) io.err(`  ${issue.path}: ${issue.message}`);
    }
    return exitCodeFor(error.name);
  }
  io.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
  return ExitCode.error;
}
