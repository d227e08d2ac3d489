import { useEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useTicking } from '../common/clock.js';
import { useThrottled } from '../common/use-throttled.js';
import { EmptyState } from '../common/empty-state.js';
import { useAppStore } from '../store/app-store.js';
import { selectEdge } from '../store/actions.js';
import type { AgentFlowNode, LaneFlowNode, RouteFlowEdge } from './route-flow.js';
import { edgeTypes, nodeTypes } from './route-flow.js';
import type { LaneNode as LaneNodeModel, RouteEdge } from './route-graph.js';
import { MAX_ANIMATED_EDGES, NODE_HEIGHT, NODE_WIDTH, ROUTE_WINDOW_MS, aggregateEdges, layoutLanes } from './route-graph.js';
import { EdgeMessages } from './edge-messages.js';

/** How recent a message keeps dots moving on its edge. */
const ACTIVE_MS = 3_000;
/** How often the graph follows the trace list, at most. */
export const GRAPH_REFRESH_MS = 250;

/**
 * Routes: who sent what to whom in the last minutes, this laptop above, remote below.
 * Fed by the same trace list as the Traces view (an initial `traces.query`, then
 * `messages.routed` batches), so it changes at most once per animation frame.
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
  // pace, and the dots move on their own in between.
  const rows = useThrottled(useAppStore((state) => state.traces.rows), GRAPH_REFRESH_MS);
  const agents = useThrottled(useAppStore((state) => state.agents), GRAPH_REFRESH_MS);
  const hybrid = useAppStore((state) => state.config?.enabled ?? false);
  const currentRepo = useAppStore((state) => state.config?.repo ?? null);
  const selectedKey = useAppStore((state) => state.selectedEdge);
  // The window moves with a one-second clock as well as with new messages.
  const second = useTicking((now) => Math.floor(now / 1000));
  const edgeSet = useMemo(() => aggregateEdges(rows, second * 1000 + 999, ROUTE_WINDOW_MS), [rows, second]);
  const layout = useMemo(() => layoutLanes(agents, edgeSet.edges), [agents, edgeSet.edges]);

  const nodes = useStableNodes(layout.nodes, layout.lanes, currentRepo);
  const edges = useStableEdges(edgeSet.edges, layout.nodes, selectedKey, second * 1000);
  const selected = selectedKey ? (edgeSet.edges.find((edge) => edge.key === selectedKey) ?? null) : null;
  const nodeSetKey = useMemo(() => layout.nodes.map((n) => n.id).join('|'), [layout.nodes]);

  return (
    <section className="view view--fill" aria-labelledby="routes-title">
      <div className="view__header">
        <h1 id="routes-title">Routes</h1>
        <span className="view__meta" data-testid="routes-count">
          {edgeSet.edges.length} {edgeSet.edges.length === 1 ? 'route' : 'routes'} · {edgeSet.messages.toLocaleString()}{' '}
          {edgeSet.messages === 1 ? 'message' : 'messages'} in the last {ROUTE_WINDOW_MS / 60_000} minutes
          {edgeSet.hidden > 0 ? ` · ${edgeSet.hidden} quieter routes not drawn` : ''}
        </span>
      </div>
      <div className={`routes-layout${selected ? ' routes-layout--inspecting' : ''}`}>
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
            onEdgeClick={(_, edge) => selectEdge(edge.id === selectedKey ? null : edge.id)}
            onPaneClick={() => selectEdge(null)}
            fitView
            fitViewOptions={{ padding: 0.12, maxZoom: 1.1 }}
            minZoom={0.2}
            maxZoom={2}
            proOptions={{ hideAttribution: true }}
            colorMode="system"
          >
            <FitOnChange nodeSetKey={`${nodeSetKey}#${selected ? 'panel' : ''}`} />
          </ReactFlow>
          {edgeSet.edges.length === 0 ? (
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
          <Legend />
        </div>
        {selected ? <EdgeMessages edge={selected} /> : null}
      </div>
    </section>
  );
}

/** Refits the view when the set of nodes changes (not on every message). */
function FitOnChange(props: { nodeSetKey: string }): null {
  const flow = useReactFlow();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.1, duration: 200 }));
    return () => cancelAnimationFrame(frame);
  }, [props.nodeSetKey, flow]);
  return null;
}

