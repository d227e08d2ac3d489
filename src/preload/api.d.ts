/** What the preload puts on `window` for the renderer. */
import type { SwitchyardApi } from '../shared/contract.js';

declare global {
  interface Window {
    /** Present in the Electron window; absent in a browser, which uses the bridge. */
    switchyard?: SwitchyardApi;
  }
}
export {};
