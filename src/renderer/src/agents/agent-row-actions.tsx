import { useState } from 'react';
import type { ReactNode } from 'react';
import type { Supervision } from '../../../shared/agent-protocol.js';
import type { AgentInfo } from '../../../shared/domain.js';
import { describeCallError } from '../common/use-call.js';
import { PARTICIPANT_NAME } from '../../../shared/coding.js';
import { coreApi, openAgent, openAgentPanel, setAgentActionError } from '../store/actions.js';
import { isLiveSupervision } from './supervision.js';

type Action = 'stop' | 'restart' | 'start';

/**
 * What the user may do with one agent: send it a message; for agents on this laptop,
 * read its log; for supervised ones, stop, restart, or start again after a stop or a
 * crash loop. Remote agents are the coordinator's to manage.
 */
export function AgentRowActions(props: { agent: AgentInfo; supervision: Supervision | null }): ReactNode {
  const { agent, supervision } = props;
  const [busy, setBusy] = useState<Action | null>(null);
  const local = agent.location === 'local';

  const run = async (action: Action): Promise<void> => {
    setBusy(action);
    setAgentActionError(null);
    try {
      const api = coreApi();
      if (action === 'stop') await api.agents.stop({ name: agent.name });
      else await api.agents.restart({ name: agent.name });
    } catch (error) {
      const view = describeCallError(error);
      setAgentActionError({ action, agent: agent.name, name: view.name, message: view.message });
    } finally {
      setBusy(null);
    }
  };

  return (
    <span className="row-actions">
      {agent.name !== PARTICIPANT_NAME ? (
        <button
          type="button"
          className="button button--ghost button--small"
          data-testid="agent-open"
          title={`Your conversation with ${agent.name}, its worktrees and its usage`}
          onClick={() => openAgent(agent.name, 'conversation')}
        >
          Open
        </button>
      ) : null}
      <button
        type="button"
        className="button button--ghost button--small"
        data-testid="agent-send"
        title={`Send a message to ${agent.name}`}
        onClick={() => openAgentPanel({ kind: 'send', to: agent.name })}
      >
        Send
      </button>
      {local ? (
        <button
          type="button"
          className="button button--ghost button--small"
          data-testid="agent-logs"
          title={`Show the log of ${agent.name}`}
          onClick={() => openAgentPanel({ kind: 'logs', name: agent.name })}
        >
          Logs
        </button>
      ) : null}
      {local && supervision ? (
        isLiveSupervision(supervision) ? (
          <>
            <button
              type="button"
              className="button button--ghost button--small"
              data-testid="agent-restart"
              disabled={busy !== null}
              onClick={() => void run('restart')}
            >
              {busy === 'restart' ? 'Restarting…' : 'Restart'}
            </button>
            <button
              type="button"
              className="button button--ghost button--small button--danger"
              data-testid="agent-stop"
              disabled={busy !== null}
              onClick={() => void run('stop')}
            >
              {busy === 'stop' ? 'Stopping…' : 'Stop'}
            </button>
          </>
        ) : supervision.state === 'stopping' ? null : (
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="agent-start-again"
            disabled={busy !== null}
            title="Start it again (clears the restart history)"
            onClick={() => void run('start')}
          >
            {busy === 'start' ? 'Starting…' : 'Start'}
          </button>
        )
      ) : null}
    </span>
  );
}
