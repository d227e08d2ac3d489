/**
 * Generators shared by the fuzz tests: text that is almost JSON, JSON nested past the
 * limits, and raw WebSocket frames of every kind.
 */
import fc from 'fast-check';
import { deepJson } from './host-probes.js';
import type { FrameSpec } from './raw-websocket.js';

/** Strings that are JSON, nearly JSON, deeply nested JSON, or noise. */
export function jsonishText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.json({ maxDepth: 6 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json({ maxDepth: 4 }).map((text) => text.slice(0, Math.max(0, text.length - 1))),
    fc.integer({ min: 100, max: 30_000 }).map((depth) => deepJson(depth)),
    fc.integer({ min: 100, max: 30_000 }).map((depth) => '['.repeat(depth)),
    fc.constantFrom('', ' ', 'null', '[]', '{}', '"', '\\', '{"a":1}}', '\u0000', '\uD800', '1e999999', '-0', '{"__proto__":{"x":1}}'),
  );
}

/** A frame as a client might write it, valid or not (payloads short enough to arrive at once). */
export function rawFrame(): fc.Arbitrary<FrameSpec> {
  return fc.record({
    fin: fc.boolean(),
    rsv: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
    opcode: fc.oneof(fc.constantFrom(0, 1, 2, 8, 9, 10), fc.integer({ min: 0, max: 15 })),
    payload: fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      jsonishText().map((text) => Buffer.from(text.slice(0, 2_000))),
    ),
    masked: fc.oneof(fc.constant(true), fc.boolean()),
  });
}

const agentName = fc.oneof(fc.constantFrom('ide', 'fuzz-agent', 'echo', ''), fc.string({ maxLength: 70 }));

/** One line of the agent protocol: any of `types`, any field, or not JSON at all. */
export function agentLine(types: string[] = ['hello', 'send', 'status', 'heartbeat', 'log', 'spawn', 'welcome', 'teleport']): fc.Arbitrary<string> {
  const fields = {
    type: fc.constantFrom(...types),
    protocol: fc.oneof(fc.constant(1), fc.integer()),
    name: agentName,
    instanceId: fc.oneof(fc.constant('fuzz-instance-1'), fc.string({ maxLength: 80 })),
    agentType: fc.string({ maxLength: 20 }),
    to: agentName,
    body: fc.jsonValue({ maxDepth: 5 }),
    status: fc.constantFrom('idle', 'busy', 'active', 'terminated', 'x'),
    level: fc.constantFrom('info', 'warn', 'loud'),
    message: fc.string({ maxLength: 100 }),
    load: fc.record({ current: fc.integer(), max: fc.integer() }),
    id: fc.string({ maxLength: 70 }),
  };
  return fc.oneof(jsonishText(), fc.record(fields, { requiredKeys: ['type'] }).map((line) => JSON.stringify(line)));
}
