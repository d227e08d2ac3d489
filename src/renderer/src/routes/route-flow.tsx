/**
 * The @xyflow/react pieces of the Routes view: lane backgrounds, agent nodes, and the
 * weighted route edges with messages moving along them.
 */
import { memo } from 'react';
import type { ReactNode } from 'react';
import { BaseEdge, EdgeLabelRenderer, Handle, Position } from '@xyflow/react';
import type { Edge, EdgeProps, Node, NodeProps } from '@xyflow/react';
import type { AgentInfo, Location } from '../../../shared/domain.js';
import type { RouteEdge } from '../model/route-graph.js';
import { edgeWidth } from '../model/route-graph.js';
import { selectEdge } from '../store/actions.js';
import { InFlightDot } from './in-flight-dot.js';
import { deliveryOf } from './edge-delivery.js';

export type LaneNodeData = { lane: Location; idle: number };
export type AgentNodeData = { name: string; repo: string; agent: AgentInfo | null; showRepo: boolean };
export type RouteEdgeData = { route: RouteEdge; active: boolean; selected: boolean };

export type LaneFlowNode = Node<LaneNodeData, 'lane'>;
export type AgentFlowNode = Node<AgentNodeData, 'agent'>;
export type RouteFlowEdge = Edge<RouteEdgeData, 'route'>;

export const LaneNode = memo(function LaneNode(props: NodeProps<LaneFlowNode>): ReactNode {
  const { lane, idle } = props.data;
  return (
    <div className={`flow-lane flow-lane--${lane}`} data-testid={`lane-${lane}`}>
      <span className="flow-lane__title">{lane === 'local' ? 'This laptop' : 'Remote'}</span>
      {idle > 0 ? <span className="flow-lane__idle">+{idle} agents without recent routes</span> : null}
    </div>
  );
});

const HANDLES = [
  { id: 't', position: Position.Top },
  { id: 'b', position: Position.Bottom },
  { id: 'l', position: Position.Left },
  { id: 'r', position: Position.Right },
] as const;

export const AgentNode = memo(function AgentNode(props: NodeProps<AgentFlowNode>): ReactNode {
  const { name, repo, agent, showRepo } = props.data;
  const status = agent?.status ?? 'none';
  return (
    <div
      className={`flow-agent flow-agent--${agent?.location ?? 'unknown'}`}
      data-testid="route-node"
      data-agent={`${repo}/${name}`}
      title={agent ? `${agent.type} · ${agent.status} · ${agent.location === 'local' ? 'this laptop' : 'remote'}` : `${name}: not a registered agent`}
    >
      {HANDLES.map((handle) => (
        <Handle key={`s${handle.id}`} id={`s${handle.id}`} type="source" position={handle.position} isConnectable={false} />
      ))}
      {HANDLES.map((handle) => (
        <Handle key={`t${handle.id}`} id={`t${handle.id}`} type="target" position={handle.position} isConnectable={false} />
      ))}
      <span className={`status-dot flow-agent__dot status--${status}`} aria-hidden="true" />
      <span className="flow-agent__name mono">{name}</span>
      <span className="flow-agent__meta">
        {agent ? agent.type : name === 'user' ? 'you (UI)' : 'unregistered'}
        {showRepo ? ` · ${repo}` : ''}
      </span>
    </div>
  );
});

/**
 * A gently curved edge (so A→B and B→A do not overlap), as thick as its count, in the
 * colour and dash of its route, with one dot moving along it while messages flow.
 */
export const RouteEdgeView = memo(function RouteEdgeView(props: EdgeProps<RouteFlowEdge>): ReactNode {
  const { sourceX, sourceY, targetX, targetY, data } = props;
  if (!data) return null;
  const { route, active, selected } = data;
  const dx = targetX - sourceX;
  const dy = targetY - sourceY;
  const length = Math.hypot(dx, dy) || 1;
  // Within a row an edge may pass other nodes: arc higher over them.
  const sameRow = Math.abs(dy) < 20;
  const bend = sameRow ? Math.min(140, Math.max(22, length * 0.25)) : Math.min(60, Math.max(18, length * 0.14));
  // Control point: the midpoint pushed to the right of the direction of travel.
  const cx = (sourceX + targetX) / 2 + (-dy / length) * bend;
  const cy = (sourceY + targetY) / 2 + (dx / length) * bend;
  const path = `M ${sourceX},${sourceY} Q ${cx},${cy} ${targetX},${targetY}`;
  const labelX = 0.25 * sourceX + 0.5 * cx + 0.25 * targetX;
  const labelY = 0.25 * sourceY + 0.5 * cy + 0.25 * targetY;
  const width = edgeWidth(route.count);
  const seconds = Math.max(0.9, Math.min(2.4, length / 220));
  const toggle = (): void => selectEdge(selected ? null : route.key);
  const delivery = deliveryOf(route);
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        className={`route-edge route-edge--${route.style} route-edge--${delivery}${selected ? ' route-edge--selected' : ''}`}
        style={{ strokeWidth: width }}
        interactionWidth={Math.max(16, width + 10)}
      />
      <EdgeLabelRenderer>
        {active ? (
          <InFlightDot sx={sourceX} sy={sourceY} cx={cx} cy={cy} tx={targetX} ty={targetY} seconds={seconds} size={Math.min(14, width + 5)} style={route.style} />
        ) : null}
        <div
          className={`route-label route-label--${route.style}${selected ? ' route-label--selected' : ''} nodrag nopan`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          role="button"
          tabIndex={0}
          aria-label={`${route.from} to ${route.to}: ${route.count} messages`}
          onClick={(event) => {
            // The label is portalled, but React still bubbles its click to the edge,
            // whose own click handler would toggle the selection straight back.
            event.stopPropagation();
            toggle();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' || event.key === ' ') toggle();
          }}
          data-testid="route-edge"
          data-edge={route.key}
          data-style={route.style}
          data-delivery={delivery}
          data-count={route.count}
          title={`${route.from} → ${route.to}: ${route.count} in the last minutes`}
        >
          {route.count}
          {delivery === 'answered' ? <span className="route-label__extra" title="its newest message was answered"> ↩</span> : null}
          {route.queued > 0 ? <span className="route-label__extra"> · {route.queued} queued</span> : null}
          {route.failed > 0 ? <span className="route-label__extra"> · {route.failed} failed</span> : null}
        </div>
      </EdgeLabelRenderer>
    </>
  );
});

export const nodeTypes = { lane: LaneNode, agent: AgentNode };
export const edgeTypes = { route: RouteEdgeView };
