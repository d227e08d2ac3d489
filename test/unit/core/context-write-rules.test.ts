import { describe, expect, it } from 'vitest';
import type { ContextWriter, WriteRuleLookups } from '../../../src/core/blackboard/write-rules.js';
import { assertMayWrite, personWriter } from '../../../src/core/blackboard/write-rules.js';
import { ContextWriteDenied } from '../../../src/shared/errors.js';

const alice: ContextWriter = { kind: 'person', name: personWriter('alice'), user: 'alice', team: false };
const admin: ContextWriter = { kind: 'person', name: personWriter('ada'), user: 'ada', team: true };
const aliceWorker: ContextWriter = { kind: 'agent', name: 'alice.worker', user: 'alice', team: false };
const teamSupervisor: ContextWriter = { kind: 'agent', name: 'supervisor', user: 'team', team: true };
const owners: Record<string, string> = { 'alice.worker': 'alice', 'alice.other': 'alice', 'bob.worker': 'bob', supervisor: 'team' };
const lookups: WriteRuleLookups = { ownerOf: (agent) => owners[agent] };
const withTasks: WriteRuleLookups = {
  ...lookups,
  task: (id) => (id === 't-1' ? { requestedBy: 'supervisor', assignedTo: 'alice.worker' } : undefined),
};

const may = (writer: ContextWriter, key: string, rules = lookups) => {
  try {
    assertMayWrite(writer, key, rules);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(ContextWriteDenied);
    expect((error as Error).message).toContain(`${writer.name} may not write "${key}"`);
    return false;
  }
};

describe('the blackboard write rules', () => {
  it('lets anyone write shared/, and only the team (repo-owned agents, admins) write repo/', () => {
    expect([alice, aliceWorker, admin, teamSupervisor].map((w) => may(w, 'shared/claims/db'))).toEqual([true, true, true, true]);
    expect([alice, aliceWorker, admin, teamSupervisor].map((w) => may(w, 'repo/plan'))).toEqual([false, false, true, true]);
  });

  it("keeps user/<u>/ to u's person and agents", () => {
    expect([alice, aliceWorker, admin].map((w) => may(w, 'user/alice/notes'))).toEqual([true, true, false]);
    expect(may(alice, 'user/bob/notes')).toBe(false);
    expect(may(alice, 'user/alice')).toBe(true);
  });

  it('keeps agent/<name>/ to that agent and its owner in person, not its siblings', () => {
    expect(may(aliceWorker, 'agent/alice.worker/state')).toBe(true);
    expect(may(alice, 'agent/alice.worker/state')).toBe(true);
    expect(may({ ...aliceWorker, name: 'alice.other' }, 'agent/alice.worker/state')).toBe(false);
    expect(may(alice, 'agent/bob.worker/state')).toBe(false);
    expect(may(alice, 'agent/nobody/state')).toBe(false);
    expect(may(admin, 'agent/alice.worker/state')).toBe(false);
  });

  it('opens task/<id>/ like shared/ without a task store, and keeps it to the parties with one', () => {
    expect(may(alice, 'task/t-9/result')).toBe(true);
    expect(may(teamSupervisor, 'task/t-1/plan', withTasks)).toBe(true);
    expect(may(aliceWorker, 'task/t-1/result', withTasks)).toBe(true);
    expect(may(alice, 'task/t-1/result', withTasks)).toBe(true);
    expect(may({ ...aliceWorker, name: 'bob.worker', user: 'bob' }, 'task/t-1/result', withTasks)).toBe(false);
    expect(may(alice, 'task/t-9/result', withTasks)).toBe(false);
  });

  it('refuses any other first segment, including names an object already has', () => {
    for (const key of ['secrets/x', 'sharedx', 'constructor/x', 'toString', 'hasOwnProperty/x']) expect(may(admin, key)).toBe(false);
  });
});
