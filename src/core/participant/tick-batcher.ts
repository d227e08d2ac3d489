/**
 * Gathers items and hands them over once per turn of the event loop, so a burst of
 * messages is one event for the UI, like `messages.routed`.
 */
export class TickBatcher<T> {
  private items: T[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly emit: (items: T[]) => void) {}

  push(item: T): void {
    this.items.push(item);
    this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Hands over what is gathered now (close calls it so nothing is lost). */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    try {
      this.emit(items);
    } catch (error) {
      console.error('[switchyard] batch listener failed:', error);
    }
  }
}
