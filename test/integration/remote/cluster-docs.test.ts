/**
 * docs/nats.md's 3-node cluster configuration is one nats-server accepts: the node block
 * with the page's authorization block passes `nats-server -t`, for each of the three
 * nodes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/temp-dir.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/nats.md', import.meta.url)), 'utf8');

function docBlock(name: string): string {
  const match = new RegExp(`<!-- ${name}:start -->\\n\`\`\`\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- ${name}:end -->`).exec(DOC);
  if (!match) throw new Error(`docs/nats.md has no ${name} block`);
  return match[1]!;
}

let temp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => temp?.remove());

describe('the documented 3-node cluster', () => {
  it('passes nats-server -t on every node, with the documented authorization', () => {
    temp = makeTempDir('sy-cluster-docs-');
    const node = docBlock('cluster-node');
    expect(node).toMatch(/cluster \{[\s\S]*routes: \[[\s\S]*nats1:6222[\s\S]*nats2:6222[\s\S]*nats3:6222/);
    expect(node).toMatch(/jetstream \{/);
    expect(node).toMatch(/websocket \{/);
    const passwords = { COORDINATOR_PASS: 'c-secret', ADA_PASS: 'a-secret', ALICE_PASS: 'b-secret' };
    for (const name of ['n1', 'n2', 'n3']) {
      const text = node
        .replace('server_name: "n1"', `server_name: "${name}"`)
        .replace(/store_dir: "[^"]*"/, `store_dir: "${join(temp.path, name)}"`)
        // The page's certificate paths do not exist here; everything else is checked as written.
        .replace(/tls \{[^}]*\}/, 'no_tls: true');
      const file = join(temp.path, `${name}.conf`);
      writeFileSync(file, `${text}\n${docBlock('authorization-block')}\n`);
      const result = spawnSync('nats-server', ['-t', '-c', file], { encoding: 'utf8', env: { ...process.env, ...passwords } });
      expect({ ok: result.status === 0, output: `${result.stdout}${result.stderr}` }).toMatchObject({ ok: true });
    }
  });

});
