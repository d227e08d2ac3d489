/**
 * The Routes view's model turned into @xyflow/react nodes and edges that keep their
 * identity while nothing visible about them changed.
 *
 * xyflow diffs what it is handed: the same array means no work at all, the same
 * element object means that element is skipped. So each hook returns its previous
 * array when every element in it is the one it held before.
 */
import { useMemo, useState } from 'react';
import type { Node } from '@xyflow/react';
import type { AgentFlowNode, LaneFlowNode, RouteFlowEdge } from './route-flow.js';
import type { LaneLayout, LaneNode as LaneNodeModel, RouteEdge } from '../model/route-graph.js';
import { MAX_ANIMATED_EDGES, NODE_HEIGHT, NODE_WIDTH } from '../model/route-graph.js';
import { deliveryOf } from './edge-delivery.js';

/** How recent a message keeps its edge's dot moving. */
export const ACTIVE_MS = 3_000;

/** `next` unless it holds exactly the elements of `previous`, in order. */
function sameOr<T>(previous: readonly T[], next: T[]): T[] {
  if (previous.length === next.length && previous.every((item, i) => item === next[i])) return previous as T[];
  return next;
}

/**
 * What one hook handed out last time: its elements by id and the array itself.
 *
 * Held in state (created once per component) rather than a ref: it is read and
 * replaced inside useMemo during render, which a ref may not be. A render React throws
 * away still leaves a valid cache behind: it only decides which objects are reused.
 */
class ElementCache<T, E = T> {
  byId = new Map<string, E>();
  private out: T[] = [];

  /** Remembers this render's elements and returns the previous array if nothing changed. */
  keep(byId: Map<string, E>, out: T[]): T[] {
    this.byId = byId;
    this.out = sameOr(this.out, out);
    return this.out;
  }
}

/** Lane backgrounds and agent nodes; a heartbeat or a new count changes none of them. */
export function useStableNodes(models: readonly LaneNodeModel[], lanes: LaneLayout['lanes'], currentRepo: string | null): Node[] {
  const [cache] = useState(() => new ElementCache<Node>());
  return useMemo(() => {
    const previous = cache.byId;
    const byId = new Map<string, Node>();
    const out: Node[] = [];
    for (const lane of ['local', 'remote'] as const) {
      const box = lanes[lane];
      const id = `lane:${lane}`;
      const old = previous.get(id) as LaneFlowNode | undefined;
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
      byId.set(id, node);
      out.push(node);
    }
    for (const model of models) {
      const old = previous.get(model.id) as AgentFlowNode | undefined;
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
      byId.set(model.id, node);
      out.push(node);
    }
    return cache.keep(byId, out);
  }, [cache, models, lanes, currentRepo]);
}

/** A heartbeat changes the record but nothing a node shows. */
function sameDisplay(a: LaneNodeModel['agent'], b: LaneNodeModel['agent']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.status === b.status && a.type === b.type && a.location === b.location;
}

/**
 * Route edges; an edge keeps its object while its count, style, activity and ends stay
 * the same. Only the busiest {@link MAX_ANIMATED_EDGES} active routes carry a dot.
 *
 * @param routes busiest first.
 * @param now to the second: a route is active while it has messages in flight or had
 *   one in the last {@link ACTIVE_MS}.
 */
export function useStableEdges(routes: readonly RouteEdge[], models: readonly LaneNodeModel[], selectedKey: string | null, now: number): RouteFlowEdge[] {
  const [cache] = useState(() => new ElementCache<RouteFlowEdge, { sig: string; edge: RouteFlowEdge }>());
  return useMemo(() => {
    const where = new Map(models.map((m) => [m.id, m] as const));
    const previous = cache.byId;
    const byKey = new Map<string, { sig: string; edge: RouteFlowEdge }>();
    const out: RouteFlowEdge[] = [];
    const animated = pickAnimated(routes, now, (key) => previous.get(key)?.edge.data?.active === true);
    for (const route of routes) {
      const source = where.get(`${route.repo}/${route.from}`);
      const target = where.get(`${route.repo}/${route.to}`);
      if (!source || !target) continue;
      const [sourceHandle, targetHandle] = handlesFor(source, target);
      const active = animated.has(route.key);
      const selected = route.key === selectedKey;
      const sig = `${route.count}|${route.style}|${deliveryOf(route)}|${route.queued}|${route.failed}|${active}|${selected}|${sourceHandle}|${targetHandle}|${source.x},${source.y}|${target.x},${target.y}`;
      const old = previous.get(route.key);
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
      byKey.set(route.key, entry);
      out.push(entry.edge);
    }
    return cache.keep(byKey, out);
  }, [cache, routes, models, selectedKey, now]);
}

/**
 * The routes that carry a dot: active ones, at most {@link MAX_ANIMATED_EDGES}. Those
 * that had a dot keep it while they stay active, then the busiest fill the rest; so
 * when many routes are about as busy, dots do not hop between them as their ranks
 * swap (each hop restarts an animation and reads as noise).
 */
export function pickAnimated(routes: readonly RouteEdge[], now: number, hadDot: (key: string) => boolean): Set<string> {
  const active = routes.filter((route) => route.inFlight > 0 || now - route.lastAt < ACTIVE_MS);
  const out = new Set<string>();
  for (const route of active) if (out.size < MAX_ANIMATED_EDGES && hadDot(route.key)) out.add(route.key);
  for (const route of active) if (out.size < MAX_ANIMATED_EDGES) out.add(route.key);
  return out;
}

/** Between lanes: bottom → top (or up); within a row: side to side; a self-route loops over the top. */
function handlesFor(source: LaneNodeModel, target: LaneNodeModel): [string, string] {
  if (source.id === target.id) return ['sr', 'tt'];
  if (Math.abs(source.y - target.y) > NODE_HEIGHT / 2) return source.y < target.y ? ['sb', 'tt'] : ['st', 'tb'];
  return source.x < target.x ? ['sr', 'tl'] : ['sl', 'tr'];
}
