// Demo reviewer: approves a change that mentions tests, asks for tests otherwise.
//
// A work-model validation (`decision.request` naming a taskId, docs/tasks.md) is
// answered with a TaskDecisionBody { taskId, approved, reason }, which completes or fails
// the task on the requester's board.
import { runTeamAgent } from './team-io.mjs';
import { taskIdOf } from './task-bodies.mjs';

runTeamAgent({
  onMessage(message, agent) {
    const text = JSON.stringify(message.body ?? '');
    const approved = /test/i.test(text);
    const taskId = taskIdOf(message.body);
    const notes = approved ? 'looks good; tests included' : 'please add tests for this change';
    const body = taskId
      ? { taskId, approved, reason: notes, inReplyTo: message.id }
      : { verdict: approved ? 'approve' : 'changes-requested', notes, inReplyTo: message.id };
    agent.send(message.from, body, 'decision.made');
  },
});
