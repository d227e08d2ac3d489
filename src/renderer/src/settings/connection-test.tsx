import type { ReactNode } from 'react';
import { CallError } from '../common/call-error.js';
import { useCall } from '../common/use-call.js';
import { coreApi } from '../store/actions.js';
import type { ConfigDraft } from './config-form.js';

const testConnection = (coordinationUrl: string, apiToken: string | undefined, allowInsecureTransport: boolean) =>
  coreApi().connection.test({ coordinationUrl, allowInsecureTransport, ...(apiToken ? { apiToken } : {}) });

/**
 * "Test connection": one connect to the URL in the form, with the token being typed or
 * else the stored one, before anything is saved. The core sends the stored token only
 * to the saved URL (another URL needs the token typed: TokenNotForUrl). The token goes
 * to the core only; the answer never carries it.
 */
export function ConnectionTest(props: { draft: ConfigDraft }): ReactNode {
  const { draft } = props;
  const [state, run] = useCall(testConnection);
  const url = draft.coordinationUrl.trim();
  const token = draft.token.action === 'replace' ? draft.token.value : undefined;
  return (
    <div className="connection-test">
      <button
        type="button"
        className="button"
        data-testid="connection-test"
        disabled={url === '' || state.phase === 'running'}
        title={url === '' ? 'Enter a coordination URL first' : `Connect once to ${url}`}
        onClick={() => void run(url, token, draft.allowInsecureTransport)}
      >
        {state.phase === 'running' ? 'Testing…' : 'Test connection'}
      </button>
      <span className="connection-test__result" role="status" data-testid="connection-test-result" data-ok={state.phase === 'done' ? String(state.value.ok) : undefined}>
        {state.phase === 'done' ? (
          state.value.ok ? (
            <span className="text-ok">
              ✓ Connected{state.value.latencyMs !== undefined ? ` · ${state.value.latencyMs} ms round trip` : ''}
              {token ? ' (with the new token)' : ''}
            </span>
          ) : (
            <span className="text-error">✕ {state.value.error ?? 'could not connect'}</span>
          )
        ) : null}
      </span>
      {state.phase === 'failed' ? <CallError error={state.error} testId="connection-test-error" /> : null}
    </div>
  );
}
