/**
 * docs/remote-agents.md tells a third party which subjects to use, which header to
 * derive and what bodies to send; these checks hold it to the code: every example body
 * parses with its schema, every subject is the one nats-subjects.ts builds and one the
 * member's NATS permissions allow, and the header recipe gives deriveSyToken's value.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { deriveSyToken } from '../../../src/core/sy-token.js';
import { memberPermissions } from '../../../src/server/nats-permissions.js';
import { HeartbeatRequest, RegisterRequest } from '../../../src/shared/coordinator-protocol.js';
import { RoutedMessage } from '../../../src/shared/domain.js';
import { MESSAGE_STREAM, headers, subjects, userInboxConsumer } from '../../../src/shared/nats-subjects.js';

const read = (name: string) => readFileSync(fileURLToPath(new URL(`../../../docs/${name}`, import.meta.url)), 'utf8');
const PAGES = { 'agent-protocol.md': read('agent-protocol.md'), 'remote-agents.md': read('remote-agents.md') };
const DOC = PAGES['remote-agents.md'];

/** The schemas an example may name; strict, so a misspelt field in an example fails. */
const SCHEMAS: Record<string, z.ZodType> = { RoutedMessage: RoutedMessage.strict(), RegisterRequest, HeartbeatRequest };

/** Each `<!-- example: Schema -->` followed by a fenced JSON block. */
function examples(doc: string): Array<{ schema: string; json: string }> {
  return [...doc.matchAll(/<!-- example: (\w+) -->\n```json\n([\s\S]*?)\n```/g)].map((m) => ({ schema: m[1]!, json: m[2]! }));
}

/** NATS subject matching: `*` one token, `>` one or more at the end. */
function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

const USER = 'alice-bot';
const AGENT = `${USER}.linter`;
const member = memberPermissions(USER, ['demo']);
const consumer = userInboxConsumer('demo', USER);

describe('docs/remote-agents.md', () => {
  it('has examples, and each parses with the schema it names', () => {
    for (const [page, doc] of Object.entries(PAGES)) {
      const found = examples(doc);
      expect(found.length, page).toBeGreaterThan(0);
      for (const { schema, json } of found) {
        expect(SCHEMAS[schema], `${page}: unknown schema ${schema}`).toBeDefined();
        const parsed = SCHEMAS[schema]!.safeParse(JSON.parse(json));
        expect(parsed.error?.issues ?? [], `${page}: ${schema} example`).toEqual([]);
      }
    }
  });

  it('names the subjects the code builds, and the member permissions allow each', () => {
    const publish = [
      subjects.register('demo'),
      subjects.deregister('demo'),
      subjects.heartbeat('demo', AGENT),
      `$JS.API.CONSUMER.CREATE.${MESSAGE_STREAM}.${consumer.durable}.${consumer.filter}`,
      `$JS.API.CONSUMER.MSG.NEXT.${MESSAGE_STREAM}.${consumer.durable}`,
    ];
    for (const subject of publish) {
      expect(DOC).toContain(subject);
      expect(member.publish.some((allow) => matches(allow, subject)), subject).toBe(true);
    }
    // Replies go out under the agent's own user, to any destination.
    expect(DOC).toContain(subjects.inbox('demo', USER, '<to>'));
    expect(member.publish.some((allow) => matches(allow, subjects.inbox('demo', USER, 'alice.workspace')))).toBe(true);
    expect(member.publish.some((allow) => matches(allow, subjects.inbox('demo', 'alice', 'x')))).toBe(false);
    expect(member.publish.some((allow) => matches(allow, `$JS.ACK.${MESSAGE_STREAM}.${consumer.durable}.1.1.1.1.1`))).toBe(true);
    // The consumer the page describes, and the inbox prefix it needs to get replies.
    expect(DOC).toContain(consumer.durable);
    expect(DOC).toContain(consumer.filter);
    expect(DOC).toContain(subjects.inbox('demo', '<sender>', AGENT));
    expect(DOC).toContain(`_INBOX_${USER}`);
    expect(member.subscribe.some((allow) => matches(allow, `_INBOX_${USER}.abc.1`))).toBe(true);
    expect(member.subscribe.some((allow) => matches(allow, '_INBOX.abc.1'))).toBe(false);
  });

  it("gives a header recipe that yields deriveSyToken's value", () => {
    expect(DOC).toContain(headers.token);
    expect(DOC).toContain('`switchyard sy-token v1` + one NUL byte + the whole API token');
    const token = `${USER}:secret`;
    const byRecipe = createHash('sha256').update(Buffer.concat([Buffer.from('switchyard sy-token v1'), Buffer.from([0]), Buffer.from(token)])).digest('hex');
    expect(byRecipe).toBe(deriveSyToken(token));
  });

  it('documents the headers a published message carries', () => {
    for (const header of [headers.msgId, headers.route, headers.traceparent]) expect(DOC).toContain(`\`${header}\``);
  });
});
