/**
 * The `switchyard` command: talks to a running desktop/headless core through the
 * contract over the WebSocket bridge.
 *
 *   switchyard status                 connection state and config
 *   switchyard agents [--json]        the registry mirror
 *   switchyard call <name> [json]     any contract call, e.g. call agents.list '{"type":"workspace"}'
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { z } from 'zod';
import { connectBridge } from '../shared/bridge-client.js';
import { isCallName } from '../shared/contract.js';
import type { CallName } from '../shared/contract.js';
import { ContractCallError } from '../shared/contract-client.js';
import type { AgentInfo } from '../shared/domain.js';
import { locateBridge } from './locate.js';

const Command = z.discriminatedUnion('command', [
  z.object({ command: z.literal('status') }),
  z.object({ command: z.literal('agents') }),
  z.object({
    command: z.literal('call'),
    name: z.string().refine(isCallName, { message: 'unknown call; see docs/architecture.md for the contract' }),
    input: z.string().optional(),
  }),
]);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || positionals.length === 0) {
    console.log('usage: switchyard status | agents [--json] | call <name> [json-input]   [--url URL]');
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const parsed = Command.safeParse({ command: positionals[0], name: positionals[1], input: positionals[2] });
  if (!parsed.success) {
    console.error(`switchyard: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    return 2;
  }
  const socket = new WebSocket(locateBridge(values.url, process.env));
  const { api, close } = await connectBridge(socket as unknown as Parameters<typeof connectBridge>[0]);
  try {
    const command = parsed.data;
    switch (command.command) {
      case 'status': {
        const [connection, config] = await Promise.all([api.connection.get(), api.config.get()]);
        print(values.json, { connection, config }, () => {
          console.log(`hybrid: ${config.enabled ? 'on' : 'off'}  repo: ${config.repo}`);
          console.log(`link:   ${connection.phase}${connection.server ? ` (${connection.server})` : ''}`);
          if (connection.lastError) console.log(`error:  ${connection.lastError}`);
        });
        return 0;
      }
      case 'agents': {
        const agents = await api.agents.list();
        print(values.json, agents, () => printAgents(agents));
        return 0;
      }
      case 'call': {
        const input = command.input === undefined ? undefined : JSON.parse(command.input);
        const [ns, method] = splitCall(command.name as CallName);
        const fn = (api as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>)[ns]?.[method];
        console.log(JSON.stringify(await fn?.(input), null, 2));
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof ContractCallError) {
      console.error(`switchyard: ${error.name}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    close();
  }
}

function splitCall(call: CallName): [string, string] {
  const dot = call.indexOf('.');
  return [call.slice(0, dot), call.slice(dot + 1)];
}

function print(json: boolean | undefined, value: unknown, human: () => void): void {
  if (json) console.log(JSON.stringify(value, null, 2));
  else human();
}

function printAgents(agents: AgentInfo[]): void {
  if (agents.length === 0) {
    console.log('no agents');
    return;
  }
  for (const agent of agents) {
    console.log(
      [agent.ownership.padEnd(5), agent.location.padEnd(6), agent.status.padEnd(11), `${agent.repo}/${agent.name}`, `(${agent.type})`].join(' '),
    );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`switchyard: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
