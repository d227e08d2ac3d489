#!/usr/bin/env node
// The `switchyard-coordinator` command: runs src/server/main.ts in this very process,
// with tsx registered as a loader. No child process: SIGHUP (reload the tokens file),
// SIGTERM and SIGINT reach the coordinator's own handlers, and there is nothing to
// leave orphaned when the command is signalled.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/main.ts');
