/**
 * The Routes view's model: weighted edges (kept up to date by `route-window.ts`) and
 * agents laid out in two lanes (this laptop above, remote below). Pure, so it is
 * unit-tested.
 */
import type { AgentInfo, Location, Ownership, RoutedVia } from '../../../shared/domain.js';
import type { TraceSummary } from '../../../shared/routing-contract.js';

/** Routes seen in this window are drawn. */
export const ROUTE_WINDOW_MS = 5 * 60_000;
/** At most this many edges (the busiest); the rest are counted in a note. */
export const MAX_EDGES = 60;
/** The graph weighs at most this many of the newest messages in the window. */
export const MAX_WINDOW_MESSAGES = 5_000;
/** At most this many edges show moving dots (the busiest); the rest are drawn still. */
export const MAX_ANIMATED_EDGES = 12;
/** Messages kept per edge for its list. */
export const EDGE_RECENT = 50;

/** How an edge is drawn: its usual route, or the exceptional one while it applies. */
export type EdgeStyle = RoutedVia | 'failed';

export interface RouteEdge {
  /** `repo/from→repo/to`. */
  key: string;
  repo: string;
  from: string;
  to: string;
  count: number;
  byVia: Record<RoutedVia, number>;
  /** Messages still on their way (accepted, published, queued). */
  inFlight: number;
  queued: number;
  failed: number;
  style: EdgeStyle;
  lastAt: number;
  /** Newest first, at most {@link EDGE_RECENT}. */
  recent: TraceSummary[];
  /** Location at each end, as the route stamped it. */
  sourceLocation: Location;
  destLocation: Location;
}

export const edgeKey = (repo: string, from: string, to: string): string => `${repo}/${from}→${repo}/${to}`;

/** Stroke width for a count: 1.5 px for one message, growing with its log, at most 9. */
export function edgeWidth(count: number): number {
  return Math.min(9, 1.5 + 1.6 * Math.log2(Math.max(1, count)));
}

export interface LaneNode {
  /** `repo/name`. */
  id: string;
  name: string;
  repo: string;
  lane: Location;
  x: number;
  y: number;
  agent: AgentInfo | null;
}

export interface LaneLayout {
  nodes: LaneNode[];
  /** Each lane's box, for its background. */
  lanes: Record<Location, { x: number; y: number; width: number; height: number; idle: number }>;
}

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 52;
const GAP_X = 96;
const GAP_Y = 40;
const LANE_PAD_X = 24;
const LANE_PAD_TOP = 36;
const LANE_PAD_BOTTOM = 20;
const LANE_GAP = 90;
/** Every agent gets a node while there are at most this many; beyond, only those with routes. */
export const SHOW_ALL_AGENTS_UP_TO = 24;
/** Nodes per row in a lane. */
export const NODES_PER_ROW = 6;

const OWNERSHIP_ORDER: Record<Ownership, number> = { repo: 0, user: 1, task: 2 };

const NOTHING_FOLDED: ReadonlySet<string> = new Set();

/**
 * Places agents in their lanes: those with recent routes, plus every agent when there
 * are few. A name that is no registered agent (the UI's `user`, an agent gone since)
 * gets a node in the lane its route stamped. Order: ownership band, then name, so a
 * node keeps its place while traffic changes.
 *
 * `folded` names ended workers folded away (model/ended-agents.ts): they get a node only
 * while a route in the window still touches them, and are not counted as idle.
 */
export function layoutLanes(
  allAgents: ReadonlyMap<string, AgentInfo>,
  edges: readonly RouteEdge[],
  maxPerRow = NODES_PER_ROW,
  folded: ReadonlySet<string> = NOTHING_FOLDED,
): LaneLayout {
  const agents = folded.size === 0 ? allAgents : new Map([...allAgents].filter(([id]) => !folded.has(id)));
  const wanted = new Map<string, { name: string; repo: string; lane: Location; agent: AgentInfo | null }>();
  const showAll = agents.size <= SHOW_ALL_AGENTS_UP_TO;
  if (showAll) for (const [id, agent] of agents) wanted.set(id, { name: agent.name, repo: agent.repo, lane: agent.location, agent });
  for (const edge of edges) {
    for (const [name, location] of [
      [edge.from, edge.sourceLocation],
      [edge.to, edge.destLocation],
    ] as const) {
      const id = `${edge.repo}/${name}`;
      if (wanted.has(id)) continue;
      const agent = allAgents.get(id) ?? null;
      wanted.set(id, { name, repo: edge.repo, lane: agent?.location ?? location, agent });
    }
  }
  const perLane: Record<Location, { id: string; name: string; repo: string; agent: AgentInfo | null }[]> = { local: [], remote: [] };
  for (const [id, entry] of wanted) perLane[entry.lane].push({ id, ...entry });
  // Names that are no registered agent go last, so they do not push the real agents apart.
  const rank = (entry: { agent: AgentInfo | null }): number => (entry.agent ? OWNERSHIP_ORDER[entry.agent.ownership] : 3);
  const idleCount = (lane: Location): number => {
    if (showAll) return 0;
    let n = 0;
    for (const agent of agents.values()) if (agent.location === lane) n++;
    return Math.max(0, n - perLane[lane].filter((e) => e.agent !== null && !folded.has(e.id)).length);
  };

  const nodes: LaneNode[] = [];
  const widest = Math.max(1, Math.min(maxPerRow, Math.max(perLane.local.length, perLane.remote.length)));
  const width = LANE_PAD_X * 2 + widest * NODE_WIDTH + (widest - 1) * GAP_X;
  const lanes = {} as LaneLayout['lanes'];
  let y = 0;
  for (const lane of ['local', 'remote'] as const) {
    const entries = perLane[lane].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.repo.localeCompare(b.repo));
    const rowsInLane = Math.max(1, Math.ceil(entries.length / maxPerRow));
    entries.forEach((entry, i) => {
      const col = i % maxPerRow;
      const row = Math.floor(i / maxPerRow);
      // Rows that are not full are centred, so edges between lanes stay short.
      const inRow = Math.min(maxPerRow, entries.length - row * maxPerRow);
      const offset = ((widest - inRow) * (NODE_WIDTH + GAP_X)) / 2;
      nodes.push({
        id: entry.id,
        name: entry.name,
        repo: entry.repo,
        lane,
        agent: entry.agent,
        x: LANE_PAD_X + offset + col * (NODE_WIDTH + GAP_X),
        y: y + LANE_PAD_TOP + row * (NODE_HEIGHT + GAP_Y),
      });
    });
    const height = LANE_PAD_TOP + rowsInLane * NODE_HEIGHT + (rowsInLane - 1) * GAP_Y + LANE_PAD_BOTTOM;
    lanes[lane] = { x: 0, y, width, height, idle: idleCount(lane) };
    y += height + LANE_GAP;
  }
  return { nodes, lanes };
}
