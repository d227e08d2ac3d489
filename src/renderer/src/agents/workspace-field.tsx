/**
 * The workspace of a coding agent in the Start panel: a path field the core validates
 * (`workspaces.validate`, on blur and on submit) with its error at the field, "Choose
 * folder…" where the host offers a picker (Electron), and the isolation choice.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import type { WorkspaceInfo } from '../../../shared/coding-contract.js';
import type { Isolation } from '../../../shared/coding.js';
import { describeCallError } from '../common/use-call.js';
import { coreApi } from '../store/actions.js';
import '../coding/coding.css';

export type WorkspaceCheck =
  | { state: 'unchecked' }
  | { state: 'checking'; path: string }
  | { state: 'ok'; path: string; info: WorkspaceInfo }
  | { state: 'invalid'; path: string; message: string };

/** Asks the core whether `path` is a git repository; the answer names the problem when it is not. */
export async function checkWorkspace(path: string): Promise<WorkspaceCheck> {
  const trimmed = path.trim();
  if (trimmed === '') return { state: 'invalid', path, message: 'Choose the git repository this agent works in.' };
  try {
    return { state: 'ok', path, info: await coreApi().workspaces.validate({ path: trimmed }) };
  } catch (error) {
    const view = describeCallError(error);
    const detail = view.issues.map((issue) => issue.message).join('; ');
    return { state: 'invalid', path, message: detail ? `${view.message}: ${detail}` : view.message };
  }
}

export function WorkspaceField(props: {
  path: string;
  onPath: (path: string) => void;
  check: WorkspaceCheck;
  onCheck: (check: WorkspaceCheck) => void;
  isolation: Isolation;
  onIsolation: (isolation: Isolation) => void;
}): ReactNode {
  const { path, onPath, check, onCheck } = props;
  const ids = { path: useId(), error: useId(), hint: useId(), isolation: useId() };
  const picker = window.switchyardHost?.pickFolder;
  const validate = (value: string): void => {
    if (value.trim() === '') return;
    onCheck({ state: 'checking', path: value });
    void checkWorkspace(value).then(onCheck);
  };
  const invalid = check.state === 'invalid' && check.path === path;
  return (
    <div className="workspace-field" data-testid="workspace-field">
      <div className="inline-form">
        <label htmlFor={ids.path}>Workspace</label>
        <input
          id={ids.path}
          className="input mono workspace-field__path"
          placeholder="/path/to/your/repository"
          value={path}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? ids.error : ids.hint}
          onChange={(e) => onPath(e.target.value)}
          onBlur={(e) => validate(e.target.value)}
          data-testid="start-workspace"
        />
        {picker ? (
          <button
            type="button"
            className="button"
            data-testid="start-pick-folder"
            onClick={() =>
              void picker().then((folder) => {
                if (folder === null) return;
                onPath(folder);
                validate(folder);
              })
            }
          >
            Choose folder…
          </button>
        ) : null}
        <label htmlFor={ids.isolation}>Each task runs</label>
        <select id={ids.isolation} value={props.isolation} onChange={(e) => props.onIsolation(e.target.value as Isolation)} data-testid="start-isolation">
          <option value="none">in the workspace</option>
          <option value="worktree">in its own worktree (branch sy/…)</option>
        </select>
      </div>
      {invalid ? (
        <p className="field__error" id={ids.error} role="alert" data-testid="error-workspace">
          {check.message}
        </p>
      ) : check.state === 'ok' && check.path === path ? (
        <p className="muted small" id={ids.hint} data-testid="workspace-ok">
          ✓ git repository <span className="mono">{check.info.root}</span>
          {check.info.branch ? (
            <>
              {' '}on <span className="mono">{check.info.branch}</span>
            </>
          ) : (
            ' (detached HEAD)'
          )}
        </p>
      ) : (
        <p className="muted small" id={ids.hint}>
          A git repository on this machine. {check.state === 'checking' ? 'Checking…' : ''}
        </p>
      )}
    </div>
  );
}
