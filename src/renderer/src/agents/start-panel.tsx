/**
 * Start an agent from one of the manifests the core knows. It says where the type will
 * run (the hybrid config decides: here, or a spawn at the team) and, for a local type,
 * offers to start it with the app. A coding agent (a manifest whose config names an
 * `engine`) also needs its workspace, checked by the core before the start, and how its
 * tasks are isolated.
 */
import { useEffect, useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ManifestView } from '../../../shared/agent-protocol.js';
import type { Isolation } from '../../../shared/coding.js';
import type { AgentInfo } from '../../../shared/domain.js';
import type { StartPlacement } from '../../../shared/start-placement.js';
import { CallError } from '../common/call-error.js';
import type { CallState } from '../common/use-call.js';
import { useCall } from '../common/use-call.js';
import { coreApi } from '../store/actions.js';
import { AutostartToggle } from './autostart-toggle.js';
import { PanelFrame } from './panel-frame.js';
import { StartPlacementLine, useStartPlacement } from './start-placement-line.js';
import type { WorkspaceCheck } from './workspace-field.js';
import { WorkspaceField, checkWorkspace } from './workspace-field.js';

const listManifests = () => coreApi().manifests.list();

/** A coding agent's manifest: its config names the SDK that drives it. */
export function isCodingManifest(view: ManifestView | undefined): boolean {
  return typeof view?.manifest.config.engine === 'string';
}

interface StartRequest {
  type: string;
  name?: string;
  workspace?: string;
  isolation?: Isolation;
}

/** What `agents.start` gets; null when the workspace did not pass the core's check (the field says why). */
async function startRequest(
  chosen: ManifestView,
  name: string,
  coding: { path: string; check: WorkspaceCheck; isolation: Isolation; onCheck: (check: WorkspaceCheck) => void } | null,
): Promise<StartRequest | null> {
  const input: StartRequest = { type: chosen.manifest.type, ...(name.trim() ? { name: name.trim() } : {}) };
  if (!coding) return input;
  const { check, path } = coding;
  const checked = check.state === 'ok' && check.path === path ? check : await checkWorkspace(path);
  coding.onCheck(checked);
  return checked.state === 'ok' ? { ...input, workspace: checked.info.root, isolation: coding.isolation } : null;
}

export function StartPanel(): ReactNode {
  const [manifests, loadManifests] = useCall(listManifests);
  const [started, start] = useCall((input: StartRequest) => coreApi().agents.start(input));
  const [type, setType] = useState('');
  const [name, setName] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [check, setCheck] = useState<WorkspaceCheck>({ state: 'unchecked' });
  const [isolation, setIsolation] = useState<Isolation>('none');
  const ids = { type: useId(), name: useId() };
  useEffect(() => void loadManifests(), [loadManifests]);
  const list = manifests.phase === 'done' ? manifests.value.manifests : [];
  const chosen = list.find((m) => m.manifest.type === type) ?? list[0];
  const placement = useStartPlacement(chosen?.manifest.type);
  // A workspace is a folder on this machine: only an agent started here can have one.
  const coding = isCodingManifest(chosen) && (placement === 'local' || placement === null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!chosen) return;
    const input = await startRequest(chosen, name, coding ? { path: workspace, check, isolation, onCheck: setCheck } : null);
    if (input) await start(input);
  };
  return (
    <PanelFrame title="Start an agent" testId="panel-start">
      {manifests.phase === 'failed' ? <CallError error={manifests.error} /> : null}
      <form className="stack-form" onSubmit={(event) => void submit(event)}>
        <div className="inline-form">
          <label htmlFor={ids.type}>Manifest</label>
          <select id={ids.type} value={chosen?.manifest.type ?? ''} onChange={(e) => setType(e.target.value)} data-testid="start-type">
            {list.map((m) => (
              <option key={m.manifest.type} value={m.manifest.type}>
                {m.manifest.type} {m.source === 'user' ? '(yours)' : ''}
              </option>
            ))}
          </select>
          <label htmlFor={ids.name}>Name</label>
          <input
            id={ids.name}
            className="input mono"
            placeholder={chosen ? `${chosen.manifest.type} (or ${chosen.manifest.type}-2, …)` : ''}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="start-name"
          />
          <button type="submit" className="button button--primary" disabled={!chosen || started.phase === 'running'} data-testid="start-submit">
            {started.phase === 'running' ? 'Starting…' : 'Start'}
          </button>
        </div>
        {coding ? (
          <WorkspaceField path={workspace} onPath={setWorkspace} check={check} onCheck={setCheck} isolation={isolation} onIsolation={setIsolation} />
        ) : null}
      </form>
      <StartAbout chosen={chosen} placement={placement} />
      {manifests.phase === 'done' ? <ManifestProblems problems={manifests.value.problems} /> : null}
      <StartResult started={started} />
    </PanelFrame>
  );
}

/** Where the chosen type runs, whether it starts with the app, and what it is. */
function StartAbout(props: { chosen: ManifestView | undefined; placement: StartPlacement | null }): ReactNode {
  const { chosen, placement } = props;
  return (
    <>
      <StartPlacementLine placement={placement} />
      {chosen && placement === 'local' ? <AutostartToggle type={chosen.manifest.type} /> : null}
      {chosen?.manifest.description ? <p className="muted small">{chosen.manifest.description}</p> : null}
    </>
  );
}

/** The outcome of the last start: the agent, and where it runs; or the typed error. */
function StartResult(props: { started: CallState<AgentInfo> }): ReactNode {
  const { started } = props;
  if (started.phase === 'failed') return <CallError error={started.error} />;
  if (started.phase !== 'done') return null;
  return (
    <p className="result-line" role="status" data-testid="start-result">
      Started <strong className="mono">{started.value.name}</strong> ({started.value.status}
      {started.value.location === 'remote' ? ', on the team' : ''}).
    </p>
  );
}

/** Manifest files that did not parse, and why. */
function ManifestProblems(props: { problems: { file: string; message: string }[] }): ReactNode {
  if (props.problems.length === 0) return null;
  return (
    <ul className="problems small">
      {props.problems.map((p) => (
        <li key={p.file}>
          <code>{p.file}</code> skipped: {p.message}
        </li>
      ))}
    </ul>
  );
}
