/**
 * Forwards streamed chunks to a sink in order, the first one at once (it is what the person waits
 * for) and later ones coalesced per `intervalMs`, so a fast model does not post one webview message
 * per token. `flush()` delivers what is pending (call it before the final result).
 */
export class ChunkBatcher {
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sentFirst = false;

  constructor(
    private readonly sink: (text: string) => void,
    private readonly intervalMs = 16,
  ) {}

  push(text: string): void {
    if (text === '') return;
    if (!this.sentFirst) {
      this.sentFirst = true;
      this.sink(text);
      return;
    }
    this.pending += text;
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.sink(text);
  }

  /** Drops what is pending without delivering it (the run was superseded). */
  discard(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = '';
  }
}
