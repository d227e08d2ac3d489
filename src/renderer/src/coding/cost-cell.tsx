/**
 * The Agents view's Cost column: what an agent's finished tasks cost, from the store's
 * usage per agent (loaded once, then each `usage.changed`). Its own selector, so a new
 * total re-renders this cell and not the row.
 */
import type { ReactNode } from 'react';
import { formatCost, formatTokens } from '../model/coding-format.js';
import { useAppStore } from '../store/app-store.js';
import { usageKey } from '../store/coding-buffer.js';

export function CostCell(props: { repo: string; name: string }): ReactNode {
  const totals = useAppStore((state) => state.usageByAgent.get(usageKey(props.repo, props.name)));
  if (!totals) return <span className="muted">—</span>;
  return (
    <span
      className="mono cost"
      data-testid="agent-cost"
      title={`${totals.tasks} task${totals.tasks === 1 ? '' : 's'} · ${formatTokens(totals.inputTokens)} tokens in · ${formatTokens(totals.outputTokens)} out`}
    >
      {formatCost(totals.costUsd)}
    </span>
  );
}