/** Node objects keep their identity while nothing about them changed, so xyflow skips them. */
function useStableNodes(
  models: readonly LaneNodeModel[],
  lanes: ReturnType<typeof layoutLanes>['lanes'],
  currentRepo: string | null,
): Node[] {
  const cache = useRef(new Map<string, Node>());
  return useMemo(() => {
    const next = new Map<string, Node>();
    const out: Node[] = [];
    for (const lane of ['local', 'remote'] as const) {
      const box = lanes[lane];
      const id = `lane:${lane}`;
      const old = cache.current.get(id) as LaneFlowNode | undefined;
      const node: LaneFlowNode =
        old && old.width === box.width && old.height === box.height && old.position.y === box.y && old.data.idle === box.idle
          ? old
          : {
              id,
              type: 'lane',
              position: { x: box.x, y: box.y },
              width: box.width,
              height: box.height,
              data: { lane, idle: box.idle },
              draggable: false,
              selectable: false,
              focusable: false,
              zIndex: -1,
            };
      next.set(id, node);
      out.push(node);
    }
    for (const model of models) {
      const old = cache.current.get(model.id) as AgentFlowNode | undefined;
      const showRepo = currentRepo !== null && model.repo !== currentRepo;
      const node: AgentFlowNode =
        old && old.position.x === model.x && old.position.y === model.y && sameDisplay(old.data.agent, model.agent) && old.data.showRepo === showRepo
          ? old
          : {
              id: model.id,
              type: 'agent',
              position: { x: model.x, y: model.y },
              width: NODE_WIDTH,
              height: NODE_HEIGHT,
              data: { name: model.name, repo: model.repo, agent: model.agent, showRepo },
              draggable: false,
            };
      next.set(model.id, node);
      out.push(node);
    }
    cache.current = next;
    return out;
  }, [models, lanes, currentRepo]);
}

/** A heartbeat changes the record but nothing a node shows. */
function sameDisplay(a: LaneNodeModel['agent'], b: LaneNodeModel['agent']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.status === b.status && a.type === b.type && a.location === b.location;
}

/** Edges keep their identity while their count, style and activity stay the same. */
function useStableEdges(routes: readonly RouteEdge[], models: readonly LaneNodeModel[], selectedKey: string | null, now: number): RouteFlowEdge[] {
  const cache = useRef(new Map<string, { sig: string; edge: RouteFlowEdge }>());
  return useMemo(() => {
    const where = new Map(models.map((m) => [m.id, m] as const));
    const next = new Map<string, { sig: string; edge: RouteFlowEdge }>();
    const out: RouteFlowEdge[] = [];
    let animated = 0;
    for (const route of routes) {
      const source = where.get(`${route.repo}/${route.from}`);
      const target = where.get(`${route.repo}/${route.to}`);
      if (!source || !target) continue;
      const [sourceHandle, targetHandle] = handlesFor(source, target);
      // Routes come busiest first: only the busiest few carry moving dots.
      const active = animated < MAX_ANIMATED_EDGES && (route.inFlight > 0 || now - route.lastAt < ACTIVE_MS);
      if (active) animated++;
      const selected = route.key === selectedKey;
      const sig = `${route.count}|${route.style}|${route.inFlight}|${route.queued}|${route.failed}|${active}|${selected}|${sourceHandle}|${targetHandle}|${source.x},${source.y}|${target.x},${target.y}`;
      const old = cache.current.get(route.key);
      const entry =
        old && old.sig === sig
          ? old
          : {
              sig,
              edge: {
                id: route.key,
                type: 'route' as const,
                source: source.id,
                target: target.id,
                sourceHandle,
                targetHandle,
                data: { route, active, selected },
                zIndex: selected ? 2 : 1,
              },
            };
      next.set(route.key, entry);
      out.push(entry.edge);
    }
    cache.current = next;
    return out;
  }, [routes, models, selectedKey, now]);
}

/** Between lanes: bottom → top (or up); within a row: side to side; a self-route loops over the top. */
function handlesFor(source: LaneNodeModel, target: LaneNodeModel): [string, string] {
  if (source.id === target.id) return ['sr', 'tt'];
  if (Math.abs(source.y - target.y) > NODE_HEIGHT / 2) return source.y < target.y ? ['sb', 'tt'] : ['st', 'tb'];
  return source.x < target.x ? ['sr', 'tl'] : ['sl', 'tr'];
}

function Legend(): ReactNode {
  return (
    <div className="routes-legend" aria-label="Legend" data-testid="routes-legend">
      <span className="legend-item">
        <svg width="28" height="10" aria-hidden="true">
          <line x1="2" y1="5" x2="26" y2="5" className="route-edge route-edge--local" />
        </svg>
        local
      </span>
      <span className="legend-item">
        <svg width="28" height="10" aria-hidden="true">
          <line x1="2" y1="5" x2="26" y2="5" className="route-edge route-edge--nats" />
        </svg>
        over NATS
      </span>
      <span className="legend-item">
        <svg width="28" height="10" aria-hidden="true">
          <line x1="2" y1="5" x2="26" y2="5" className="route-edge route-edge--outbox" />
        </svg>
        queued (outbox)
      </span>
      <span className="legend-item">
        <svg width="28" height="10" aria-hidden="true">
          <line x1="2" y1="5" x2="26" y2="5" className="route-edge route-edge--fallback" />
        </svg>
        fallback
      </span>
      <span className="legend-item">
        <svg width="28" height="10" aria-hidden="true">
          <line x1="2" y1="5" x2="26" y2="5" className="route-edge route-edge--failed" />
        </svg>
        failed
      </span>
      <span className="legend-item">
        <svg width="12" height="10" aria-hidden="true">
          <circle cx="6" cy="5" r="3.5" className="route-dot route-dot--local" />
        </svg>
        in flight
      </span>
      <span className="legend-item muted">thickness and label: messages</span>
    </div>
  );
}
