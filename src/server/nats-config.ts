/**
 * `switchyard-coordinator --nats-config`: the nats-server authorization block for a
 * deployment, built from its tokens file and coordinator config with the permissions
 * docs/nats.md documents.
 */
import { readFileSync } from 'node:fs';
import { parseUnknown } from '../shared/parse.js';
import type { CoordinatorConfig } from './config.js';
import { TokensFile } from './identities.js';
import { authorizationBlock, natsUsersOf } from './nats-permissions.js';

export function natsConfigFor(config: CoordinatorConfig): string {
  const tokens = parseUnknown(TokensFile, JSON.parse(readFileSync(config.tokensFile, 'utf8')), 'tokens file');
  const identities = Object.values(tokens);
  const served = config.repos.length > 0 ? config.repos : [...new Set(identities.flatMap((identity) => identity.repos.filter((repo) => repo !== '*')))];
  const users = natsUsersOf(identities, { coordinatorUser: config.nats.user ?? 'sy-coordinator', servedRepos: served });
  return authorizationBlock(users, { teamOwner: config.team.owner });
}
