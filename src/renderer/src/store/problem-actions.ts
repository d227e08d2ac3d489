/**
 * The store's problem actions: `problems.changed` carries the whole (bounded) list, so
 * the newest one waiting for the frame is all the store needs; it lands with the rest of
 * the live data in the one update per frame (actions.ts `flushLive`). Dismissing and
 * opening the centre are the person's own actions and land at once.
 */
import type { SwitchyardApi } from '../../../shared/contract.js';
import type { Problem } from '../../../shared/problems.js';
import { useAppStore } from './app-store.js';
import { notifyProblems } from './web-notifications.js';

/** The newest list between two frames; older ones are simply replaced. */
class ProblemBuffer {
  private latest: readonly Problem[] | null = null;

  push(problems: readonly Problem[]): void {
    this.latest = problems;
  }

  get isEmpty(): boolean {
    return this.latest === null;
  }

  take(): readonly Problem[] | null {
    const latest = this.latest;
    this.latest = null;
    return latest;
  }
}

export const problemBuffer = new ProblemBuffer();

/** Subscribes to `problems.changed`; a serious problem just raised may notify at once. */
export function subscribeProblems(api: SwitchyardApi, request: () => void): (() => void)[] {
  return [
    api.onProblemsChanged((change) => {
      problemBuffer.push(change.problems);
      notifyProblems(change, () => openProblems(true));
      request();
    }),
  ];
}

/** The list after a (re)connect; a core that refuses leaves the bell empty and the app working. */
export function loadProblems(api: SwitchyardApi, request: () => void): void {
  api.problems.list().then(
    (problems) => {
      problemBuffer.push(problems);
      request();
    },
    (error: unknown) => console.warn('switchyard: problems.list failed:', error),
  );
}

export function openProblems(open: boolean): void {
  useAppStore.setState({ problemsOpen: open });
}

/** Dismisses problems; they leave the list at once (the core's event follows and agrees). */
export async function dismissProblems(api: SwitchyardApi, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const gone = new Set(ids);
  await api.problems.dismiss({ ids: [...ids] });
  useAppStore.setState((state) => ({ problems: state.problems.filter((problem) => !gone.has(problem.id)) }));
}
