/**
 * The API token field: write-only (set, replace or clear; never shown), with a notice
 * when `SWITCHYARD_API_TOKEN` overrides whatever is saved here.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import { API_TOKEN_ENV } from '../../../shared/config.js';
import type { ConfigDraft } from './config-form.js';
import { Field } from './field.js';
import './settings.css';

export function TokenField(props: {
  tokenSet: boolean;
  /** `SWITCHYARD_API_TOKEN` is set and overrides whatever is saved here. */
  fromEnvironment: boolean;
  token: ConfigDraft['token'];
  error: string | undefined;
  onChange(token: ConfigDraft['token']): void;
}): ReactNode {
  const statusId = useId();
  const noticeId = useId();
  const { token } = props;
  const clearing = token.action === 'clear';
  const badge = (
    <span
      id={statusId}
      className={`badge ${props.fromEnvironment ? 'badge--warn' : props.tokenSet ? 'badge--ok' : 'badge--muted'}`}
      data-testid="token-status"
      data-token-set={props.tokenSet}
    >
      {props.fromEnvironment ? 'from environment' : props.tokenSet ? 'set' : 'not set'}
    </span>
  );
  const notice = props.fromEnvironment ? (
    <p className="field__notice" id={noticeId} role="status" data-testid="token-env-override">
      <strong>
        <code>{API_TOKEN_ENV}</code> is set and overrides the saved token.
      </strong>{' '}
      The core uses the variable&apos;s token; a token saved or cleared here is stored but not used until the variable
      is unset and the app restarted.
    </p>
  ) : null;
  const hint = `Write-only: it is stored in the OS keychain (or a private file when headless) and never shown again.${clearing ? ' It will be removed when you save.' : ''}`;
  return (
    <Field field="apiToken" label="API token" labelAside={badge} hint={hint} after={notice} error={props.error}>
      {({ ids, invalid }) => (
        <div className="field__row">
          <input
            id={ids.input}
            type="password"
            className="input mono"
            autoComplete="new-password"
            spellCheck={false}
            placeholder={clearing ? 'will be cleared on save' : props.tokenSet ? 'enter a new token to replace it' : 'paste the token'}
            disabled={clearing}
            value={token.action === 'replace' ? token.value : ''}
            aria-invalid={invalid}
            // The status badge first, then the hint, the override notice and the error.
            aria-describedby={[statusId, ids.hint, props.fromEnvironment ? noticeId : null, props.error ? ids.error : null].filter(Boolean).join(' ')}
            data-testid="field-apiToken"
            onChange={(event) =>
              props.onChange(event.target.value === '' ? { action: 'keep' } : { action: 'replace', value: event.target.value })
            }
          />
          {clearing ? (
            <button type="button" className="button" data-testid="token-undo-clear" onClick={() => props.onChange({ action: 'keep' })}>
              Keep token
            </button>
          ) : (
            <button
              type="button"
              className="button button--danger"
              data-testid="token-clear"
              disabled={!props.tokenSet}
              onClick={() => props.onChange({ action: 'clear' })}
            >
              Clear token
            </button>
          )}
        </div>
      )}
    </Field>
  );
}
