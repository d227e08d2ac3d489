/**
 * One change at a time per repository, within this process.
 *
 * Git takes a file lock for each change to a repository's config, refs and worktree list
 * and fails (rather than waits) when another git process holds it: two tasks of one
 * agent starting together could fail at random on `config.lock` (a narrow window: not
 * reproduced in tests, but nothing here is worth a random failure).
 */
const tails = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier change to the repository at `commonDir` has finished. */
export function withRepoLock<T>(commonDir: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(commonDir) ?? Promise.resolve();
  const run = previous.then(work, work);
  const tail = run.catch(() => undefined);
  tails.set(commonDir, tail);
  void tail.then(() => {
    if (tails.get(commonDir) === tail) tails.delete(commonDir);
  });
  return run;
}
