import { describe, expect, it } from 'vitest';
import { ContractCallError, createContractClient } from '../../../src/shared/contract-client.js';
import type { CallName, Result } from '../../../src/shared/contract.js';
import { callNames, eventNames, listenerName } from '../../../src/shared/contract.js';

describe('contract client', () => {
  it('offers one named function per call and one onX per event', () => {
    const api = createContractClient({ invoke: async () => ({ ok: true, value: null }), subscribe: () => () => {} });
    for (const call of callNames) {
      const [ns, method] = call.split(/\.(.*)/s) as [string, string];
      expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[ns]?.[method]).toBe('function');
    }
    for (const event of eventNames) {
      expect(typeof (api as unknown as Record<string, unknown>)[listenerName(event)]).toBe('function');
    }
    expect(listenerName('agents.changed')).toBe('onAgentsChanged');
  });

  it('throws the core error with its name and issues', async () => {
    const api = createContractClient({
      invoke: async (): Promise<Result<unknown>> => ({
        ok: false,
        error: { name: 'ValidationError', message: 'bad', issues: [{ path: 'config.repo', message: 'x' }] },
      }),
      subscribe: () => () => {},
    });
    const error = await api.config.get().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContractCallError);
    expect((error as ContractCallError).name).toBe('ValidationError');
    expect((error as ContractCallError).issues).toEqual([{ path: 'config.repo', message: 'x' }]);
  });

  it('refuses an output that does not match the contract', async () => {
    const seen: CallName[] = [];
    const api = createContractClient({
      invoke: async (call) => {
        seen.push(call);
        return { ok: true, value: { enabled: 'yes' } };
      },
      subscribe: () => () => {},
    });
    await expect(api.config.get()).rejects.toThrow();
    expect(seen).toEqual(['config.get']);
  });

  it('drops event payloads that do not match the contract', () => {
    let deliver: (payload: unknown) => void = () => {};
    const api = createContractClient({
      invoke: async () => ({ ok: true, value: null }),
      subscribe: (_event, listener) => {
        deliver = listener;
        return () => {};
      },
    });
    const received: unknown[] = [];
    api.onConnectionChanged((state) => received.push(state));
    deliver({ phase: 'on fire' });
    deliver({ phase: 'connected', server: 'wss://x', lastError: null, since: 1 });
    expect(received).toEqual([{ phase: 'connected', server: 'wss://x', lastError: null, since: 1 }]);
  });
});
