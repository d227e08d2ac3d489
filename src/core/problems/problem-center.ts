/**
 * The problem centre: every problem the desktop should say aloud, one entry per
 * condition.
 *
 * A condition that repeats (a refusal on every reconnect, a crash loop after each
 * restart) folds into its entry and bumps the count, so the list says "3×" instead of
 * growing. When the condition clears the entry is marked resolved and stays, greyed,
 * until dismissed or pushed out; if it comes back it is raised again. The list is
 * bounded: resolved and dismissed entries go first.
 */
import type { Problem, ProblemSeverity, ProblemSource, ProblemsChanged } from '../../shared/problems.js';
import type { Clock } from '../clock.js';

/** What a source reports; the centre adds the times and the count. */
export interface ProblemReport {
  id: string;
  severity: ProblemSeverity;
  source: ProblemSource;
  title: string;
  reason: string;
  advice: string;
}

export const MAX_PROBLEMS = 100;

interface Entry {
  problem: Problem;
  dismissed: boolean;
}

export class ProblemCenter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly emit: (change: ProblemsChanged) => void,
    private readonly max = MAX_PROBLEMS,
  ) {}

  /** Raises a problem, or counts one more occurrence of a standing one. */
  raise(report: ProblemReport): void {
    const now = this.clock.now();
    const entry = this.entries.get(report.id);
    if (entry && entry.problem.resolvedAt === null) {
      // A repeat: newest reason and time, one more in the count; no new notification.
      entry.problem = { ...entry.problem, ...report, at: now, count: entry.problem.count + 1 };
      this.entries.delete(report.id);
      this.entries.set(report.id, entry);
      if (!entry.dismissed) this.changed([]);
      return;
    }
    const count = entry ? entry.problem.count + 1 : 1;
    this.entries.delete(report.id);
    this.entries.set(report.id, { problem: { ...report, at: now, firstAt: now, count, resolvedAt: null }, dismissed: false });
    this.trim();
    this.changed([report.id]);
  }

  /** Marks a standing problem resolved: its condition cleared. */
  resolve(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.problem.resolvedAt !== null) return;
    entry.problem = { ...entry.problem, resolvedAt: this.clock.now() };
    if (!entry.dismissed) this.changed([]);
  }

  /** Resolves every standing problem whose id starts with `prefix`. */
  resolveAll(prefix: string): void {
    for (const id of [...this.entries.keys()]) if (id.startsWith(prefix)) this.resolve(id);
  }

  /** True while a problem stands (raised and not resolved), dismissed or not. */
  holds(id: string): boolean {
    const entry = this.entries.get(id);
    return entry !== undefined && entry.problem.resolvedAt === null;
  }

  /** Hides problems from the list until they are raised again after clearing. */
  dismiss(ids: readonly string[]): number {
    let dismissed = 0;
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (!entry || entry.dismissed) continue;
      entry.dismissed = true;
      dismissed += 1;
    }
    if (dismissed > 0) this.changed([]);
    return dismissed;
  }

  /** What the notification centre lists: not dismissed, newest first. */
  list(): Problem[] {
    const out: Problem[] = [];
    for (const entry of this.entries.values()) if (!entry.dismissed) out.push(entry.problem);
    // Map order is least recently raised first: reversed, a tie in time puts the later raise first.
    return out.reverse().sort((a, b) => b.at - a.at);
  }

  private changed(raised: string[]): void {
    this.emit({ problems: this.list(), raised });
  }

  /** Keeps at most `max` entries: dismissed first, then resolved, then the oldest standing ones. */
  private trim(): void {
    const rank = (entry: Entry): number => (entry.dismissed ? 0 : entry.problem.resolvedAt !== null ? 1 : 2);
    while (this.entries.size > this.max) {
      let victim: [string, Entry] | undefined;
      // Map order is least recently raised first, so the first of the lowest rank is the oldest.
      for (const item of this.entries) if (!victim || rank(item[1]) < rank(victim[1])) victim = item;
      if (!victim) return;
      this.entries.delete(victim[0]);
    }
  }
}
