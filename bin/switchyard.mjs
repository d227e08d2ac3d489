#!/usr/bin/env node
// The `switchyard` command: runs src/cli/main.ts in this very process, with tsx
// registered as a loader. No child process: Ctrl-C reaches the CLI's own handler
// (it ends `--watch` and `--follow` with exit 0) and the exit code is the CLI's.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
