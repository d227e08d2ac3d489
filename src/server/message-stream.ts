/**
 * The message stream: every inbox subject of every repo, kept for replay and traces,
 * with limits so it cannot grow without bound, and a duplicate window so a retried
 * publish with the same `Nats-Msg-Id` is stored once.
 */
import type { NatsConnection, StreamConfig, StreamUpdateConfig } from 'nats.ws';
import { DiscardPolicy, RetentionPolicy, StorageType, nanos } from 'nats.ws';
import { ensureStream } from '../core/remote/index.js';
import { MESSAGE_STREAM, subjects } from '../shared/nats-subjects.js';
import type { StreamSettings } from './config.js';
import type { Logger } from './log.js';

export function messageStreamConfig(settings: StreamSettings): Partial<StreamConfig> & { name: string } {
  return {
    name: MESSAGE_STREAM,
    subjects: [subjects.everyInbox()],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(settings.maxAgeMs),
    max_bytes: settings.maxBytes,
    duplicate_window: nanos(settings.duplicateWindowMs),
  };
}

/** Creates the stream (replicated as jetstream-store.ts decides), or brings an existing one's limits in line with the config. */
export async function ensureMessageStream(nc: NatsConnection, settings: StreamSettings, log: Logger): Promise<void> {
  const wanted = messageStreamConfig(settings);
  const { info, created } = await ensureStream(nc, wanted, { replicas: settings.replicas, log });
  if (created) {
    log.info('message stream created', { stream: MESSAGE_STREAM, replicas: info.config.num_replicas });
    return;
  }
  const c = info.config;
  if (c.max_age !== wanted.max_age || c.max_bytes !== wanted.max_bytes || c.duplicate_window !== wanted.duplicate_window) {
    // The whole config goes back, so what is not changed here (its replicas) stays as it is.
    const jsm = await nc.jetstreamManager();
    await jsm.streams.update(MESSAGE_STREAM, {
      ...(c as StreamUpdateConfig),
      max_age: wanted.max_age,
      max_bytes: wanted.max_bytes,
      duplicate_window: wanted.duplicate_window,
      subjects: wanted.subjects,
    });
    log.info('message stream limits updated', { stream: MESSAGE_STREAM });
  }
}
