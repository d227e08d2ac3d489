/**
 * A member's agents on the wire: `<user>.<name>`.
 *
 * A member's NATS permissions fence its heartbeats and inboxes by the user prefix
 * (docs/nats.md), so a desktop signed in as `alice` registers, heartbeats and sends for
 * its local `echo` as `alice.echo`, and hands `alice.echo`'s messages to `echo`. Local
 * names stay as they are: manifests, the UI and the local registry never see the prefix.
 * A local name that already carries the prefix is used as is.
 */

/** The name a local agent has on NATS; unchanged without a NATS user. */
export function wireName(user: string | undefined, name: string): string {
  if (user === undefined || name.startsWith(`${user}.`)) return name;
  return `${user}.${name}`;
}

/**
 * The local name of an agent addressed on NATS: the wire name itself when a local agent
 * holds it (it was named with the prefix), otherwise the name without the prefix.
 */
export function localNameOf(user: string | undefined, name: string, isLocal: (candidate: string) => boolean): string {
  if (user === undefined || !name.startsWith(`${user}.`) || isLocal(name)) return name;
  return name.slice(user.length + 1);
}
