#!/usr/bin/env node
// `npm run screenshots`: builds the app, runs the end-to-end tests that save a screenshot of
// every view in test-results/screenshots/, and copies the ones the docs show to docs/images/:
// the Routes view from the demo run, and the coding agent's Conversation panel (mid-task and
// finished), the Approvals inbox and a task branch's diff from the coding-agent run (which
// needs the pinned CLIs: `npm run agents:install`), and the Tasks board, the Context view,
// an agent's Metrics tab and the repo switcher from the work-model run. Tests never write tracked files; this
// does, on purpose, when someone asks for new pictures.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('node_modules/.bin/electron-vite', ['build']);
process.env.SWITCHYARD_SKIP_BUILD = '1';
run('node_modules/.bin/vitest', ['run', '--project', 'e2e', 'test/e2e/demo.test.ts', 'test/e2e/coding-agent.test.ts', 'test/e2e/tasks-view.test.ts']);
mkdirSync('docs/images', { recursive: true });
const copies = {
  'demo-routes.png': 'routes.png',
  'conversation-finished.png': 'conversation.png',
  'conversation-mid-task.png': 'conversation-mid-task.png',
  'approvals.png': 'approvals.png',
  'worktree-diff.png': 'worktree-diff.png',
  'tasks-board.png': 'tasks-board.png',
  'context.png': 'context.png',
  'agent-metrics.png': 'agent-metrics.png',
  'repo-switcher.png': 'repo-switcher.png',
};
for (const [from, to] of Object.entries(copies)) {
  copyFileSync(`test-results/screenshots/${from}`, `docs/images/${to}`);
  console.log(`docs/images/${to} updated`);
}
