/**
 * Set or delete a blackboard key (`context.set`, as the person): key, value (JSON when
 * it parses, otherwise text), an optional time to live. A refused write
 * (ContextWriteDenied) says so plainly, with the write rules.
 */
import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ContextEntry } from '../../../shared/blackboard.js';
import { ContextKey } from '../../../shared/blackboard.js';
import { parseBodyInput } from '../agents/send-panel.js';
import { CallError } from '../common/call-error.js';
import type { CallState } from '../common/use-call.js';
import { useCall } from '../common/use-call.js';
import { useAppStore } from '../store/app-store.js';
import { coreApi } from '../store/actions.js';
import { recordContextEntry } from '../store/work-actions.js';

/** The write rules (src/shared/blackboard.ts), as the person reads them after a refusal. */
const WRITE_RULES =
  'repo/… is written by the team’s agents and admins; user/<you>/… by you and your agents; agent/<name>/… by that agent and its owner; task/<id>/… by the task’s requester and assignee; shared/… by anyone in the repo.';

export function ContextForm(props: { initialKey: string; onClose: () => void }): ReactNode {
  const repo = useAppStore((state) => state.repoChoice);
  const [key, setKey] = useState(props.initialKey);
  const [value, setValue] = useState('');
  const [ttl, setTtl] = useState('');
  const [written, write] = useCall(async (deleting: boolean) => {
    const seconds = Number(ttl);
    const entry = await coreApi().context.set({
      key: key.trim(),
      value: deleting ? null : (parseBodyInput(value) as never),
      ...(!deleting && ttl.trim() !== '' ? { ttlMs: Math.round(seconds * 1000) } : {}),
      ...(repo ? { repo } : {}),
    });
    recordContextEntry(entry);
    return { entry, deleting };
  });
  const ids = { key: useId(), value: useId(), ttl: useId() };
  const keyProblem = keyProblemOf(key.trim());
  const ttlValid = ttl.trim() === '' || (Number.isFinite(Number(ttl)) && Number(ttl) >= 0.1);
  const ready = key.trim() !== '' && keyProblem === null && written.phase !== 'running';
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void write(false);
  };
  return (
    <section className="panel action-panel" aria-labelledby={`${ids.key}-heading`} data-testid="context-form">
      <header className="action-panel__header">
        <h2 id={`${ids.key}-heading`}>Set a key{repo ? ` in ${repo}` : ''}</h2>
        <button type="button" className="button button--ghost button--small" aria-label="Close" onClick={props.onClose}>
          ✕
        </button>
      </header>
      <form className="stack-form" onSubmit={submit}>
        <div className="inline-form">
          <label htmlFor={ids.key}>Key</label>
          <input
            id={ids.key}
            className="input mono"
            value={key}
            placeholder="shared/notes"
            aria-invalid={keyProblem !== null}
            aria-describedby={keyProblem ? `${ids.key}-problem` : undefined}
            onChange={(e) => setKey(e.target.value)}
            data-testid="context-key"
          />
          <label htmlFor={ids.ttl}>Expires after (s)</label>
          <input id={ids.ttl} className="input mono" type="number" min="0.1" step="any" value={ttl} aria-invalid={!ttlValid} onChange={(e) => setTtl(e.target.value)} data-testid="context-ttl" />
        </div>
        {keyProblem ? (
          <p id={`${ids.key}-problem`} className="text-error small">
            {keyProblem}
          </p>
        ) : null}
        <label htmlFor={ids.value}>
          Value <span className="muted small">— JSON if it parses, otherwise text</span>
        </label>
        <textarea id={ids.value} className="input textarea mono" rows={3} value={value} onChange={(e) => setValue(e.target.value)} data-testid="context-value" />
        <div className="form-actions form-actions--tight">
          <button type="submit" className="button button--primary" disabled={!ready || !ttlValid} data-testid="context-set">
            Set
          </button>
          <button type="button" className="button button--danger" disabled={!ready} data-testid="context-delete" onClick={() => void write(true)}>
            Delete key
          </button>
        </div>
      </form>
      <WriteOutcome written={written} />
    </section>
  );
}

/** What the last write did, or why it was refused. */
function WriteOutcome(props: { written: CallState<{ entry: ContextEntry; deleting: boolean }> }): ReactNode {
  const { written } = props;
  if (written.phase === 'failed') {
    return (
      <>
        <CallError error={written.error} testId="context-write-error" />
        {written.error.name === 'ContextWriteDenied' ? (
          <p className="muted small" data-testid="context-write-rules">
            You may not write this key. {WRITE_RULES}
          </p>
        ) : null}
      </>
    );
  }
  if (written.phase !== 'done') return null;
  return (
    <p className="result-line" role="status" data-testid="context-written">
      {written.value.deleting ? 'Deleted' : 'Set'} <span className="mono">{written.value.entry.key}</span> (revision {written.value.entry.revision}).
    </p>
  );
}

/** Why a typed key is no key, or null (an empty field says nothing yet). */
function keyProblemOf(key: string): string | null {
  if (key === '') return null;
  return ContextKey.safeParse(key).error?.issues[0]?.message ?? null;
}
