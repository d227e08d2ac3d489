/**
 * docs/nats.md cannot drift from what runs: its authorization block is the generator's
 * output (the block the other tests start nats-server with), and its server settings
 * are accepted by the nats-server these tests use (2.9), which refuses `sync_interval`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinatorConfig } from '../../../src/server/config.js';
import { natsConfigFor } from '../../../src/server/nats-config.js';
import { authorizationBlock } from '../../../src/server/nats-permissions.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { report } from './security-report.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/nats.md', import.meta.url)), 'utf8');

/** The fenced block between `<!-- name:start -->` and `<!-- name:end -->`. */
function docBlock(name: string): string {
  const match = new RegExp(`<!-- ${name}:start -->\\n\`\`\`\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- ${name}:end -->`).exec(DOC);
  if (!match) throw new Error(`docs/nats.md has no ${name} block`);
  return match[1]!;
}

/** Runs `nats-server -t` (check the configuration and exit) on a config text. */
function checkConfig(dir: string, text: string, env: Record<string, string> = {}): { ok: boolean; output: string } {
  const file = join(dir, `check-${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(file, text);
  const result = spawnSync('nats-server', ['-t', '-c', file], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

const serverVersion = () => /v(\d+)\.(\d+)/.exec(spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).stdout) ?? [];

let temp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => temp?.remove());

describe('docs/nats.md', () => {
  it('shows exactly the authorization block the tests run with', () => {
    const generated = authorizationBlock([
      { user: 'sy-coordinator', password: '$COORDINATOR_PASS', role: 'coordinator' },
      { user: 'ada', password: '$ADA_PASS', role: 'admin', repos: ['demo'] },
      { user: 'alice', password: '$ALICE_PASS', role: 'member', repos: ['demo'] },
    ]);
    expect(docBlock('authorization-block')).toBe(generated);
  });

  it("gives server settings and permissions that nats-server accepts, and keeps 2.10's sync_interval out", () => {
    temp = makeTempDir('sy-nats-docs-');
    const settings = docBlock('server-settings')
      .replace(/store_dir: "[^"]*"/, `store_dir: "${join(temp.path, 'js')}"`)
      // The page's certificate paths do not exist here; everything else is checked as written.
      .replace(/tls \{[^}]*\}/, 'no_tls: true');
    const config = `${settings}\n${docBlock('authorization-block')}\n`;
    const passwords = { COORDINATOR_PASS: 'c-secret', ADA_PASS: 'a-secret', ALICE_PASS: 'b-secret' };
    const checked = checkConfig(temp.path, config, passwords);
    expect(checked, checked.output).toMatchObject({ ok: true });

    const [, major, minor] = serverVersion();
    const withSync = checkConfig(temp.path, config.replace('jetstream {', 'jetstream {\n  sync_interval: always'), passwords);
    if (Number(major) === 2 && Number(minor) < 10) {
      // What the docs warn about: 2.9 will not start with the 2.10 setting.
      expect(withSync.ok).toBe(false);
      expect(withSync.output).toMatch(/unknown field "sync_interval"/);
    } else {
      expect(withSync, withSync.output).toMatchObject({ ok: true });
    }
    report({ attack: 'legit-docs-config', refused: false, how: `nats-server ${major}.${minor}: the documented settings and permissions pass \`nats-server -t\`; with sync_interval: ${withSync.ok ? 'accepted' : withSync.output.replace(/\S*\.conf:/, 'nats.conf:')}` });
  });

  it('gets the same permissions from --nats-config for a real tokens file, without printing a secret', () => {
    temp = makeTempDir('sy-nats-docs-');
    const tokensFile = join(temp.path, 'tokens.json');
    writeFileSync(
      tokensFile,
      JSON.stringify({ 'alice:alice-secret-1': { user: 'alice', role: 'member', repos: ['demo'] }, 'ada:ada-secret-1': { user: 'ada', role: 'admin', repos: ['*'] } }),
    );
    const config = CoordinatorConfig.parse({ nats: { servers: ['ws://127.0.0.1:1'], user: 'sy-coordinator', pass: 'x' }, tokensFile, repos: ['demo'] });
    const block = natsConfigFor(config);
    expect(block).not.toMatch(/secret-1/);
    expect(block).toBe(
      authorizationBlock([
        { user: 'sy-coordinator', password: '$SY_PASS_SY_COORDINATOR', role: 'coordinator' },
        { user: 'alice', password: '$SY_PASS_ALICE', role: 'member', repos: ['demo'] },
        { user: 'ada', password: '$SY_PASS_ADA', role: 'admin', repos: ['demo'] },
      ]),
    );
    const checked = checkConfig(temp.path, `${block}\n`, { SY_PASS_SY_COORDINATOR: 'c', SY_PASS_ALICE: 'alice-secret-1', SY_PASS_ADA: 'ada-secret-1' });
    expect(checked, checked.output).toMatchObject({ ok: true });
  });
});
