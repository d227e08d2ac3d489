/**
 * Line framing and parsing for the agent protocol.
 *
 * Agents write to a pipe, so a line can arrive in pieces or many lines in one chunk;
 * the splitter reassembles them and refuses overlong lines without buffering them, so
 * a runaway agent cannot grow the app's memory.
 */
import { StringDecoder } from 'node:string_decoder';
import type { AgentLine, ProtocolErrorCode } from '../../shared/agent-protocol.js';
import { AgentLine as AgentLineSchema, MAX_LINE_BYTES } from '../../shared/agent-protocol.js';
import { ValidationError } from '../../shared/errors.js';
import { parseJsonText } from '../../shared/json-limits.js';

/** A complete line, or notice that one was dropped for its length. */
export type SplitResult = { kind: 'line'; text: string } | { kind: 'too-long'; bytes: number };

/**
 * Turns a byte stream into lines split on `\n` (a trailing `\r` is dropped).
 *
 * Lines longer than `maxBytes` are discarded up to their newline and reported once.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private discarding = false;
  private discarded = 0;

  constructor(private readonly maxBytes: number = MAX_LINE_BYTES) {}

  push(chunk: Buffer | string): SplitResult[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: SplitResult[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.take(text.slice(start, nl), true, out);
      start = nl + 1;
    }
    this.take(text.slice(start), false, out);
    return out;
  }

  /** Whatever was left without a newline when the stream ended. */
  end(): SplitResult[] {
    const out: SplitResult[] = [];
    this.take(this.decoder.end(), true, out);
    return out;
  }

  private take(piece: string, complete: boolean, out: SplitResult[]): void {
    if (this.discarding) {
      this.discarded += Buffer.byteLength(piece);
      if (complete) {
        out.push({ kind: 'too-long', bytes: this.discarded });
        this.discarding = false;
        this.discarded = 0;
      }
      return;
    }
    this.buffer += piece;
    // Length is checked in UTF-16 units first (cheap), bytes only near the limit.
    if (this.buffer.length > this.maxBytes / 4 && Buffer.byteLength(this.buffer) > this.maxBytes) {
      this.discarded = Buffer.byteLength(this.buffer);
      this.buffer = '';
      if (complete) out.push({ kind: 'too-long', bytes: this.discarded });
      else this.discarding = true;
      return;
    }
    if (!complete) return;
    const line = this.buffer.endsWith('\r') ? this.buffer.slice(0, -1) : this.buffer;
    this.buffer = '';
    if (line.trim() !== '') out.push({ kind: 'line', text: line });
  }
}

/** A parsed agent line, or why it was refused. */
export type ParsedLine =
  | { ok: true; line: AgentLine }
  | { ok: false; code: ProtocolErrorCode; message: string; ref?: string };

/**
 * Parses one line of agent output against the protocol schemas.
 *
 * Size and nesting are checked before the schema (json-limits.ts): the schema recurses,
 * and a deeply nested line would otherwise overflow the stack of the pipe or socket handler.
 */
export function parseAgentLine(text: string): ParsedLine {
  let data: unknown;
  try {
    data = parseJsonText(text, { maxBytes: MAX_LINE_BYTES }, 'line');
  } catch (error) {
    const why = error instanceof ValidationError ? (error.issues[0]?.message ?? error.message) : String(error);
    return { ok: false, code: 'bad-json', message: `${why}: ${excerpt(text)}` };
  }
  const result = AgentLineSchema.safeParse(data);
  if (result.success) return { ok: true, line: result.data };
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  const ref = refOf(data);
  return { ok: false, code: 'bad-line', message: `invalid line (${issues}): ${excerpt(text)}`, ...(ref ? { ref } : {}) };
}

function refOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const id = (data as { id?: unknown }).id;
  return typeof id === 'string' && id.length <= 128 ? id : undefined;
}

/** The first 200 characters of a line, for logs and error replies. */
export function excerpt(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
