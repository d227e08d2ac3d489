/**
 * Calls of the work model whose handlers are being built on other branches this wave.
 * Each branch deletes its entries here as it adds the real handler; this file must be
 * gone before the wave is merged (a stub is never "done").
 */
import { SwitchyardError } from '../shared/errors.js';
import type { Handlers } from './dispatch.js';

class NotYetBuilt extends SwitchyardError {
  override name = 'NotYetBuilt';
}

function pending(call: string): () => never {
  return () => {
    throw new NotYetBuilt(`${call} is not built yet`);
  };
}

export const pendingWorkHandlers: Pick<
  Handlers,
  | 'tasks.create'
  | 'tasks.list'
  | 'tasks.get'
  | 'tasks.cancel'
  | 'context.set'
  | 'context.get'
  | 'context.list'
  | 'spawnRules.get'
  | 'spawnRules.set'
  | 'agents.metrics'
> = {
  'tasks.create': pending('tasks.create'),
  'tasks.list': pending('tasks.list'),
  'tasks.get': pending('tasks.get'),
  'tasks.cancel': pending('tasks.cancel'),
  'context.set': pending('context.set'),
  'context.get': pending('context.get'),
  'context.list': pending('context.list'),
  'spawnRules.get': pending('spawnRules.get'),
  'spawnRules.set': pending('spawnRules.set'),
  'agents.metrics': pending('agents.metrics'),
};
