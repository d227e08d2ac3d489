/**
 * What a coding agent remembers across restarts: each task's session and folder, and the
 * tools an approver allowed "always". One JSON file in the agent's state folder
 * (SWITCHYARD_STATE_DIR), written atomically (temp file + rename, 0600), so a follow-up
 * after the process (or the app) was killed continues the same session in the same folder.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { TaskId } from '../../shared/coding.js';

export const TaskSession = z.object({
  /** Absent until the engine names the session. */
  sessionId: z.string().max(256).optional(),
  cwd: z.string().max(4096),
  branch: z.string().max(512).nullable(),
  worktree: z.string().max(4096).nullable(),
  base: z.string().max(256),
  updatedAt: z.number().int().nonnegative(),
});
export type TaskSession = z.infer<typeof TaskSession>;

const SessionFile = z.object({
  version: z.literal(1),
  tasks: z.record(TaskId, TaskSession),
  alwaysAllowed: z.array(z.string().max(256)),
});
type SessionFile = z.infer<typeof SessionFile>;

/** The file name inside the state folder. */
export const SESSION_FILE = 'sessions.json';

export class SessionStore {
  private constructor(
    private readonly file: string | undefined,
    private readonly data: SessionFile,
  ) {}

  /**
   * Opens the store in `stateDir`; without one (run outside a supervisor) it lives in
   * memory. A file that does not parse is reported through `warn` and started over: a
   * lost session costs a fresh conversation, a crash would cost the agent.
   */
  static open(stateDir: string | undefined, warn: (message: string) => void = () => undefined): SessionStore {
    const empty: SessionFile = { version: 1, tasks: {}, alwaysAllowed: [] };
    if (!stateDir) return new SessionStore(undefined, empty);
    const file = join(stateDir, SESSION_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return new SessionStore(file, empty);
    }
    try {
      const parsed = SessionFile.safeParse(JSON.parse(text));
      if (parsed.success) return new SessionStore(file, parsed.data);
      warn(`${file} does not hold sessions (${parsed.error.issues[0]?.message ?? 'bad shape'}); starting with none`);
    } catch {
      warn(`${file} is not JSON; starting with no sessions`);
    }
    return new SessionStore(file, empty);
  }

  get(taskId: string): TaskSession | undefined {
    return this.data.tasks[taskId];
  }

  /** Records (or replaces) a task's session and folder, and writes the file. */
  set(taskId: string, session: TaskSession): void {
    this.data.tasks[taskId] = session;
    this.save();
  }

  isAlwaysAllowed(tool: string): boolean {
    return this.data.alwaysAllowed.includes(tool);
  }

  /** An approver said "always" for this tool: it is used without asking from now on. */
  allowAlways(tool: string): void {
    if (this.isAlwaysAllowed(tool)) return;
    this.data.alwaysAllowed.push(tool);
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.data, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
