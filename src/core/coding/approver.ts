/**
 * Who decides a coding agent's tool use: the person behind the request.
 *
 * - A person asked (`user` on a desktop, `<u>.user` on the team): they decide.
 * - A member's agent asked, seen on the team as `<u>.<name>`: its member's person
 *   endpoint, `<u>.user`, decides (a laptop's workspace agent asking the team reviewer
 *   brings the reviewer's approvals back to that laptop).
 * - Anyone else (a local agent on the desktop): the desktop's owner endpoint
 *   (SWITCHYARD_APPROVER) when there is one, else the requester itself.
 */
import { PARTICIPANT_NAME } from '../../shared/coding.js';

const MEMBER_AGENT = /^([A-Za-z0-9_-]{1,128})\.[A-Za-z0-9._-]+$/;

/** The endpoint an approval for a request from `requester` goes to. */
export function approverFor(requester: string, fallback: string | undefined): string {
  if (requester === PARTICIPANT_NAME || requester.endsWith(`.${PARTICIPANT_NAME}`)) return requester;
  const member = MEMBER_AGENT.exec(requester);
  if (member) return `${member[1]}.${PARTICIPANT_NAME}`;
  return fallback !== undefined && fallback !== '' ? fallback : requester;
}
