/**
 * The coordinator's log: one JSON object per line on stderr.
 *
 * Fields are copied through `redact`, so a token that slipped into a field by mistake
 * is replaced before it is written (docs/security.md: the token never reaches a log line).
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEYS = /token|pass|secret|authorization/i;

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = SECRET_KEYS.test(key) ? '[redacted]' : value;
  return out;
}

export function jsonLogger(name: string, write: (line: string) => void = (line) => process.stderr.write(line + '\n')): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) =>
    write(JSON.stringify({ at: new Date().toISOString(), level, component: name, message, ...redact(fields) }));
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

/** A logger that keeps lines in memory: tests assert on what was logged (and what was not). */
export function memoryLogger(lines: string[] = []): Logger & { lines: string[] } {
  return { ...jsonLogger('test', (line) => lines.push(line)), lines };
}
