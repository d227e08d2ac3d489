/**
 * The notification centre's pure logic: what the bell counts and how a problem's age
 * and repeats read in a line.
 */
import type { Problem } from '../../../shared/problems.js';

/** The bell's number: problems that still hold (resolved ones stay listed, greyed, until dismissed). */
export function standingCount(problems: readonly Problem[]): number {
  let n = 0;
  for (const problem of problems) if (problem.resolvedAt === null) n += 1;
  return n;
}

/** The bell's tone: the worst standing problem's severity, or none. */
export function bellTone(problems: readonly Problem[]): 'error' | 'warning' | 'quiet' {
  let tone: 'error' | 'warning' | 'quiet' = 'quiet';
  for (const problem of problems) {
    if (problem.resolvedAt !== null) continue;
    if (problem.severity === 'error') return 'error';
    tone = 'warning';
  }
  return tone;
}

/** "just now", "45 s ago", "12 min ago", "3 h ago", "2 d ago". */
export function ago(at: number, now: number): string {
  const seconds = Math.floor((now - at) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** What the line under a problem's title says about when: its age, repeats and resolution. */
export function whenLine(problem: Problem, now: number): string {
  const parts = [ago(problem.at, now)];
  if (problem.count > 1) parts.push(`${problem.count}× since ${ago(problem.firstAt, now)}`);
  if (problem.resolvedAt !== null) parts.push(`resolved ${ago(problem.resolvedAt, now)}`);
  return parts.join(' · ');
}
