/**
 * Coalesces render requests to at most one callback per animation frame. Messages push changes and
 * call `request()`; the callback draws the latest state. If the callback returns false (work left,
 * e.g. a long draft rendered in slices) it runs again on the next frame.
 */
export class FrameScheduler {
  private pending = false;

  constructor(
    private readonly draw: () => boolean,
    private readonly nextFrame: (callback: () => void) => void = (callback) => {
      requestAnimationFrame(callback);
    },
  ) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    this.nextFrame(() => {
      this.pending = false;
      if (!this.draw()) this.request();
    });
  }
}
