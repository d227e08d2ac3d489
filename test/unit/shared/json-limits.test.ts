import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../src/shared/errors.js';
import { MAX_JSON_DEPTH, jsonDepthExceeds, parseJsonText, utf8Length } from '../../../src/shared/json-limits.js';

const limits = { maxBytes: 1024 * 1024 };

function nested(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + close.repeat(depth);
}

function issueOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues[0]?.message ?? '';
  }
  throw new Error('expected a ValidationError');
}

describe('parseJsonText', () => {
  it('parses JSON within the limits, from text or bytes', () => {
    expect(parseJsonText('{"a":[1,{"b":"x"}]}', limits, 'frame')).toEqual({ a: [1, { b: 'x' }] });
    expect(parseJsonText(new TextEncoder().encode('{"é":"ü"}'), limits, 'frame')).toEqual({ é: 'ü' });
    expect(parseJsonText(nested(MAX_JSON_DEPTH), limits, 'frame')).toBeInstanceOf(Array);
  });

  it('refuses nesting one level past the limit, before the schema could overflow the stack', () => {
    expect(issueOf(() => parseJsonText(nested(MAX_JSON_DEPTH + 1), limits, 'frame'))).toMatch(/nested deeper than 128/);
    // The shapes that ended the process: 20,000 deep (gateway) and 3,000 deep (agent stdout).
    for (const depth of [3_000, 20_000, 200_000]) {
      const text = `{"type":"send","body":${nested(depth, '{"a":', '}').replace(/\{"a":\}/, '{"a":1}')}}`;
      expect(issueOf(() => parseJsonText(text, { maxBytes: 4 * 1024 * 1024 }, 'line'))).toMatch(/nested deeper/);
    }
  });

  it('names what was refused in the error message', () => {
    expect(() => parseJsonText('[[[', { maxBytes: 100, maxDepth: 2 }, 'gateway line')).toThrow(/^invalid gateway line: JSON is nested deeper than 2/);
  });

  it('does not count brackets inside strings, including after escaped quotes', () => {
    const text = JSON.stringify({ s: '[[[[{{{{\\"[[[[', t: '"]]]]' });
    expect(jsonDepthExceeds(text, 1)).toBeNull();
    expect(parseJsonText(text, { maxBytes: 1000, maxDepth: 1 }, 'frame')).toEqual(JSON.parse(text));
  });

  it('property: the depth check answers as a plain scan does, whether brackets are few or many', () => {
    /** The scan alone, without the bracket count that lets most inputs skip it. */
    const reference = (text: string, maxDepth: number): number | null => {
      let depth = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '[' || c === '{') {
          if (++depth > maxDepth) return i;
        } else if (c === ']' || c === '}') depth--;
      }
      return null;
    };
    const chars = fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ',', ':');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }).map((parts) => parts.join('')), fc.integer({ min: 0, max: 8 }), (text, maxDepth) => {
        expect(jsonDepthExceeds(text, maxDepth)).toBe(reference(text, maxDepth));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses input over the byte limit, counted in UTF-8 for text and bytes alike', () => {
    expect(issueOf(() => parseJsonText('"' + 'x'.repeat(100) + '"', { maxBytes: 100 }, 'frame'))).toMatch(/larger than the limit of 100 bytes/);
    // 40 characters, 120 bytes: the UTF-16 length alone would let it through.
    expect(() => parseJsonText(`"${'€'.repeat(40)}"`, { maxBytes: 100 }, 'frame')).toThrow(ValidationError);
    expect(() => parseJsonText(new Uint8Array(101).fill(0x20), { maxBytes: 100 }, 'frame')).toThrow(/larger than the limit/);
    expect(parseJsonText(`"${'€'.repeat(30)}"`, { maxBytes: 100 }, 'frame')).toBe('€'.repeat(30));
  });

  it('answers text that is not JSON with a ValidationError', () => {
    expect(issueOf(() => parseJsonText('{not json', limits, 'frame'))).toMatch(/^not JSON/);
    expect(issueOf(() => parseJsonText('', limits, 'frame'))).toMatch(/^not JSON/);
  });

  it('counts UTF-8 bytes as the encoder writes them', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === encoder.encode(text).byteLength),
      { numRuns: 1_000 },
    );
  });

  it('property: any string either parses to what JSON.parse gives or throws a ValidationError, never anything else', () => {
    const deepJson = fc.integer({ min: 1, max: 400 }).map((n) => nested(n, '{"k":[', ']}').replace('[]', '[1]'));
    const input = fc.oneof(fc.json({ maxDepth: 8 }), fc.string(), deepJson, fc.jsonValue().map((v) => JSON.stringify(v).slice(1)));
    fc.assert(
      fc.property(input, (text) => {
        let value: unknown;
        try {
          value = parseJsonText(text, { maxBytes: 4096, maxDepth: 64 }, 'input');
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          return;
        }
        expect(value).toEqual(JSON.parse(text));
        // What passed can go through the recursive schema without overflowing the stack.
        z.json().parse(value);
      }),
      { numRuns: 2_000 },
    );
  });
});
