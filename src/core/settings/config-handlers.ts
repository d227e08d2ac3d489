/**
 * The config and connection calls of the contract: the hybrid config as the renderer
 * sees it (never the token), saving it with its token, and the connection's phase.
 */
import type { HybridConfig, HybridConfigView } from '../../shared/config.js';
import type { ConnectionTracker } from '../connection-tracker.js';
import { probeConnection } from '../connection-probe.js';
import type { Handlers } from '../dispatch.js';
import type { SecretStore } from './secret-store.js';
import { TOKEN_ENV } from './secret-store.js';
import type { SettingsStore } from './settings-store.js';
import { assertStoredTokenMayGoTo } from './token-binding.js';

export interface ConfigHandlerDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  env: NodeJS.ProcessEnv;
  connection: ConnectionTracker;
  /** Puts a checked config in force (the core's `adopt`). */
  adopt(config: HybridConfig): void;
}

type ConfigCalls = 'config.get' | 'config.set' | 'connection.get' | 'connection.test';

export function configHandlers(deps: ConfigHandlerDeps): Pick<Handlers, ConfigCalls> {
  const { settings, secrets, env, connection } = deps;
  const configView = (config: HybridConfig): HybridConfigView => {
    const token = secrets.get();
    return {
      ...config,
      allowInsecureTransport: config.allowInsecureTransport ?? false,
      apiTokenSet: token !== undefined,
      // The store returns the variable's value when it overrides (both hosts' stores do).
      apiTokenFromEnvironment: token !== undefined && token === env[TOKEN_ENV],
    };
  };
  return {
    'config.get': () => configView(settings.hybridConfig()),
    'config.set': (update) => {
      assertStoredTokenMayGoTo({
        url: update.config.coordinationUrl,
        given: update.apiToken,
        savedUrl: settings.hybridConfig().coordinationUrl,
        stored: secrets.get() !== undefined,
      });
      // Token first: if the keychain refuses it, the config is not half-saved.
      if (update.apiToken !== undefined) secrets.set(update.apiToken);
      deps.adopt(update.config);
      return configView(update.config);
    },
    'connection.get': () => connection.current(),
    'connection.test': ({ coordinationUrl, apiToken }) => {
      const stored = secrets.get();
      assertStoredTokenMayGoTo({
        url: coordinationUrl,
        given: apiToken,
        savedUrl: settings.hybridConfig().coordinationUrl,
        stored: stored !== undefined,
      });
      return probeConnection({ coordinationUrl, token: apiToken ?? stored });
    },
  };
}

/**
 * The connection's phase as a config goes into force: `disabled` when hybrid is off; when
 * it comes on, "connecting" (the link starts right after), not a flash of "disconnected";
 * without a URL there is nothing to connect to.
 */
export function applyConnectionPhase(connection: ConnectionTracker, config: HybridConfig): void {
  if (!config.enabled) connection.update('disabled', { server: '', lastError: null });
  else if (connection.current().phase === 'disabled') {
    connection.update(config.coordinationUrl === '' ? 'disconnected' : 'connecting', { server: config.coordinationUrl, lastError: null });
  }
}
