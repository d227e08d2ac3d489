/**
 * Frames of the WebSocket bridge between a browser renderer (or the CLI) and a headless
 * core. The same contract as IPC, as JSON text frames.
 *
 * client → core: `{ type: 'call', id, call, input }`
 * core → client: `{ type: 'result', id, result }` and `{ type: 'event', event, payload }`
 *
 * The client authenticates with the token in the URL's query (`?token=`), which the
 * headless host prints; the core also checks the Origin header.
 */
import { z } from 'zod';
import { ResultSchema } from './contract.js';

export const BRIDGE_PATH = '/bridge';

export const CallFrame = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  call: z.string().min(1).max(128),
  input: z.unknown().optional(),
});
export type CallFrame = z.infer<typeof CallFrame>;

export const ResultFrame = z.object({
  type: z.literal('result'),
  /** null when the frame it answers could not be read far enough to find its id. */
  id: z.number().int().nonnegative().nullable(),
  result: ResultSchema,
});
export type ResultFrame = z.infer<typeof ResultFrame>;

export const EventFrame = z.object({
  type: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
});
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.discriminatedUnion('type', [ResultFrame, EventFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;
