/**
 * Records what each attack test saw, for docs/security.md: one JSON file per attack under
 * `.tmp/security-report/` (`{attack, refused, how}`), and a line on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from 'nats.ws';
import { Events } from 'nats.ws';

const REPORT_DIR = fileURLToPath(new URL('../../../.tmp/security-report/', import.meta.url));

export interface AttackOutcome {
  attack: string;
  refused: boolean;
  how: string;
}

export function report(outcome: AttackOutcome): AttackOutcome {
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, `nats-${outcome.attack}.json`), `${JSON.stringify(outcome)}\n`);
  // A `legit-` entry is a flow that must work: allowed is its success.
  const verdict = outcome.refused ? 'refused' : outcome.attack.startsWith('legit-') ? 'allowed' : 'NOT REFUSED';
  console.log(`[security] ${outcome.attack}: ${verdict} — ${outcome.how}`);
  return outcome;
}

/**
 * Runs one forbidden operation and resolves with the server's refusal: the error the
 * operation failed with, or the permissions violation the server reported on the
 * connection (a plain publish has no reply to fail). Resolves undefined when neither
 * came within `timeoutMs` — the operation went through.
 */
export async function refusalOf(nc: NatsConnection, subject: string, operation: () => Promise<unknown>, timeoutMs = 3_000): Promise<string | undefined> {
  let settle!: (value: string | undefined) => void;
  const outcome = new Promise<string | undefined>((resolve) => (settle = resolve));
  const timer = setTimeout(() => settle(undefined), timeoutMs);
  const status = nc.status();
  void (async () => {
    for await (const event of status) {
      // nats.ws reports a violation as the code plus the operation and subject refused.
      const context = (event as { permissionContext?: { operation: string; subject: string } }).permissionContext;
      if (event.type === Events.Error && context?.subject.includes(subject)) {
        settle(`${String(event.data)}: Permissions Violation for ${context.operation} to "${context.subject}"`);
      }
    }
  })();
  operation().then(
    () => undefined,
    (error: unknown) => settle(String(error)),
  );
  const result = await outcome;
  clearTimeout(timer);
  (status as { stop?: () => void }).stop?.();
  return result;
}
