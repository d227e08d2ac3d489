// Lint: typescript-eslint's recommended rules plus the import boundaries of
// docs/architecture.md ("The arrows").
// Arrows point one way: renderer -> shared; preload -> shared; core -> shared;
// main -> core, shared; server -> core, shared; cli -> shared.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const folder = (name) => [`**/${name}/**`, `../${name}/*`, `../../${name}/*`, `../../../${name}/*`];
const nodeBuiltins = { group: ['node:*'], message: 'This layer must not use Node.' };
// The same built-ins by their bare names ('fs', 'path', 'fs/promises'), matched exactly.
const bareBuiltins = builtinModules.map((name) => ({ name, message: 'This layer must not use Node.' }));
const electron = { name: 'electron', message: 'Only src/main/index.ts and src/preload import electron.' };
const layer = (names, message) => ({ group: names.flatMap(folder), message });
const rendererPaths = [electron, 'better-sqlite3', 'ws', 'nats.ws', ...bareBuiltins];
const rendererPatterns = [nodeBuiltins, layer(['core', 'main', 'server', 'cli'], 'The renderer knows only the contract (src/shared).')];
// The renderer's feature folders, as seen from a sibling folder (store/, model/).
const rendererFeatures = ['agents', 'approvals', 'coding', 'context', 'routes', 'tasks', 'traces', 'settings', 'shell', 'common', 'api'];
const sibling = (names, message) => ({ group: names.flatMap((name) => [`../${name}/*`, `**/renderer/src/${name}/*`]), message });
// Core modules with a public face (src/core/<module>/index.ts). Outside a module only its
// face may be imported ('./router/index.js', '../registry/index.js',
// '../core/agents/index.js'); inside it, relative imports stay free. Tests and benches
// are not covered: they test internals.
const facedModules = ['agents', 'registry', 'remote', 'router', 'workspaces'];
const throughFace = (modules = facedModules) => ({
  regex: `^(\\.{1,2}/)+(core/)?(${modules.join('|')})/(?!index\\.js$)`,
  message: 'Import a core module through its face (src/core/<module>/index.ts), not a file inside it.',
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', '.electron-native/**', 'test-results/**', '.agent-clis/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware rules: a promise is awaited, handled or marked `void` on purpose; an
    // async function is never passed where a plain callback is expected; a switch over a
    // union names every member. The project service finds each file's tsconfig.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { project: ['./tsconfig.node.json', './tsconfig.web.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Small modules and functions (docs/conventions: split well before 300 lines).
    // Blank lines do not count; comments do, since a reader reads them too.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    rules: {
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: false }],
      complexity: ['error', 15],
    },
  },
  {
    // The rules of hooks and the React Compiler's checks (eslint-plugin-react-hooks 7).
    files: ['src/renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron, 'better-sqlite3', 'ws', 'nats.ws', 'react', ...bareBuiltins],
        patterns: [nodeBuiltins, layer(['core', 'main', 'preload', 'renderer', 'server', 'cli'], 'src/shared imports nothing of the app.')],
      }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [layer(['main', 'preload', 'renderer', 'server', 'cli'], 'src/core builds on src/shared only.'), throughFace()],
      }],
    },
  },
  {
    // The gateway is the local agents' inner part (createLocalAgents owns it): it uses
    // the agents module's line parser, log ring and registry port directly. Going
    // through the face would make an import cycle (agents/index -> local-agents ->
    // gateway -> agents/index).
    files: ['src/core/gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [layer(['main', 'preload', 'renderer', 'server', 'cli'], 'src/core builds on src/shared only.'), throughFace(['registry', 'remote', 'router'])],
      }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [layer(['preload', 'renderer', 'server', 'cli'], 'src/main composes core and shared.'), throughFace()],
      }],
    },
  },
  {
    files: ['src/main/index.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [layer(['preload', 'renderer', 'server', 'cli'], 'src/main composes core and shared.'), throughFace()],
      }],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bareBuiltins,
        patterns: [nodeBuiltins, layer(['core', 'main', 'renderer', 'server', 'cli'], 'The preload exposes the contract only.')],
      }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: rendererPaths,
        patterns: rendererPatterns,
      }],
    },
  },
  {
    // The store and the pure model never import a feature: features import them, so an
    // import the other way would be a cycle. Shared logic goes to src/renderer/src/model.
    files: ['src/renderer/src/store/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: rendererPaths,
        patterns: [...rendererPatterns, sibling(rendererFeatures, 'The store imports src/renderer/src/model, never a feature folder.')],
      }],
    },
  },
  {
    files: ['src/renderer/src/model/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...rendererPaths, 'react', 'zustand'],
        patterns: [...rendererPatterns, sibling([...rendererFeatures, 'store'], 'src/renderer/src/model is pure: it imports src/shared and itself only.')],
      }],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [layer(['main', 'preload', 'renderer', 'cli'], 'The coordinator builds on core and shared.'), throughFace()],
      }],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [layer(['core', 'main', 'preload', 'renderer', 'server'], 'The CLI talks to a running core through the contract only.')],
      }],
    },
  },
  {
    // Raw IPC modules appear in the two wrapper files only (GitHub Desktop's rule). It
    // uses typescript-eslint's copy of no-restricted-imports: a rule of its own name, so
    // the per-folder blocks above (which set the core rule) do not override it in src/.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['src/main/index.ts', 'src/preload/index.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use the contract wrappers (src/main/index.ts, src/preload/index.ts).' }] }],
    },
  },
);
