import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { contentSecurityPolicyPlugin } from './scripts/csp-html-plugin.js';

/**
 * Three builds: the main process (with the headless host as a second entry, since it
 * composes the same core, and the coding-agent runtime as a third, since supervised
 * agents run it as their own process, and the CLI as a fourth), the sandboxed preload, and the renderer (whose index.html
 * gets its CSP meta tag from the same constant the hosts send as a header).
 */
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          headless: resolve('src/main/headless.ts'),
          // The coding-agent runtime, run by resources/agents/coding-agent.mjs in a build
          // without sources (it looks for out/main/coding-agent.js).
          'coding-agent': resolve('src/core/coding/main.ts'),
          // The `switchyard` CLI, for a build without sources (bin/switchyard.mjs) and the CLI tests.
          cli: resolve('src/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require packages: bundle zod and the contract in,
      // and emit CommonJS, which is what a sandboxed preload must be.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react(), contentSecurityPolicyPlugin()],
  },
});
