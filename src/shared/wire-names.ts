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

/** Where the local registry places a name: one of ours, someone else's, or unknown. */
export type NameLookup = (candidate: string) => 'here' | 'elsewhere' | undefined;

/**
 * The local name of an agent addressed on NATS: the wire name itself when a local agent
 * holds it (it was named with the prefix), otherwise the name without the prefix — unless
 * that name belongs to an agent elsewhere (say a team agent `echo`), which a message for
 * `alice.echo` must never reach: then the wire name stays, and the message waits for it.
 */
export function localNameOf(user: string | undefined, name: string, lookup: NameLookup): string {
  if (user === undefined || !name.startsWith(`${user}.`) || lookup(name) === 'here') return name;
  const stripped = name.slice(user.length + 1);
  return lookup(stripped) === 'elsewhere' ? name : stripped;
}
