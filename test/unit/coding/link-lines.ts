/** Both ends of an AgentLink's stdio in a test: lines the agent wrote, lines to send it. */
import { PassThrough } from 'node:stream';

export interface Wire {
  input: PassThrough;
  output: PassThrough;
  /** Every JSON line the agent wrote so far. */
  lines: Array<Record<string, unknown> & { type: string }>;
  say(line: unknown): void;
}

export function wire(): Wire {
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: Wire['lines'] = [];
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      lines.push(JSON.parse(buffer.slice(0, nl)) as Wire['lines'][number]);
      buffer = buffer.slice(nl + 1);
    }
  });
  return { input, output, lines, say: (line) => input.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`) };
}
