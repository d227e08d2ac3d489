/// <reference types="vite/client" />
/**
 * Ambient types of the renderer: Vite's asset imports (the line above), and
 * `window.switchyard?: SwitchyardApi`, which the Electron preload declares next to the
 * code that exposes it (src/preload/api.d.ts, in this project through tsconfig.web.json).
 * In a browser it is absent and the renderer uses the bridge.
 */
import type {} from '../../preload/api.js';
