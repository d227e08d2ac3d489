/**
 * The clock the Agents view folds ended workers with.
 *
 * It moves only when an ended worker's grace period runs out (model/ended-agents.ts),
 * so the bands re-render once per fold, not once a second.
 */
import { useEffect, useState } from 'react';
import type { AgentInfo } from '../../../shared/domain.js';
import type { EndedSince } from '../model/ended-agents.js';
import { nextFoldAt } from '../model/ended-agents.js';

export function useFoldNow(agents: readonly AgentInfo[], ended: EndedSince): number {
  const [now, setNow] = useState(() => Date.now());
  const next = nextFoldAt(agents, ended, now);
  useEffect(() => {
    if (next === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()));
    return () => clearTimeout(timer);
  }, [next]);
  return now;
}
