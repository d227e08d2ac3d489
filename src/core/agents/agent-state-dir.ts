/**
 * An agent's own state folder, `<stateRoot>/<repo>/<name>` (0700), handed to it as
 * SWITCHYARD_STATE_DIR: what must outlive its process (a coding agent's sessions) lives
 * there. Made before each start, so a folder removed by hand comes back.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The folder, or undefined (after `onError`) when it cannot be made: the agent then runs without one. */
export function makeStateDir(stateRoot: string, repo: string, name: string, onError: (message: string) => void): string | undefined {
  const dir = join(stateRoot, repo, name);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch (error) {
    onError(`could not make the state folder ${dir}: ${(error as Error).message}`);
    return undefined;
  }
}
