/**
 * Send a message from one agent to another, to one instance of a role (`type:x`,
 * `capability:x`), to every instance of it, or to everyone (`*`); and follow it to its
 * trace(s).
 */
import { useId, useMemo, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { MessageKind } from '../../../shared/domain.js';
import { MessageKind as MessageKindSchema } from '../../../shared/domain.js';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { useAppStore } from '../store/app-store.js';
import { targetKind, targetSuggestions } from '../model/dispatch-targets.js';
import { coreApi } from '../store/actions.js';
import { PanelFrame } from './panel-frame.js';
import { SendResultLine } from './send-result.js';

const KINDS = MessageKindSchema.options;

/** The body as typed: JSON when it parses, otherwise the text itself. */
export function parseBodyInput(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return text;
  }
}

export function SendPanel(props: { to?: string; from?: string }): ReactNode {
  const names = useAppStore(useShallow((state) => targetSuggestions(state.agents.values(), { everyone: true })));
  const [from, setFrom] = useState(props.from ?? 'user');
  const [to, setTo] = useState(props.to ?? '');
  const [kind, setKind] = useState<MessageKind>('text');
  const [body, setBody] = useState('');
  const [everyInstance, setEveryInstance] = useState(false);
  const [sent, send] = useCall((input: { from: string; to: string; kind: MessageKind; body: unknown; fanout?: 'all' }) =>
    coreApi().messages.send({ ...input, body: input.body as never }),
  );
  const ids = { from: useId(), to: useId(), kind: useId(), body: useId(), list: useId(), fanout: useId() };
  const kindOfTarget = targetKind(to.trim());
  const parsed = useMemo(() => parseBodyInput(body), [body]);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const fanout = kindOfTarget === 'role' && everyInstance ? { fanout: 'all' as const } : {};
    void send({ from: from.trim() || 'user', to: to.trim(), kind, body: parsed, ...fanout });
  };
  return (
    <PanelFrame title="Send a message" testId="panel-send">
      <form className="stack-form" onSubmit={submit}>
        <datalist id={ids.list}>
          {names.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <div className="inline-form">
          <label htmlFor={ids.from}>From</label>
          <input id={ids.from} className="input mono" list={ids.list} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="send-from" />
          <label htmlFor={ids.to}>To</label>
          <input
            id={ids.to}
            className="input mono"
            list={ids.list}
            value={to}
            placeholder="name, type:x, capability:x or *"
            onChange={(e) => setTo(e.target.value)}
            data-testid="send-to"
          />
          <label htmlFor={ids.kind}>Kind</label>
          <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as MessageKind)} data-testid="send-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
          <input
            id={ids.fanout}
            type="checkbox"
            checked={kindOfTarget === 'everyone' || (kindOfTarget === 'role' && everyInstance)}
            disabled={kindOfTarget !== 'role'}
            onChange={(e) => setEveryInstance(e.target.checked)}
            data-testid="send-fanout"
          />
          <label htmlFor={ids.fanout} title="A role goes to one healthy instance unless this is checked; * always goes to everyone">
            To every instance
          </label>
        </div>
        <label htmlFor={ids.body}>
          Body <span className="muted small">— JSON if it parses, otherwise sent as text</span>
        </label>
        <textarea
          id={ids.body}
          className="input textarea mono"
          rows={4}
          value={body}
          placeholder='{"task": "run the tests"}'
          onChange={(e) => setBody(e.target.value)}
          data-testid="send-body"
        />
        <div className="form-actions form-actions--tight">
          <span className="muted small">{typeof parsed === 'string' ? 'text' : 'JSON'}</span>
          <button type="submit" className="button button--primary" disabled={to.trim() === '' || sent.phase === 'running'} data-testid="send-submit">
            {sent.phase === 'running' ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
      {sent.phase === 'failed' ? <CallError error={sent.error} /> : null}
      {sent.phase === 'done' ? <SendResultLine result={sent.value} to={to.trim()} /> : null}
    </PanelFrame>
  );
}
