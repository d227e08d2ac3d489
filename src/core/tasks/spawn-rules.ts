/**
 * Spawn rules, evaluated (docs/tasks.md, Spawn rules): pure, so "fires exactly when its
 * condition holds" is tested on numbers alone.
 *
 * A rule for type T fires when more than `whenQueuedAbove` tasks wait for `type:T`, fewer
 * than `max` agents of T run, and its cooldown has passed since it last fired. It spawns
 * one agent per evaluation; the next evaluation (the spawn changes the registry) decides
 * again.
 */
import { SpawnLimitError } from '../../shared/errors.js';
import type { SpawnRule } from '../../shared/work-model.js';

export interface SpawnCounts {
  /** Tasks queued for `type:<type>` (init, nobody assigned). */
  queued(type: string): number;
  /** Agents of the type running (or being started) under this controller's eye. */
  running(type: string): number;
}

/** The rules that fire now, at most one per type (the first rule of a type wins). */
export function rulesToFire(rules: readonly SpawnRule[], counts: SpawnCounts, lastFiredAt: ReadonlyMap<string, number>, now: number): SpawnRule[] {
  const seen = new Set<string>();
  const firing: SpawnRule[] = [];
  for (const rule of rules) {
    if (seen.has(rule.type)) continue;
    seen.add(rule.type);
    const last = lastFiredAt.get(rule.type);
    if (last !== undefined && now - last < rule.cooldownMs) continue;
    if (counts.queued(rule.type) > rule.whenQueuedAbove && counts.running(rule.type) < rule.max) firing.push(rule);
  }
  return firing;
}

/** How long until a rule whose condition holds leaves its cooldown (the soonest), or undefined when none waits. */
export function cooldownLeft(rules: readonly SpawnRule[], counts: SpawnCounts, lastFiredAt: ReadonlyMap<string, number>, now: number): number | undefined {
  let soonest: number | undefined;
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.type)) continue;
    seen.add(rule.type);
    const last = lastFiredAt.get(rule.type);
    if (last === undefined || now - last >= rule.cooldownMs) continue;
    if (counts.queued(rule.type) <= rule.whenQueuedAbove || counts.running(rule.type) >= rule.max) continue;
    const left = last + rule.cooldownMs - now;
    soonest = soonest === undefined ? left : Math.min(soonest, left);
  }
  return soonest;
}

/** The rule that governs a type, if any. */
export function ruleFor(rules: readonly SpawnRule[], type: string): SpawnRule | undefined {
  return rules.find((rule) => rule.type === type);
}

/** Throws SpawnLimitError when starting one more agent of `type` would pass its rule's max. */
export function assertBelowMax(rules: readonly SpawnRule[], type: string, running: number): void {
  const rule = ruleFor(rules, type);
  if (rule !== undefined && running >= rule.max) throw new SpawnLimitError(type, rule.max);
}
