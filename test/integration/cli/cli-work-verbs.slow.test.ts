/**
 * The CLI's work-model verbs against a running host: `tasks`, `task create|get|cancel`
 * and `context set|get|list`, run as child processes of the built CLI against the built
 * headless host with a real echo agent. Exit codes as docs/cli.md lists them, `--json`
 * output parsed with the contract's schemas, human output where a person reads it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { cli } from './cli-process.js';
import { output, useCliHost } from './cli-host.js';

const Task = output('tasks.create');
const TaskList = output('tasks.list');
const Entry = output('context.set');
const Entries = output('context.list');
const Value = output('context.get');

const cliHost = useCliHost();
const json = cliHost.json;

describe('the CLI’s tasks and context verbs against a running headless host', { timeout: 300_000 }, () => {
  it('task create dispatches to a role, the echo agent completes it, tasks lists it; a queued task cancels; unknown ids exit 4', async () => {
    await json(output('agents.start'), ['start', 'echo', '--name', 'cli-echo']);

    const created = await json(Task, ['task', 'create', 'Say hi', '--to', 'type:echo', '--body', 'hi there']);
    expect(created).toMatchObject({ title: 'Say hi', target: 'type:echo', assignedTo: 'cli-echo', requestedBy: 'user' });
    // The echo agent answers at once; `task get` sees the task complete with its result.
    const done = await eventually(async () => {
      const got = await json(Task, ['task', 'get', created.id]);
      return got.phase === 'complete' ? got : undefined;
    });
    expect(done.result).toMatchObject({ taskId: created.id, text: 'hi there' });
    expect(done.history.map((h) => h.phase)).toContain('complete');

    // A role nobody runs: the task is queued (no assignee), then cancelled by the CLI.
    const queued = await json(Task, ['task', 'create', 'Review it', '--to', 'type:reviewer']);
    expect(queued).toMatchObject({ phase: 'init', assignedTo: null });
    const cancelled = await json(Task, ['task', 'cancel', queued.id]);
    expect(cancelled).toMatchObject({ phase: 'failed', error: { name: 'Cancelled' } });

    const all = await json(TaskList, ['tasks']);
    expect(all.map((t) => [t.id, t.phase]).sort()).toEqual([[created.id, 'complete'], [queued.id, 'failed']].sort());
    const failedOnly = await json(TaskList, ['tasks', '--phase', 'failed']);
    expect(failedOnly.map((t) => t.id)).toEqual([queued.id]);
    const human = await cli(['tasks'], cliHost.env());
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(created.id);
    expect(human.stdout).toContain('Say hi');

    // Not found: exit 4, the typed error on stderr, nothing on stdout.
    const missing = await cli(['task', 'get', 'no-such-task'], cliHost.env());
    expect(missing).toMatchObject({ code: 4, stdout: '' });
    expect(missing.stderr).toMatch(/^(NotFound|TaskNotFound): /);
    const cancelMissing = await cli(['task', 'cancel', 'no-such-task'], cliHost.env());
    expect(cancelMissing).toMatchObject({ code: 4, stdout: '' });
    expect(cancelMissing.stderr).toMatch(/^TaskNotFound: /);
    // A name nobody has is refused for good and leaves no task (docs/tasks.md): not found, exit 4.
    const nobody = await cli(['task', 'create', 'Lost', '--to', 'ghost'], cliHost.env());
    expect(nobody).toMatchObject({ code: 4, stdout: '' });
    expect(nobody.stderr).toMatch(/^NoSuchAgent: /);
    expect((await json(TaskList, ['tasks'])).length).toBe(2);
    // A target the schema refuses is a usage error, checked before connecting.
    const bad = await cli(['task', 'create', 'Bad', '--to', 'no such agent!'], cliHost.env());
    expect(bad.code).toBe(2);
  });

  it('context set stores JSON or text as the user, get and list read it back; a refused write exits 1; an absent key exits 4', async () => {
    const stored = await json(Entry, ['context', 'set', 'shared/plan', '{"step":2}']);
    expect(stored).toMatchObject({ key: 'shared/plan', value: { step: 2 }, operation: 'put' });
    expect(stored.writer).toMatch(/\.user$/);
    const text = await json(Entry, ['context', 'set', 'shared/notes', '42', '--string']);
    expect(text.value).toBe('42');
    const file = join(cliHost.host().dataDir, 'value.json');
    writeFileSync(file, '{"from":"file"}');
    await json(Entry, ['context', 'set', 'shared/plan', `@${file}`]);

    const got = await json(Value, ['context', 'get', 'shared/plan', '--history']);
    expect(got.entry?.value).toEqual({ from: 'file' });
    expect(got.history.map((e) => e.value)).toEqual(expect.arrayContaining([{ step: 2 }]));
    const listed = await json(Entries, ['context', 'list', 'shared']);
    expect(listed.map((e) => e.key).sort()).toEqual(['shared/notes', 'shared/plan']);
    const human = await cli(['context', 'get', 'shared/notes'], cliHost.env());
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('shared/notes');

    const denied = await cli(['context', 'set', 'agent/someone-else/notes', 'x'], cliHost.env());
    expect(denied).toMatchObject({ code: 1, stdout: '' });
    expect(denied.stderr).toMatch(/^ContextWriteDenied: /);
    expect(await json(Entries, ['context', 'list', 'agent'])).toEqual([]);

    const absent = await cli(['context', 'get', 'shared/nothing'], cliHost.env());
    expect(absent).toMatchObject({ code: 4, stdout: '' });
    const badKey = await cli(['context', 'set', 'no//key', '1'], cliHost.env());
    expect(badKey.code).toBe(2);

    // null deletes: the key leaves the list, and its history says who deleted it.
    await json(Entry, ['context', 'set', 'shared/notes', 'null']);
    expect((await json(Entries, ['context', 'list'])).map((e) => e.key)).toEqual(['shared/plan']);
    const deleted = await json(Value, ['context', 'get', 'shared/notes', '--history']);
    expect(deleted.entry).toBeNull();
    expect(deleted.history[0]?.operation).toBe('delete');
  });
});
