/**
 * The coordinator's command line, parsed with node:util and then zod.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { RepoName } from '../shared/domain.js';
import { parseUnknown } from '../shared/parse.js';

export const USAGE = `usage: switchyard-coordinator [--config <file>] [--nats <ws-url,...>] [--tokens <file>] [--repo <name>]... [--no-team] [--metrics <host:port>]
       switchyard-coordinator --nats-config [--config <file>] [--tokens <file>]
       switchyard-coordinator --hash-token < token.txt

  --config   JSON config file (or SY_COORDINATOR_CONFIG); see docs/coordinator.md
  --nats     NATS WebSocket URLs, comma-separated (or SY_NATS_URL)
  --tokens   tokens file: token -> {user, role, repos} (or SY_TOKENS_FILE)
  --repo     a repo to serve; repeat for more (or SY_REPOS=a,b)
  --no-team  do not run team agents or workers (registry, liveness and auth only)
  --metrics  serve Prometheus /metrics on host:port, or a port on 127.0.0.1 (or SY_METRICS_LISTEN)
  --nats-config  print the nats-server authorization block for the tokens file and exit
             (docs/nats.md); passwords are variables SY_PASS_<USER>, never printed
  --hash-token  read one API token on stdin, print its tokens-file key (sy-token:<hex>), exit`;

export const CliArgs = z
  .object({
    config: z.string().min(1).optional(),
    nats: z.string().min(1).optional(),
    tokens: z.string().min(1).optional(),
    repo: z.array(RepoName).optional(),
    'no-team': z.boolean().optional(),
    metrics: z.string().min(1).optional(),
    'hash-token': z.boolean().optional(),
    'nats-config': z.boolean().optional(),
    help: z.boolean().optional(),
  })
  .strict();
export type CliArgs = z.infer<typeof CliArgs>;

export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      nats: { type: 'string' },
      tokens: { type: 'string' },
      repo: { type: 'string', multiple: true },
      'no-team': { type: 'boolean' },
      metrics: { type: 'string' },
      'hash-token': { type: 'boolean' },
      'nats-config': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  return parseUnknown(CliArgs, values, 'command line');
}
