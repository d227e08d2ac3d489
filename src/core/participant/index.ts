/**
 * The person at the desktop as a participant: their endpoint, conversations, approvals
 * and usage. PLACEHOLDER until the participant module lands (issue 11, items 5 and 6).
 */
import type { Handlers } from '../dispatch.js';

export type ParticipantCallName = 'conversation.get' | 'approvals.list' | 'approvals.answer' | 'usage.summary';

export function participantHandlers(): Pick<Handlers, ParticipantCallName> {
  const missing = (): never => {
    throw new Error('not built yet');
  };
  return {
    'conversation.get': missing,
    'approvals.list': missing,
    'approvals.answer': missing,
    'usage.summary': missing,
  };
}
