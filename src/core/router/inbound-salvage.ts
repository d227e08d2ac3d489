/**
 * What can honestly be said about an inbox message that failed to parse.
 *
 * A rejected message still deserves a trace a person can find: under the agent it was
 * addressed to, from the sender it claims, with the reason. The subject is where the
 * message really arrived (the server routed it there, and the sender token in it is the
 * NATS user the server authenticated), so repo and destination come from the subject;
 * `from`, `kind`, the trace id and the message id can only come from the payload, and
 * each is taken only when it has the shape its schema demands. Whatever cannot be read
 * stays '?'.
 */
import type { JsMsg } from 'nats.ws';
import type { z } from 'zod';
import { AgentName, MessageId, MessageKind, RepoName, TraceId } from '../../shared/domain.js';
import { NATS_JSON_LIMITS, parseJsonText } from '../../shared/json-limits.js';
import { headers, parseInboxSubject } from '../../shared/nats-subjects.js';
import type { TraceOpen } from '../traces/trace-store.js';
import { newMessageId } from './message-input.js';
import { newTraceId } from './trace-context.js';

/** The fields of a malformed message's trace row, and who published it. */
export interface SalvagedTrace {
  trace: TraceOpen;
  /** The NATS user in the subject's sender token, when the subject is an inbox subject. */
  publisher: string | undefined;
}

const UNKNOWN = '?';

/** The trace row of a message that failed to parse; `localName` maps a wire name to this host's name. */
export function salvageInbound(msg: Pick<JsMsg, 'data' | 'subject' | 'headers'>, now: number, localName: (name: string) => string = (n) => n): SalvagedTrace {
  const raw = readObject(msg.data);
  const inbox = parseInboxSubject(msg.subject);
  const to = inbox && AgentName.safeParse(inbox.agent).success ? localName(inbox.agent) : field(raw, 'to', AgentName);
  const trace: TraceOpen = {
    messageId: field(msg.headers?.get(headers.msgId), undefined, MessageId) ?? field(raw, 'id', MessageId) ?? newMessageId(now),
    traceId: field(raw, 'traceId', TraceId) ?? newTraceId(),
    repo: (inbox ? field(inbox.repo, undefined, RepoName) : undefined) ?? field(raw, 'repo', RepoName) ?? UNKNOWN,
    from: field(raw, 'from', AgentName) ?? UNKNOWN,
    to: to ?? UNKNOWN,
    kind: field(raw, 'kind', MessageKind) ?? UNKNOWN,
  };
  return { trace, publisher: inbox?.sender };
}

/** The payload as a plain object, or undefined when it is not JSON or not an object. */
function readObject(data: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value = parseJsonText(data, NATS_JSON_LIMITS, 'inbound message');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `source[key]` (or `source` itself without a key) when it passes `schema`. */
function field(source: unknown, key: string | undefined, schema: z.ZodType<string>): string | undefined {
  const value = key === undefined ? source : (source as Record<string, unknown> | undefined)?.[key];
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
