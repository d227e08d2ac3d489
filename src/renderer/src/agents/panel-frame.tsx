/**
 * The frame every Agents panel shares: its title, a close button, its content.
 */
import type { ReactNode } from 'react';
import { openAgentPanel } from '../store/actions.js';

export function PanelFrame(props: { title: string; testId: string; children: ReactNode }): ReactNode {
  return (
    <section className="panel action-panel" aria-label={props.title} data-testid={props.testId}>
      <header className="action-panel__header">
        <h2>{props.title}</h2>
        <button type="button" className="button button--ghost button--small" aria-label="Close" onClick={() => openAgentPanel(null)}>
          ✕
        </button>
      </header>
      {props.children}
    </section>
  );
}
