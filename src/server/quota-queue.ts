/**
 * One user's quota-counted writes, one after another.
 *
 * The agents-per-user quota is checked against the registry, then the new record is
 * written; two requests of one user in flight together (an agent's registration and the
 * worker it asks for, a desktop registering several agents) could both pass the check
 * before either write landed, and go over the quota. This coordinator runs such a check
 * and its write for a user only after the previous one of that user settled. (Requests
 * answered by two coordinators at once are not ordered by this; docs/coordinator.md.)
 */
export class QuotaQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `write` after every earlier one of `user` has settled; resolves or rejects as it does. */
  run<T>(user: string, write: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(user) ?? Promise.resolve();
    const result = previous.then(write, write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(user, tail);
    void tail.then(() => {
      if (this.tails.get(user) === tail) this.tails.delete(user);
    });
    return result;
  }
}
