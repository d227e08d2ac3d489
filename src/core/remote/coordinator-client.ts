/**
 * Requests to the coordinator over an open connection: the token's derived value in the
 * `Sy-Token` header (never the token: src/core/sy-token.ts), the reply parsed as the
 * result envelope, errors rethrown with their name.
 */
import type { NatsConnection } from 'nats.ws';
import { headers as natsHeaders } from 'nats.ws';
import type { z } from 'zod';
import { CoordinatorReply } from '../../shared/coordinator-protocol.js';
import { SwitchyardError } from '../../shared/errors.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../../shared/json-limits.js';
import { headers as H } from '../../shared/nats-subjects.js';
import { parseUnknown } from '../../shared/parse.js';
import { deriveSyToken } from '../sy-token.js';

const encoder = new TextEncoder();

/** An error the coordinator returned, keeping the name it gave (NotAllowed, ValidationError, ...). */
export class CoordinatorError extends SwitchyardError {
  constructor(
    readonly remoteName: string,
    message: string,
  ) {
    super(message);
    this.name = remoteName;
  }
}

/** Headers naming the caller: `Sy-Token` is the derived value, so a traced header leaks no password. */
export function tokenHeaders(token: string | undefined) {
  const h = natsHeaders();
  if (token) h.set(H.token, deriveSyToken(token));
  return h;
}

export async function coordinatorRequest<S extends z.ZodType>(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  token: string | undefined,
  reply: S,
  timeoutMs = 5_000,
): Promise<z.output<S>> {
  const msg = await nc.request(subject, encoder.encode(JSON.stringify(body)), { timeout: timeoutMs, headers: tokenHeaders(token) });
  const envelope = parseUnknown(CoordinatorReply, parseJsonText(msg.data, NATS_JSON_LIMITS, `reply on ${subject}`), `reply on ${subject}`);
  if (!envelope.ok) throw new CoordinatorError(envelope.error.name, envelope.error.message);
  return parseUnknown(reply, envelope.value, `reply on ${subject}`);
}

/** Sends a heartbeat as a plain publish: no reply to wait for, the sweep notices silence. */
export function publishHeartbeat(nc: NatsConnection, subject: string, body: unknown, token: string | undefined): void {
  nc.publish(subject, encoder.encode(JSON.stringify(body)), { headers: tokenHeaders(token) });
}
