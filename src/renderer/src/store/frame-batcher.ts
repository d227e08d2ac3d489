/**
 * Coalesces work to at most one flush per animation frame.
 *
 * Contract events can arrive hundreds of times a second; the store must change at most
 * once per frame. `request()` asks for a flush; further requests before the frame are
 * free. The scheduler is injected so tests can drive frames by hand.
 */
export interface FrameScheduler {
  schedule(callback: () => void): number;
  cancel(handle: number): void;
}

/** The browser's animation-frame scheduler. */
export const animationFrameScheduler: FrameScheduler = {
  schedule: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export class FrameBatcher {
  private handle: number | null = null;

  constructor(
    private readonly flush: () => void,
    private readonly scheduler: FrameScheduler = animationFrameScheduler,
  ) {}

  /** Asks for a flush on the next frame; a no-op if one is already scheduled. */
  request(): void {
    if (this.handle !== null) return;
    this.handle = this.scheduler.schedule(() => {
      this.handle = null;
      this.flush();
    });
  }

  /** True while a flush is waiting for its frame. */
  get pending(): boolean {
    return this.handle !== null;
  }

  /** Drops a scheduled flush (the buffer keeps its contents). */
  cancel(): void {
    if (this.handle === null) return;
    this.scheduler.cancel(this.handle);
    this.handle = null;
  }
}
