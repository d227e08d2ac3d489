/** What the participant tests share: the test agent, its manifest, and event recorders. */
import { fileURLToPath } from 'node:url';
import type { Core } from '../../../src/core/core.js';
import type { EventName, EventPayload } from '../../../src/shared/contract.js';
import { AgentManifest } from '../../../src/shared/manifest.js';

/** test/integration/participant/fixtures/asker.mjs: asks approvals and finishes tasks on command. */
export const ASKER_AGENT = fileURLToPath(new URL('./fixtures/asker.mjs', import.meta.url));

/** Installs the asker as type `asker` in a core (started as a real child process). */
export function installAsker(core: Core): void {
  core.localAgents.install(
    AgentManifest.parse({
      type: 'asker',
      command: process.execPath,
      args: [ASKER_AGENT],
    }),
  );
}

/** Records every payload of one event. */
export function record<E extends EventName>(core: Core, event: E): Array<EventPayload<E>> {
  const seen: Array<EventPayload<E>> = [];
  core.on(event, (payload) => seen.push(payload));
  return seen;
}

/** A contract call that must succeed; its value. */
export async function call<T>(core: Core, name: string, input?: unknown): Promise<T> {
  const result = await core.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}
