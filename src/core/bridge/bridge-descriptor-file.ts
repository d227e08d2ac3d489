/**
 * Publishes a host's bridge descriptor (`<data>/bridge.json`, 0600) and takes it back.
 *
 * Two hosts may share a data folder: the one that started last owns the file, and a
 * host that quits removes it only while it still holds its own token, so it never
 * deletes the descriptor of the host that is still running.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BridgeDescriptor } from '../../shared/bridge-descriptor.js';
import { BRIDGE_DESCRIPTOR_FILE, BridgeDescriptor as DescriptorSchema } from '../../shared/bridge-descriptor.js';
import { writePrivateFile } from '../private-files.js';

export interface PublishedDescriptor {
  file: string;
  /** Removes the file if it is still this host's. */
  remove(): void;
}

export function publishBridgeDescriptor(dataDir: string, descriptor: BridgeDescriptor): PublishedDescriptor {
  const file = join(dataDir, BRIDGE_DESCRIPTOR_FILE);
  writePrivateFile(file, JSON.stringify(descriptor));
  return {
    file,
    remove() {
      if (readToken(file) === descriptor.token) rmSync(file, { force: true });
    },
  };
}

function readToken(file: string): string | undefined {
  try {
    return DescriptorSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))).data?.token;
  } catch {
    return undefined;
  }
}
