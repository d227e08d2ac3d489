import { describe, expect, it } from 'vitest';
import { LineSplitter, parseAgentLine } from '../../../src/core/agents/line-splitter.js';
import { LogRing } from '../../../src/core/agents/log-ring.js';

describe('LineSplitter', () => {
  it('reassembles lines split across chunks and splits chunks holding many lines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"type":"hear')).toEqual([]);
    expect(splitter.push('tbeat"}\r\n{"a":1}\n\n{"b"')).toEqual([
      { kind: 'line', text: '{"type":"heartbeat"}' },
      { kind: 'line', text: '{"a":1}' },
    ]);
    expect(splitter.end()).toEqual([{ kind: 'line', text: '{"b"' }]);
  });

  it('keeps multi-byte characters split between chunks intact', () => {
    const splitter = new LineSplitter();
    const bytes = Buffer.from('"é"\n');
    expect([...splitter.push(bytes.subarray(0, 2)), ...splitter.push(bytes.subarray(2))]).toEqual([{ kind: 'line', text: '"é"' }]);
  });

  it('drops an overlong line without buffering it and carries on', () => {
    const splitter = new LineSplitter(100);
    expect(splitter.push('x'.repeat(150))).toEqual([]);
    expect(splitter.push('y'.repeat(50))).toEqual([]);
    expect(splitter.push('z\n{"ok":1}\n')).toEqual([
      { kind: 'too-long', bytes: 201 },
      { kind: 'line', text: '{"ok":1}' },
    ]);
  });
});

describe('parseAgentLine', () => {
  it('accepts every agent line type', () => {
    for (const line of [
      { type: 'hello', protocol: 1, name: 'a', capabilities: ['x'] },
      { type: 'send', to: 'b', body: { any: ['json'] }, kind: 'task.completed', id: 'abcdefgh' },
      { type: 'status', status: 'busy' },
      { type: 'heartbeat', load: { current: 1, max: 2 } },
      { type: 'heartbeat' },
      { type: 'spawn', task: 'run tests', preferLocation: 'remote' },
      { type: 'log', level: 'warn', message: 'careful' },
    ]) {
      expect(parseAgentLine(JSON.stringify(line))).toMatchObject({ ok: true, line });
    }
  });

  it('names what is wrong with a bad line, and refers to its id', () => {
    expect(parseAgentLine('nope')).toMatchObject({ ok: false, code: 'bad-json' });
    expect(parseAgentLine('{"type":"teleport"}')).toMatchObject({ ok: false, code: 'bad-line' });
    const bad = parseAgentLine('{"type":"send","to":"bad name!","body":1,"id":"abcdefgh"}');
    expect(bad).toMatchObject({ ok: false, code: 'bad-line', ref: 'abcdefgh' });
    expect(!bad.ok && bad.message).toContain('to:');
    expect(parseAgentLine('{"type":"status","status":"terminated"}')).toMatchObject({ ok: false });
    expect(parseAgentLine('{"type":"heartbeat","extra":1}')).toMatchObject({ ok: false });
  });
});

describe('LogRing', () => {
  it('keeps the newest entries up to its capacity, oldest first', () => {
    const ring = new LogRing(3);
    for (let i = 1; i <= 5; i++) ring.add(i, 'stderr', 'info', `line ${i}`);
    expect(ring.tail().map((e) => e.text)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(ring.tail(2).map((e) => e.text)).toEqual(['line 4', 'line 5']);
    expect(ring.size).toBe(3);
  });
});
