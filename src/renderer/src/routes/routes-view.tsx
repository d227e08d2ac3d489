import { useEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Edge, FitViewOptions, ProOptions } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './routes.css';
import { useTicking } from '../common/clock.js';
import { useThrottledSelector } from '../common/use-throttled.js';
import { EmptyState } from '../common/empty-state.js';
import { useAppStore } from '../store/app-store.js';
import type { AppState } from '../store/slices.js';
import { expireRoutes, selectEdge } from '../store/actions.js';
import { edgeTypes, nodeTypes } from './route-flow.js';
import { MAX_EDGES, NODES_PER_ROW, ROUTE_WINDOW_MS, layoutLanes } from '../model/route-graph.js';
import { foldedIds } from '../model/ended-agents.js';
import { busiestEdges } from '../model/route-window.js';
import { useStableEdges, useStableNodes } from './flow-elements.js';
import { EdgeMessages } from './edge-messages.js';
import { RoutesLegend } from './routes-legend.js';

/** How often the graph follows the store, at most. */
export const GRAPH_REFRESH_MS = 250;

const FIT_VIEW: FitViewOptions = { padding: 0.12, maxZoom: 1.1 };
const PRO: ProOptions = { hideAttribution: true };
const selectWindow = (state: AppState): AppState['routeWindow'] => state.routeWindow;
const selectAgents = (state: AppState): AppState['agents'] => state.agents;
const toSecond = (now: number): number => Math.floor(now / 1000);
const onEdgeClick = (_: unknown, edge: Edge): void => selectEdge(edge.id === useAppStore.getState().selectedEdge ? null : edge.id);
const onPaneClick = (): void => selectEdge(null);

/**
 * Routes: who sent what to whom in the last minutes, this laptop above, remote below.
 * Fed by the same batches as the trace list (an initial `traces.query`, then
 * `messages.routed`), folded into edges as they arrive (`route-window.ts`).
 */
export function RoutesView(): ReactNode {
  return (
    <ReactFlowProvider>
      <RoutesGraph />
    </ReactFlowProvider>
  );
}

function RoutesGraph(): ReactNode {
  // The graph follows traffic four times a second: counts and styles change at that
  // pace, and the dots move on their own in between. The store's other updates (one
  // a frame under load) do not re-render this component at all.
  const routeWindow = useThrottledSelector(useAppStore, selectWindow, GRAPH_REFRESH_MS);
  const agents = useThrottledSelector(useAppStore, selectAgents, GRAPH_REFRESH_MS);
  const hybrid = useAppStore((state) => state.config?.enabled ?? false);
  const currentRepo = useAppStore((state) => state.config?.repo ?? null);
  const selectedKey = useAppStore((state) => state.selectedEdge);
  const ended = useAppStore((state) => state.endedSince);
  const showEnded = useAppStore((state) => state.showEnded);
  // The window moves with a one-second clock as well as with new messages.
  const second = useTicking(toSecond);
  useEffect(() => expireRoutes(), [second]);

  const top = useMemo(() => busiestEdges(routeWindow.edges, MAX_EDGES), [routeWindow.edges]);
  // Ended workers fold away as in the Agents view (the same setting), unless a route still touches them.
  const folded = useFoldedIds(agents, ended, second, showEnded);
  const layout = useMemo(() => layoutLanes(agents, top.edges, NODES_PER_ROW, folded), [agents, top.edges, folded]);
  const nodes = useStableNodes(layout.nodes, layout.lanes, currentRepo);
  const edges = useStableEdges(top.edges, layout.nodes, selectedKey, second * 1000);
  const selected = selectedKey ? (routeWindow.edges.get(selectedKey) ?? null) : null;
  const nodeSetKey = useMemo(() => layout.nodes.map((n) => n.id).join('|'), [layout.nodes]);
  const shown = top.edges.length;

  return (
    <section className="view view--fill" aria-labelledby="routes-title">
      <div className="view__header">
        <h1 id="routes-title">Routes</h1>
        <span className="view__meta" data-testid="routes-count">
          {shown} {shown === 1 ? 'route' : 'routes'} · {routeWindow.messages.toLocaleString()}{' '}
          {routeWindow.messages === 1 ? 'message' : 'messages'} in the last {ROUTE_WINDOW_MS / 60_000} minutes
          {top.hidden > 0 ? ` · ${top.hidden} quieter routes not drawn` : ''}
          {folded.size > 0 ? ` · ${folded.size} ended ${folded.size === 1 ? 'worker' : 'workers'} folded away` : ''}
        </span>
      </div>
      <div className={`inspect-layout${selected ? ' inspect-layout--inspecting' : ''}`}>
        <div className="routes-graph" data-testid="routes-graph">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            nodesDraggable={false}
            nodesConnectable={false}
            nodesFocusable={false}
            edgesFocusable={false}
            elementsSelectable={false}
            onEdgeClick={onEdgeClick}
            onPaneClick={onPaneClick}
            fitView
            fitViewOptions={FIT_VIEW}
            minZoom={0.2}
            maxZoom={2}
            proOptions={PRO}
            colorMode="system"
          >
            <FitOnChange nodeSetKey={`${nodeSetKey}#${selected ? 'panel' : ''}`} />
          </ReactFlow>
          {shown === 0 ? (
            <div className="routes-empty-overlay">
              <EmptyState title="No routes yet" testId="routes-empty" icon="⇄">
                <p>
                  Every message an agent sends appears here as an edge between its sender and receiver: local agents in the
                  top lane, remote ones below, edges weighted by how many messages took them, messages in flight moving
                  along them. Routes that wait in the outbox or fall back to a local agent are drawn apart.
                </p>
                <p className="muted">
                  {hybrid
                    ? 'Routes appear once agents start exchanging messages.'
                    : 'With hybrid mode off every route stays on this laptop.'}
                </p>
              </EmptyState>
            </div>
          ) : null}
          <RoutesLegend />
        </div>
        {selected ? <EdgeMessages edge={selected} /> : null}
      </div>
    </section>
  );
}

/**
 * The ended workers folded away, as a set that stays the same object while its members
 * do (so the layout is not redone every second).
 */
function useFoldedIds(agents: AppState['agents'], ended: AppState['endedSince'], second: number, showEnded: boolean): ReadonlySet<string> {
  // Ids are `repo/name`: no newline in either.
  const key = useMemo(() => [...foldedIds(agents, ended, second * 1000, showEnded)].join('\n'), [agents, ended, second, showEnded]);
  return useMemo(() => new Set(key === '' ? [] : key.split('\n')), [key]);
}

/**
 * Refits the view when the set of nodes changes or the side panel opens or closes,
 * never on a new count: the viewport otherwise stays where it is (or where the user
 * panned it).
 */
function FitOnChange(props: { nodeSetKey: string }): null {
  const flow = useReactFlow();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => void flow.fitView({ ...FIT_VIEW, duration: 200 }));
    return () => cancelAnimationFrame(frame);
  }, [props.nodeSetKey, flow]);
  return null;
}
