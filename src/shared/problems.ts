/**
 * Problems said aloud: what went wrong on this desktop that the person should know,
 * why, and what to do about it. The core's problem centre (src/core/problems) collects
 * them; the notification centre in the top bar lists them; the serious ones raise an
 * OS notification too (src/shared/problem-notifications.ts).
 */
import { z } from 'zod';

/** `error`: something the person asked for does not happen (OS notification); `warning`: worth a look. */
export const ProblemSeverity = z.enum(['warning', 'error']);
export type ProblemSeverity = z.infer<typeof ProblemSeverity>;

/** Where a problem comes from. */
export const ProblemSource = z.enum([
  /** The team's coordinator refused to register or spawn an agent. */
  'coordinator',
  /** A local agent: a crash loop. */
  'agent',
  /** The link to the team: auth failure, permissions, down for too long. */
  'link',
  /** Messages waiting to leave. */
  'outbox',
  /** Routing: a message or task that could not be handled. */
  'router',
]);
export type ProblemSource = z.infer<typeof ProblemSource>;

/** A problem's id: the condition it stands for (`agent.crash-loop:<repo>/<name>`), so repeats fold into one. */
export const ProblemId = z.string().min(1).max(400);

export const Problem = z.object({
  id: ProblemId,
  severity: ProblemSeverity,
  source: ProblemSource,
  /** One line: what happened. */
  title: z.string(),
  /** Why, in the words of whoever refused or failed (the latest occurrence's). */
  reason: z.string(),
  /** What to do about it. */
  advice: z.string(),
  /** The latest occurrence, epoch ms. */
  at: z.number().int().nonnegative(),
  /** The first occurrence since the problem was last resolved, epoch ms. */
  firstAt: z.number().int().nonnegative(),
  /** How many times it happened (repeats fold into one problem). */
  count: z.number().int().positive(),
  /** When the condition cleared (link back up, agent running again); null while it holds. */
  resolvedAt: z.number().int().nonnegative().nullable(),
});
export type Problem = z.infer<typeof Problem>;

/** `problems.dismiss`: hides problems until they happen again after clearing. */
export const DismissProblemsInput = z.object({ ids: z.array(ProblemId).min(1).max(200) }).strict();
export type DismissProblemsInput = z.infer<typeof DismissProblemsInput>;

export const DismissProblemsResult = z.object({ dismissed: z.number().int().nonnegative() });

/**
 * `problems.changed`: the whole list as `problems.list` returns it (bounded, small), and
 * the ids that were just raised, new or again after clearing (what OS notifications
 * are for; a repeat of a standing problem only bumps its count).
 */
export const ProblemsChanged = z.object({
  problems: z.array(Problem),
  raised: z.array(ProblemId),
});
export type ProblemsChanged = z.infer<typeof ProblemsChanged>;

/** The problems the person has not dismissed and that still hold: the bell's count. */
export function activeCount(problems: readonly Problem[]): number {
  return problems.filter((problem) => problem.resolvedAt === null).length;
}
