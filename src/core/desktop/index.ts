/**
 * A desktop of several repos: one core per repo behind one contract (desktop.ts), and
 * the rule of which core answers a call (call-scope.ts).
 */
export { createDesktop, otherRepos, REPOS_DIR } from './desktop.js';
export type { Desktop, DesktopOptions } from './desktop.js';
export { MERGED_CALLS, FOUND_CALLS, REPO_BOUND_CALLS } from './call-scope.js';
