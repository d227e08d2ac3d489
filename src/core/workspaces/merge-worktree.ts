/**
 * Merging a task's work into the workspace's current branch.
 *
 * The work is the branch plus whatever its worktree holds uncommitted: that part becomes a
 * commit on no branch first (snapshot.ts), so a refused merge changes nothing anywhere.
 * On a conflict the merge is aborted and the workspace is as it was; the outcome names
 * the conflicting files. Only after a successful merge does the task branch move to
 * the merged work, leaving its worktree clean.
 */
import type { MergeOutcome, WorktreeInfo } from '../../shared/coding-contract.js';
import { git, gitText } from './git-runner.js';
import { workTree } from './diff-worktree.js';
import { withRepoLock } from './repo-lock.js';
import { commitTree } from './snapshot.js';
import type { Workspace } from './validate-workspace.js';

const refused = (message: string, conflicts: string[] = []): MergeOutcome => ({ merged: false, conflicts, message });

/** What stands in the way of a merge into the workspace, said plainly; undefined when nothing does. */
async function obstacle(workspace: Workspace): Promise<string | undefined> {
  if (workspace.branch === null) return 'the workspace has a detached HEAD: check out the branch to merge into, then merge again';
  const status = await git(['status', '--porcelain', '--untracked-files=no'], { cwd: workspace.root });
  const dirty = status.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.slice(3));
  if (dirty.length > 0) {
    const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? ` and ${dirty.length - 5} more` : '');
    return `the workspace has uncommitted changes (${shown}): commit or stash them, then merge again`;
  }
  return undefined;
}

/** The commit holding all of the task's work: its branch head, or a commit of the uncommitted rest on top. */
async function workCommit(worktree: WorktreeInfo): Promise<string> {
  if (!worktree.path || !worktree.dirty) return worktree.head;
  const tree = await workTree(worktree);
  return commitTree(worktree.path, tree, worktree.head, `Uncommitted work of task ${worktree.taskId} (agent ${worktree.agent})`);
}

/** Merges the task into the workspace's branch, or says why not. */
export function mergeWorktree(workspace: Workspace, worktree: WorktreeInfo): Promise<MergeOutcome> {
  return withRepoLock(workspace.commonDir, () => mergeLocked(workspace, worktree));
}

async function mergeLocked(workspace: Workspace, worktree: WorktreeInfo): Promise<MergeOutcome> {
  const blocked = await obstacle(workspace);
  if (blocked) return refused(blocked);
  if (worktree.commits === 0 && !worktree.dirty) return refused(`nothing to merge: ${worktree.branch} holds no change since its base`);
  const cwd = workspace.root;
  const work = await workCommit(worktree);
  const message = `Merge ${worktree.branch} (task ${worktree.taskId} of agent ${worktree.agent})`;
  const result = await git(['merge', '--no-ff', '--no-edit', '-m', message, work], { cwd, okCodes: [1, 2] });
  if (result.code === 0) {
    if (work !== worktree.head) {
      // The branch takes the merged work; its worktree's index follows, the files already match.
      await git(['update-ref', `refs/heads/${worktree.branch}`, work, worktree.head], { cwd });
      await git(['reset', '--quiet'], { cwd: worktree.path });
    }
    const upToDate = /Already up to date/i.test(result.stdout);
    return { merged: true, conflicts: [], message: upToDate ? `${worktree.branch} was already merged into ${workspace.branch}` : `merged ${worktree.branch} into ${workspace.branch}` };
  }
  return undoMerge(workspace, worktree, `${result.stdout}\n${result.stderr}`);
}

/** After a failed merge: the conflicting files, and the workspace put back as it was. */
async function undoMerge(workspace: Workspace, worktree: WorktreeInfo, output: string): Promise<MergeOutcome> {
  const cwd = workspace.root;
  const conflicts = (await gitText(['diff', '--name-only', '--diff-filter=U', '-z'], { cwd })).split('\0').filter((f) => f !== '');
  const merging = (await git(['rev-parse', '--quiet', '--verify', 'MERGE_HEAD'], { cwd, okCodes: [1] })).code === 0;
  if (merging) await git(['merge', '--abort'], { cwd });
  if (conflicts.length > 0) {
    return refused(
      `${worktree.branch} conflicts with ${workspace.branch} in ${conflicts.join(', ')}: nothing was merged. ` +
        'Resolve it in the task (ask the agent to rebase or fix the files), or merge by hand with git.',
      conflicts,
    );
  }
  // git refused before starting (e.g. untracked files of the workspace would be overwritten).
  const reason = output.split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, 6).join(' ');
  return refused(`git refused the merge, nothing was changed: ${reason.slice(0, 600)}`);
}
