import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { HybridConfigView } from '../../../shared/config.js';
import { ContractCallError } from '../../../shared/contract-client.js';
import { useAppStore } from '../store/app-store.js';
import { saveConfig } from '../store/actions.js';
import type { ConfigDraft, ConfigField, FieldErrors } from './config-form.js';
import { draftFromView, fieldErrorsFromCore, hasErrors, isDraftUnchanged, validateDraft } from './config-form.js';
import { ConnectionPanel } from './connection-panel.js';
import { ConnectionTest } from './connection-test.js';
import { CheckboxField, TextField, TypeListField } from './form-fields.js';
import { PlacementPreview } from './placement-preview.js';
import { TokenField } from './token-field.js';
import './settings.css';

/** Settings: the hybrid config, validated before and after saving, and the link state. */
export function SettingsView(): ReactNode {
  const config = useAppStore((state) => state.config);
  return (
    <section className="view view--settings" aria-labelledby="settings-title">
      <div className="view__header">
        <h1 id="settings-title">Settings</h1>
      </div>
      <div className="settings-grid">
        {config ? <ConfigForm config={config} /> : <p className="muted">Loading the configuration…</p>}
        <aside className="settings-side">
          <ConnectionPanel />
        </aside>
      </div>
    </section>
  );
}

type Notice = { kind: 'saved' } | { kind: 'unchanged' } | null;

function ConfigForm(props: { config: HybridConfigView }): ReactNode {
  const { config } = props;
  const saving = useAppStore((state) => state.configSaving);
  const [base, setBase] = useState(config);
  const [draft, setDraft] = useState<ConfigDraft>(() => draftFromView(config));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<Notice>(null);

  // A config that changed elsewhere replaces the draft, unless the user is editing.
  // Adjusted while rendering (React's "storing information from previous renders"), so
  // the form never commits one frame with the old draft against the new config.
  if (config !== base) {
    if (isDraftUnchanged(draft, base)) setDraft(draftFromView(config));
    setBase(config);
  }

  const dirty = !isDraftUnchanged(draft, base);

  const edit = <K extends keyof ConfigDraft>(key: K, value: ConfigDraft[K], field: ConfigField = key as ConfigField): void => {
    setDraft((current) => ({ ...current, [key]: value }));
    setNotice(null);
    // An edited field's old message no longer applies; the rest stay until the next save.
    setErrors((current) => {
      if (current[field] === undefined && current.form === undefined) return current;
      const next = { ...current };
      delete next[field];
      delete next.form;
      return next;
    });
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const { update, errors: found } = validateDraft(draft);
    setErrors(found);
    setNotice(null);
    if (hasErrors(found)) return;
    if (!dirty) {
      setNotice({ kind: 'unchanged' });
      return;
    }
    const outcome = await saveConfig(update);
    if (outcome.ok) {
      setBase(outcome.config);
      setDraft(draftFromView(outcome.config));
      setNotice({ kind: 'saved' });
      return;
    }
    const error = outcome.error;
    if (error instanceof ContractCallError) setErrors(fieldErrorsFromCore(error.issues, update, error.message));
    else setErrors({ form: error instanceof Error ? error.message : String(error) });
  };

  const revert = (): void => {
    setDraft(draftFromView(base));
    setErrors({});
    setNotice(null);
  };

  return (
    <form
      className="panel settings-form"
      data-testid="settings-form"
      aria-labelledby="hybrid-title"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <header className="panel__header">
        <h2 id="hybrid-title">Hybrid mode</h2>
        <p className="muted">
          Off: every agent runs on this laptop and no server is needed. On: team agents run remotely and this desktop
          mirrors them through the coordination service.
        </p>
      </header>

      <CheckboxField
        field="enabled"
        label="Enable hybrid mode"
        checked={draft.enabled}
        error={errors.enabled}
        onChange={(value) => edit('enabled', value)}
      />

      <TextField
        field="coordinationUrl"
        label="Coordination URL"
        placeholder="wss://nats.example.com:443"
        hint="The team's NATS server, reached over WebSocket. Required when hybrid mode is on."
        value={draft.coordinationUrl}
        error={errors.coordinationUrl}
        onChange={(value) => edit('coordinationUrl', value)}
      />

      <TextField
        field="servers"
        label="Other servers of the cluster"
        placeholder="wss://nats2.example.com wss://nats3.example.com"
        hint="Optional: more nodes of the same NATS cluster, separated by spaces. The link moves to one of them when its server goes away."
        value={draft.servers}
        error={errors.servers}
        onChange={(value) => edit('servers', value)}
      />

      <CheckboxField
        field="allowInsecureTransport"
        label="Allow unencrypted ws:// to other machines"
        hint={
          <>
            Off: a <code>ws://</code> URL works only for this machine (localhost); use <code>wss://</code> for a server
            elsewhere. On: the token and every message cross the network in clear — only for a network you trust.
          </>
        }
        checked={draft.allowInsecureTransport}
        error={errors.allowInsecureTransport}
        onChange={(value) => edit('allowInsecureTransport', value)}
      />

      <TextField
        field="repo"
        label="Repository"
        placeholder="my-repo"
        hint="The repository this desktop works in: its agents' repo and its scope on the server."
        value={draft.repo}
        error={errors.repo}
        onChange={(value) => edit('repo', value)}
      />

      <TypeListField
        field="localAgentTypes"
        label="Local agent types"
        placeholder="workspace"
        value={draft.localAgentTypes}
        error={errors.localAgentTypes}
        onChange={(value) => edit('localAgentTypes', value)}
      />
      <TypeListField
        field="remoteAgentTypes"
        label="Remote agent types"
        placeholder="supervisor, merge-queue, worker"
        value={draft.remoteAgentTypes}
        error={errors.remoteAgentTypes}
        onChange={(value) => edit('remoteAgentTypes', value)}
      />
      <p className="field__hint field__hint--block">
        Comma-separated. With hybrid on and both lists empty, the defaults apply: local <code>workspace</code>; remote{' '}
        <code>supervisor</code>, <code>merge-queue</code>, <code>worker</code>. A type in neither list runs where its
        ownership points.
      </p>

      <CheckboxField
        field="fallbackToLocal"
        label="Fall back to a local agent when the remote one is unreachable"
        checked={draft.fallbackToLocal}
        error={errors.fallbackToLocal}
        onChange={(value) => edit('fallbackToLocal', value)}
      />

      <TokenField
        tokenSet={base.apiTokenSet}
        fromEnvironment={base.apiTokenFromEnvironment}
        token={draft.token}
        error={errors.apiToken}
        onChange={(token) => edit('token', token, 'apiToken')}
      />

      <ConnectionTest draft={draft} />

      <PlacementPreview draft={draft} />

      {errors.form ? (
        <p className="form-error" role="alert" data-testid="settings-form-error">
          {errors.form}
        </p>
      ) : null}

      <footer className="form-actions">
        <button type="submit" className="button button--primary" disabled={saving} data-testid="settings-save">
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" disabled={!dirty || saving} onClick={revert} data-testid="settings-revert">
          Revert
        </button>
        <span className="form-actions__status" role="status" data-testid="settings-status">
          {hasErrors(errors)
            ? 'Not saved: fix the fields marked above.'
            : notice?.kind === 'saved'
              ? 'Saved.'
              : notice?.kind === 'unchanged'
                ? 'Nothing to save.'
                : dirty
                  ? 'Unsaved changes.'
                  : ''}
        </span>
      </footer>
    </form>
  );
}
