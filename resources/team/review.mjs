// Demo reviewer: approves a change that mentions tests, asks for tests otherwise.
import { runTeamAgent } from './team-io.mjs';

runTeamAgent({
  onMessage(message, agent) {
    const text = JSON.stringify(message.body ?? '');
    const approved = /test/i.test(text);
    agent.send(
      message.from,
      approved
        ? { verdict: 'approve', notes: 'looks good; tests included', inReplyTo: message.id }
        : { verdict: 'changes-requested', notes: 'please add tests for this change', inReplyTo: message.id },
      'decision.made',
    );
  },
});
