/**
 * What each fuzz run reports: one summary line on stdout and a JSON file in
 * `.tmp/security-report/` (git-ignored), from which docs/security.md takes its figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FuzzSummary {
  surface: string;
  /** Inputs the host was given. */
  inputs: number;
  /** Inputs answered with a typed error (an error frame/line/envelope with a known name or code). */
  rejectedTyped: number;
  /** Inputs answered with an HTTP 4xx (including refused upgrades). */
  http4xx: number;
  /** The host answered a valid request after the run. */
  hostAlive: boolean;
}

/** Counts for one run; `report` writes them. */
export class FuzzTally {
  inputs = 0;
  rejectedTyped = 0;
  http4xx = 0;

  constructor(readonly surface: string) {}

  /** Prints the summary line and writes the JSON file; `detail` goes to the file only. */
  report(hostAlive: boolean, detail: Record<string, unknown> = {}): FuzzSummary {
    const summary: FuzzSummary = { surface: this.surface, inputs: this.inputs, rejectedTyped: this.rejectedTyped, http4xx: this.http4xx, hostAlive };
    const dir = join(process.cwd(), '.tmp', 'security-report');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `fuzz-${this.surface}.json`), `${JSON.stringify({ ...summary, ...detail }, null, 2)}\n`);
    console.log(`fuzz ${this.surface}: ${summary.inputs} inputs, ${summary.rejectedTyped} typed rejections, ${summary.http4xx} HTTP 4xx, host alive: ${hostAlive}`);
    return summary;
  }
}

/** fast-check settings for one surface: at least `numRuns` inputs, cut short by `interruptAfterTimeLimit`. */
export function fuzzRuns(numRuns = 1_000, seconds = 40): { numRuns: number; interruptAfterTimeLimit: number; markInterruptAsFailure: boolean } {
  return { numRuns, interruptAfterTimeLimit: seconds * 1_000, markInterruptAsFailure: true };
}
