import { describe, expect, it } from 'vitest';
import { senderRefusal } from '../../../src/core/router/sender-check.js';
import type { SenderPolicy } from '../../../src/core/router/sender-check.js';
import { memberPermissions } from '../../../src/server/nats-permissions.js';
import { parseInboxSubject, subjects } from '../../../src/shared/nats-subjects.js';
import { localNameOf, wireName } from '../../../src/shared/wire-names.js';

const owners: Record<string, string> = { review: 'team', 'worker-3': 'alice' };
const withUsers: SenderPolicy = { anonymousAllowed: false, ownerOf: (_repo, name) => owners[name] };
const message = (from: string, to = 'bob.echo') => ({ repo: 'demo', from, to });

describe('sender check', () => {
  it("accepts a sender's own names and what the registry says it owns", () => {
    expect(senderRefusal(subjects.inbox('demo', 'alice', 'bob.echo'), message('alice.echo'), withUsers)).toBeUndefined();
    expect(senderRefusal(subjects.inbox('demo', 'alice', 'bob.echo'), message('worker-3'), withUsers)).toBeUndefined();
    expect(senderRefusal(subjects.inbox('demo', 'team', 'bob.echo'), message('review'), withUsers)).toBeUndefined();
  });

  it('refuses another user\'s name, a team agent, an unknown name, and a mismatched subject, saying why', () => {
    expect(senderRefusal(subjects.inbox('demo', 'alice', 'bob.echo'), message('ada.bot'), withUsers)).toMatch(/forged sender: "ada.bot" is unknown, but NATS user "alice"/);
    expect(senderRefusal(subjects.inbox('demo', 'alice', 'bob.echo'), message('review'), withUsers)).toMatch(/owned by "team"/);
    // "alice" is not "alice." : a name merely starting with the user's letters is not hers.
    expect(senderRefusal(subjects.inbox('demo', 'alice', 'bob.echo'), message('alicex.bot'), withUsers)).toMatch(/forged sender/);
    expect(senderRefusal(subjects.inbox('demo', 'alice', 'bob.other'), message('alice.echo'), withUsers)).toMatch(/subject addresses demo\/bob.other/);
    expect(senderRefusal('sy.demo.hb.x', message('alice.echo'), withUsers)).toMatch(/not an inbox subject/);
  });

  it('accepts the anonymous sender only where there are no NATS users', () => {
    const subject = subjects.inbox('demo', '~', 'bob.echo');
    expect(senderRefusal(subject, message('anything'), withUsers)).toMatch(/unauthenticated sender/);
    expect(senderRefusal(subject, message('anything'), { ...withUsers, anonymousAllowed: true })).toBeUndefined();
  });

  it('reads dotted agent names after the sender token', () => {
    expect(parseInboxSubject('sy.demo.inbox.alice.bob.a.b')).toEqual({ repo: 'demo', sender: 'alice', agent: 'bob.a.b' });
    expect(parseInboxSubject('sy.demo.inbox.alice')).toBeUndefined();
  });
});

describe('wire names', () => {
  it('prefix local names once, and map them back', () => {
    expect(wireName('alice', 'echo')).toBe('alice.echo');
    expect(wireName('alice', 'alice.workspace')).toBe('alice.workspace');
    expect(wireName(undefined, 'echo')).toBe('echo');
    expect(localNameOf('alice', 'alice.echo', () => undefined)).toBe('echo');
    expect(localNameOf('alice', 'alice.echo', (name) => (name === 'echo' ? 'here' : undefined))).toBe('echo');
    expect(localNameOf('alice', 'alice.workspace', (name) => (name === 'alice.workspace' ? 'here' : undefined))).toBe('alice.workspace');
    expect(localNameOf('alice', 'bob.echo', () => undefined)).toBe('bob.echo');
    // A team agent `echo` elsewhere never receives what was sent to alice.echo.
    expect(localNameOf('alice', 'alice.echo', (name) => (name === 'echo' ? 'elsewhere' : undefined))).toBe('alice.echo');
  });
});

describe('member permissions', () => {
  it('refuse a member named like the team owner or unfit for a subject token', () => {
    expect(() => memberPermissions('team', ['demo'])).toThrow(/team agents send under/);
    expect(() => memberPermissions('ops', ['demo'], { teamOwner: 'ops' })).toThrow(/team agents send under/);
    expect(() => memberPermissions('a.b', ['demo'])).toThrow(/NATS user/);
    expect(() => memberPermissions('*', ['demo'])).toThrow(/NATS user/);
  });

  it('grant only its own sender token, heartbeats and consumer', () => {
    const { publish, subscribe } = memberPermissions('alice', ['demo']);
    expect(publish).toContain('sy.demo.inbox.alice.>');
    expect(publish).toContain('sy.demo.hb.alice.>');
    expect(publish.filter((subject) => subject.includes('DURABLE'))).toEqual([]);
    expect(publish.filter((subject) => subject.startsWith('$JS.API.CONSUMER.CREATE.SY_MESSAGES'))).toEqual([
      '$JS.API.CONSUMER.CREATE.SY_MESSAGES.sy-user~demo~alice.sy.demo.inbox.*.alice.>',
    ]);
    // Its own reply inbox, and receipts for the messages it sent (docs/nats.md, receipts).
    expect(subscribe).toEqual(['_INBOX_alice.>', 'sy.demo.receipts.alice.*']);
    expect(publish).toContain('sy.demo.receipts.*.alice');
  });
});
