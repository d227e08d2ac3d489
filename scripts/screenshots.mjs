#!/usr/bin/env node
// `npm run screenshots`: builds the app, runs the demo end-to-end test (which saves a
// screenshot of every view in test-results/screenshots/) and copies the Routes view to
// docs/images/routes.png, the README's picture. Tests never write tracked files; this does,
// on purpose, when someone asks for a new picture.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('node_modules/.bin/electron-vite', ['build']);
process.env.SWITCHYARD_SKIP_BUILD = '1';
run('node_modules/.bin/vitest', ['run', '--project', 'e2e', 'test/e2e/demo.test.ts']);
mkdirSync('docs/images', { recursive: true });
copyFileSync('test-results/screenshots/demo-routes.png', 'docs/images/routes.png');
console.log('docs/images/routes.png updated from the demo run');
