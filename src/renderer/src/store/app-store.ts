/**
 * The renderer's one store, composed from its slices.
 */
import { create } from 'zustand';
import { emptyTraceList } from '../model/trace-list.js';
import { emptyRouteWindow } from '../model/route-window.js';
import type { AppState } from './slices.js';
import {
  createAgentsSlice,
  createCodingSlice,
  createConfigSlice,
  createConnectionSlice,
  createProblemsSlice,
  createTracesSlice,
  createUiSlice,
  createWorkSlice,
} from './slices.js';

export const useAppStore = create<AppState>()((...args) => ({
  ...createAgentsSlice(...args),
  ...createConnectionSlice(...args),
  ...createConfigSlice(...args),
  ...createTracesSlice(...args),
  ...createCodingSlice(...args),
  ...createProblemsSlice(...args),
  ...createWorkSlice(...args),
  ...createUiSlice(...args),
}));

/** Back to the initial state (tests). */
export function resetAppStore(): void {
  const initial = useAppStore.getInitialState();
  useAppStore.setState(
    {
      ...initial,
      agents: new Map(),
      traces: emptyTraceList(),
      routeWindow: emptyRouteWindow(),
      conversations: new Map(),
      approvals: new Map(),
      usageByAgent: new Map(),
      problems: [],
      tasks: new Map(),
      contextEntries: new Map(),
      repos: [],
    },
    true,
  );
}
