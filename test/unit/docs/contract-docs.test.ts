/**
 * docs/contract.md and the coordinator fields in docs/nats.md are generated from the
 * schemas; this is the CI check that they were regenerated after a schema changed.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DOC_BLOCKS, KNOWN_ERRORS, docsStatus, renderContractBlock, renderCoordinatorBlock, replaceBlock } from '../../../scripts/contract-docs.js';
import { shapeOf } from '../../../scripts/schema-shape.js';
import { callNames, eventNames } from '../../../src/shared/contract.js';
import * as coordinatorProtocol from '../../../src/shared/coordinator-protocol.js';
import * as errors from '../../../src/shared/errors.js';

describe('generated docs', () => {
  it.each(docsStatus())('$file is what npm run docs:contract writes', ({ file, current, expected }) => {
    expect(current === expected, `${file} is out of date with the schemas: run \`npm run docs:contract\` and commit the result`).toBe(true);
  });

  it('lists every call and every event of the contract', () => {
    const doc = renderContractBlock();
    for (const name of [...callNames, ...eventNames]) expect(doc).toContain(`### \`${name}\``);
  });

  it('mentions every field of every coordinator request and reply', () => {
    const doc = renderCoordinatorBlock();
    const schemas = [
      coordinatorProtocol.RegisterRequest,
      coordinatorProtocol.DeregisterRequest,
      coordinatorProtocol.DeregisterReply,
      coordinatorProtocol.HeartbeatRequest,
      coordinatorProtocol.HeartbeatReply,
      coordinatorProtocol.CoordinatorSpawnRequest,
      coordinatorProtocol.SpawnReply,
      coordinatorProtocol.RegistryStatusReply,
    ];
    for (const schema of schemas) {
      for (const field of Object.keys(schema.shape)) expect(doc).toMatch(new RegExp(`\\n\\s+${field}\\??: `));
    }
    for (const endpoint of coordinatorProtocol.CoordinatorEndpoint.options) expect(doc).toContain(`### ${endpoint}: `);
  });

  it('names only errors that src/shared/errors.ts defines', () => {
    const defined = new Set(
      Object.entries(errors)
        .filter(([, value]) => typeof value === 'function' && value.prototype instanceof errors.SwitchyardError)
        .map(([name]) => name),
    );
    const named = Object.values(KNOWN_ERRORS).flat();
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !defined.has(name))).toEqual([]);
  });

  it('replaces only the text between its own markers, and refuses a doc without them', () => {
    const doc = 'before\n<!-- x:start -->\nold\n<!-- x:end -->\nafter\n';
    expect(replaceBlock(doc, 'x', 'new')).toBe('before\n<!-- x:start -->\nnew\n<!-- x:end -->\nafter\n');
    expect(() => replaceBlock('no markers', 'x', 'new')).toThrow(/no <!-- x:start -->/);
    expect(DOC_BLOCKS.map((b) => b.file)).toEqual(['docs/contract.md', 'docs/nats.md']);
  });
});

describe('schema shapes', () => {
  const Sample = z
    .object({
      name: z.string().regex(/^[a-z]{1,8}$/),
      count: z.number().int().min(1).max(10).default(1),
      note: z.string().max(20).nullable(),
      body: z.json(),
      tags: z.record(z.string(), z.string()).optional(),
    })
    .strict();

  it('shows defaults as optional in an input and required in an output, with limits as comments', () => {
    expect(shapeOf(Sample, 'input').text).toBe(
      [
        '{',
        '  name: string; // /^[a-z]{1,8}$/',
        '  count?: number; // integer, 1–10, default 1',
        '  note: string | null; // ≤ 20 chars',
        '  body: JSON;',
        '  tags?: Record<string, string>;',
        '}',
      ].join('\n'),
    );
    expect(shapeOf(Sample, 'output').text).toContain('  count: number; // integer, 1–10, default 1');
  });
});
