/**
 * The coding-agent process (resources/agents/coding-agent.mjs runs it): a supervised
 * agent that puts Claude Code or Codex on the switchyard (docs/coding-agents.md). It
 * never exits on its own account but when Switchyard says so or stdin closes: a problem
 * it cannot fix (no CLI, no workspace, a bad config) is answered task by task instead,
 * so the supervisor never restarts it into a crash loop.
 */
import { gitTaskFolders } from '../workspaces/index.js';
import { ENGINES } from './engines.js';
import { startCodingAgent } from './runtime.js';

const agent = startCodingAgent({
  env: process.env,
  input: process.stdin,
  output: process.stdout,
  folders: gitTaskFolders,
  engines: ENGINES,
  exit: (code) => process.exit(code),
});

// A bug in a turn must cost that turn, not the agent and every session it holds.
process.on('uncaughtException', (error) => agent.link.log('error', `uncaught: ${error.stack ?? error.message}`));
process.on('unhandledRejection', (reason) => agent.link.log('error', `unhandled rejection: ${String(reason)}`));
