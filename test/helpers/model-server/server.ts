/**
 * A scripted model server on 127.0.0.1 for the real coding-agent CLIs: it speaks the
 * Anthropic Messages streaming API (Claude Code) and the OpenAI Responses streaming API
 * (Codex) and replays scripted turns, tool calls included, so a real CLI really edits
 * files. Each request takes the next turn of the script; every request is recorded, so a
 * test can check what the CLI sent (the earlier turns of a resumed session, say).
 *
 * The wire formats live beside it: anthropic-messages.ts and openai-responses.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  /** The tool as the CLI names it (`Write`, `Bash` for Claude Code; `exec_command` for Codex). */
  name: string;
  input: Record<string, unknown>;
  id?: string;
}

/** One model answer: text, tool calls, or both (text first). */
export interface ScriptedReply {
  text?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: { inputTokens: number; outputTokens: number };
  /** Split the text into this many deltas (default: one per word). */
  chunks?: number;
  /** Wait this long between deltas. */
  deltaDelayMs?: number;
}

/** An HTTP error instead of an answer. */
export interface ScriptedFailure {
  status: 401 | 429 | 500 | 529;
  message: string;
}

/** Holds the response open until the client goes away (for cancel tests). */
export interface ScriptedHang {
  hang: true;
}

export type ScriptedTurn = ScriptedReply | ScriptedFailure | ScriptedHang;

export type ModelApi = 'anthropic' | 'openai';

export interface RecordedRequest {
  api: ModelApi;
  path: string;
  body: unknown;
  at: number;
  /** No scripted turn was left: it got the default reply. */
  unscripted: boolean;
}

/** A protocol: writes one scripted turn as that API's streaming (or error) response. */
export type TurnWriter = (turn: ScriptedTurn, request: { body: unknown; res: ServerResponse; onDelta: (text: string) => void }) => Promise<void>;

export interface ModelServerOptions {
  /** The wire formats by path, e.g. `{ '/v1/messages': anthropic, '/v1/responses': openai }`. */
  writers: Record<string, { api: ModelApi; write: TurnWriter }>;
  /** What a request gets when the script is used up (default: a short text). */
  whenUsedUp?: ScriptedTurn;
}

export class ScriptedModelServer {
  readonly requests: RecordedRequest[] = [];
  private readonly turns: ScriptedTurn[] = [];
  private readonly requestListeners = new Set<(request: RecordedRequest) => void>();
  private readonly deltaListeners = new Set<(text: string, at: number) => void>();

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
  ) {}

  static async start(options: ModelServerOptions): Promise<ScriptedModelServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new ScriptedModelServer(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void self.handle(req, res, options));
    return self;
  }

  /** Appends turns to the script. */
  script(...turns: ScriptedTurn[]): void {
    this.turns.push(...turns);
  }

  /** Turns not yet taken. */
  get pending(): number {
    return this.turns.length;
  }

  onRequest(listener: (request: RecordedRequest) => void): () => void {
    this.requestListeners.add(listener);
    return () => this.requestListeners.delete(listener);
  }

  /** Called as each text delta is written: the stream-latency benchmark's start mark. */
  onDelta(listener: (text: string, at: number) => void): () => void {
    this.deltaListeners.add(listener);
    return () => this.deltaListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse, options: ModelServerOptions): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const writer = req.method === 'POST' ? options.writers[path] : undefined;
    const raw = await readBody(req);
    if (!writer) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `not scripted: ${req.method} ${path}` } }));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const next = this.turns.shift();
    const turn = next ?? options.whenUsedUp ?? { text: 'ok' };
    const record: RecordedRequest = { api: writer.api, path, body, at: Date.now(), unscripted: next === undefined };
    this.requests.push(record);
    for (const listener of this.requestListeners) listener(record);
    const onDelta = (text: string): void => {
      const at = performance.now();
      for (const listener of this.deltaListeners) listener(text, at);
    };
    try {
      await writer.write(turn, { body, res, onDelta });
    } catch {
      res.destroy();
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function isFailure(turn: ScriptedTurn): turn is ScriptedFailure {
  return 'status' in turn;
}

export function isHang(turn: ScriptedTurn): turn is ScriptedHang {
  return 'hang' in turn;
}
