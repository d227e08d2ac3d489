/**
 * Publishing a routed message to its destination's inbox on JetStream.
 *
 * `Nats-Msg-Id` is the message id, so a retry (an outbox flush after a lost ack) is
 * dropped by the stream's duplicate window; the receiver's ledger catches the rest.
 */
import type { JetStreamClient, NatsConnection, PubAck } from 'nats.ws';
import { headers as natsHeaders } from 'nats.ws';
import type { RoutedMessage } from '../../shared/domain.js';
import { MessageTooLarge } from '../../shared/errors.js';
import { headers, subjects } from '../../shared/nats-subjects.js';

const clients = new WeakMap<NatsConnection, JetStreamClient>();
const encoder = new TextEncoder();

/** Room left for the subject and headers inside the server's max_payload. */
const ENVELOPE_SLACK = 1024;

export function jetstreamOf(conn: NatsConnection): JetStreamClient {
  let js = clients.get(conn);
  if (!js) {
    js = conn.jetstream();
    clients.set(conn, js);
  }
  return js;
}

/**
 * Publishes and waits for the stream's ack.
 *
 * `sender` is the sender token of the subject (`sy.<repo>.inbox.<sender>.<to>`): the
 * publishing NATS user, which the server's permissions enforce, so the receiver can check
 * that it owns `message.from` (inbound-handler.ts).
 *
 * @throws MessageTooLarge when the encoded message cannot fit the server's max_payload:
 * a permanent failure, unlike a timeout, which the outbox retries.
 */
export async function publishToInbox(
  conn: NatsConnection,
  message: RoutedMessage,
  traceparent: string,
  timeoutMs: number,
  sender: string,
): Promise<PubAck> {
  const data = encoder.encode(JSON.stringify(message));
  const max = conn.info?.max_payload;
  if (max !== undefined && data.byteLength + ENVELOPE_SLACK > max) {
    throw new MessageTooLarge(data.byteLength, max - ENVELOPE_SLACK);
  }
  const h = natsHeaders();
  h.set(headers.traceparent, traceparent);
  h.set(headers.route, JSON.stringify(message.route));
  return jetstreamOf(conn).publish(subjects.inbox(message.repo, sender, message.to), data, {
    msgID: message.id,
    headers: h,
    timeout: timeoutMs,
  });
}
