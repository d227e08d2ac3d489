/**
 * The schemas every registry operation parses its input with.
 *
 * The registry is a boundary of its own: the gateway, the supervisor and the remote link
 * all hand it data that came from outside, so nothing is written before it parses.
 */
import { z } from 'zod';
import {
  AgentInfo,
  AgentLoad,
  AgentName,
  AgentStatus,
  AgentType,
  Capabilities,
  Endpoint,
  InstanceId,
  Location,
  OwnerName,
  Ownership,
  RepoName,
  Tags,
} from '../../shared/domain.js';
import { AgentQuery, AgentRef, SelectionStrategy } from '../../shared/registry-query.js';

/** Metadata stays small: it rides along in every change event and every discovery row. */
export const MAX_METADATA_BYTES = 16 * 1024;

/**
 * Free-form metadata: JSON values only, bounded in size.
 *
 * `heartbeatIntervalMs`, when present, is the agent's own heartbeat interval and the
 * liveness sweep uses it, so it must be a positive whole number of milliseconds.
 */
export const Metadata = z
  .record(z.string(), z.json())
  .superRefine((value, ctx) => {
    if (JSON.stringify(value).length > MAX_METADATA_BYTES) {
      ctx.addIssue({ code: 'custom', message: `metadata is larger than ${MAX_METADATA_BYTES} bytes` });
    }
    const interval = value['heartbeatIntervalMs'];
    if (interval !== undefined && !(typeof interval === 'number' && Number.isInteger(interval) && interval > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeatIntervalMs'],
        message: 'must be a positive whole number of milliseconds',
      });
    }
  });

/** What `register` accepts: the RegistrationInput interface, checked. */
export const RegistrationSchema = z
  .object({
    name: AgentName,
    type: AgentType,
    location: Location,
    ownership: Ownership.optional(),
    repo: RepoName,
    owner: OwnerName,
    endpoint: Endpoint.optional(),
    instanceId: InstanceId,
    capabilities: Capabilities.optional(),
    tags: Tags.optional(),
    load: AgentLoad.optional(),
    metadata: Metadata.optional(),
    status: AgentStatus.optional(),
  })
  .strict();
export type ParsedRegistration = z.output<typeof RegistrationSchema>;

/**
 * A remote record as `applyRemote` accepts it from any caller: metadata must be JSON
 * values (`z.json()`), because a caller may hand over objects that never were JSON.
 */
export const RemoteRecords = z.array(AgentInfo.extend({ metadata: z.record(z.string(), z.json()) }));

/**
 * One remote record parsed where its bytes arrive (the remote link parses each KV value
 * with it, once), for `applyRemoteParsed`, which trusts it and checks nothing again.
 *
 * - The AgentInfo schema with `location: 'remote'`, compiled ahead of time with
 *   `z.compile`: about 0.4 µs a record instead of several µs for the interpreted parse.
 * - Metadata is `z.record(z.string(), z.unknown())`: a value that came out of `JSON.parse`
 *   is JSON by construction, so the recursive `z.json()` check would add nothing there
 *   (and it cannot be compiled).
 * - The brand makes the trust checkable: only this parser's output (or a deliberate cast)
 *   has the type `applyRemoteParsed` takes.
 */
export const RemoteRecord = z.compile(AgentInfo.extend({ location: z.literal('remote') }).brand<'RemoteRecord'>());
export type RemoteRecord = z.output<typeof RemoteRecord>;
export const RemoteRevision = z.number().int().nonnegative();
export const AgentRefs = z.array(AgentRef);
export const OptionalLoad = AgentLoad.optional();
export const OptionalStatus = AgentStatus.optional();
export const OptionalMetadata = Metadata.optional();
export const OptionalQuery = AgentQuery.optional();
export { AgentQuery, AgentRef, AgentStatus, SelectionStrategy };
