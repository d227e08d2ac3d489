/**
 * The human forms of what the verbs print: one line per item, aligned columns, times
 * in ISO form. `--json` prints the contract's values instead (src/cli/context.ts).
 */
import type { ApprovalView } from '../shared/coding-contract.js';
import type { ContextEntry } from '../shared/blackboard.js';
import type { AgentInfo } from '../shared/domain.js';
import type { TraceDetail, TraceSummary } from '../shared/routing-contract.js';
import type { TaskRecord } from '../shared/tasks.js';

export function agentLine(agent: AgentInfo): string {
  const load = `${agent.load.current}/${agent.load.max}`;
  return [agent.ownership.padEnd(5), agent.location.padEnd(6), agent.status.padEnd(11), load.padEnd(5), `${agent.repo}/${agent.name}`, `(${agent.type})`].join(' ');
}

export function agentLines(agents: AgentInfo[]): string {
  return agents.length === 0 ? 'no agents' : agents.map(agentLine).join('\n');
}

export function traceLine(trace: TraceSummary): string {
  return [time(trace.createdAt), trace.messageId.padEnd(26), trace.status.padEnd(10), trace.kind.padEnd(15), `${trace.from} → ${trace.to}`].join(' ');
}

export function traceDetail(detail: TraceDetail): string {
  const { summary } = detail;
  const lines = [
    `message ${summary.messageId}  trace ${summary.traceId}`,
    `${summary.repo}: ${summary.from} → ${summary.to}  ${summary.kind}  ${summary.status}`,
    ...detail.hops.map((hop) => `  ${time(hop.at)}  ${hop.where.padEnd(12)} ${hop.event.padEnd(10)} ${hop.detail}`),
  ];
  if (detail.body !== null) lines.push(`body${detail.bodyTruncated ? ' (truncated)' : ''}: ${JSON.stringify(detail.body)}`);
  return lines.join('\n');
}

export function approvalLine(approval: ApprovalView): string {
  return [approval.approvalId, approval.state.padEnd(8), `${approval.repo}/${approval.from}`, `${approval.tool}: ${approval.summary}`].join('  ');
}

export function taskLine(task: TaskRecord): string {
  return [task.id, task.phase.padEnd(10), (task.assignedTo ?? `(${task.target})`).padEnd(20), task.title].join('  ');
}

export function contextLine(entry: ContextEntry): string {
  return `${entry.key} = ${JSON.stringify(entry.value)}  (rev ${entry.revision}, ${entry.writer})`;
}

/** A body as a person reads it: a string as is, anything else as JSON. */
export function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

function time(ms: number): string {
  return new Date(ms).toISOString();
}
