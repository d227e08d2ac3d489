/** What the preload puts on `window` for the renderer. */
import type { SwitchyardApi } from '../shared/contract.js';

/**
 * What only the desktop host can do (no contract call: the core has no window).
 * Absent in a browser, whose UI hides what needs it.
 */
export interface SwitchyardHostApi {
  /** The OS folder picker; null when the person cancels. */
  pickFolder(): Promise<string | null>;
}

declare global {
  interface Window {
    /** Present in the Electron window; absent in a browser, which uses the bridge. */
    switchyard?: SwitchyardApi;
    /** Present in the Electron window only. */
    switchyardHost?: SwitchyardHostApi;
  }
}
export {};
