/**
 * The bridge descriptor: how a local client (the CLI) finds a running core.
 *
 * Both hosts, the desktop app and the headless host, write `<data>/bridge.json`
 * (owner-only) when their bridge listens and remove it when they quit; the CLI reads it
 * from the same data folder (src/shared/data-dir.ts). docs/configuration.md.
 */
import { z } from 'zod';

/** The descriptor's file name inside the data folder. */
export const BRIDGE_DESCRIPTOR_FILE = 'bridge.json';

export const BridgeDescriptor = z.object({
  /** The page URL with its token (`http://127.0.0.1:<port>/?token=…`); the bridge is `/bridge` on it. */
  url: z.url(),
  port: z.number().int().min(1).max(65_535).optional(),
  token: z.string().min(1),
  /** The host's process, so a client can tell a stale file from a running host. */
  pid: z.number().int().positive().optional(),
  /** Which host wrote it; absent in files written before the desktop had a bridge. */
  host: z.enum(['electron', 'headless']).optional(),
});
export type BridgeDescriptor = z.infer<typeof BridgeDescriptor>;
