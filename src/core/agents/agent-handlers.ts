/**
 * The contract handlers for local agents and manifests; core.ts spreads them into its
 * handler table.
 */
import { AgentManifest } from '../../shared/manifest.js';
import type { Handlers } from '../dispatch.js';
import { validateWorkspace } from '../workspaces/index.js';
import type { LocalAgents } from './local-agents.js';
import type { LoadedManifest } from './manifest-store.js';

export type AgentCallName =
  | 'manifests.list'
  | 'manifests.install'
  | 'agents.start'
  | 'agents.stop'
  | 'agents.restart'
  | 'agents.scale'
  | 'agents.logs';

const view = (loaded: LoadedManifest) => ({ manifest: loaded.manifest, source: loaded.source, file: loaded.file });

export function agentHandlers(local: LocalAgents): Pick<Handlers, AgentCallName> {
  return {
    'manifests.list': () => {
      const { manifests, problems } = local.manifests();
      return { manifests: manifests.map(view), problems };
    },
    // Handlers are typed with the schema's input; dispatch has already parsed it, so this
    // parse only fills in defaults for the type checker's sake.
    'manifests.install': ({ manifest, replace }) =>
      view(local.install(AgentManifest.parse(manifest), { replace: replace ?? false })),
    // A workspace is checked (WorkspaceInvalid) before anything starts; the agent gets its root.
    'agents.start': async ({ type, name, workspace, isolation }) => {
      const root = workspace === undefined ? undefined : (await validateWorkspace(workspace)).root;
      return local.start(type, name, { workspace: root, isolation });
    },
    'agents.stop': ({ name }) => local.stop(name),
    'agents.restart': ({ name }) => local.restart(name),
    'agents.scale': ({ type, count }) => local.scale(type, count),
    'agents.logs': ({ name, tail }) => local.logs(name, tail),
  };
}
