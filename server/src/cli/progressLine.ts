/**
 * One line of progress on standard error while the model loads or downloads. On a terminal it is
 * redrawn in place; otherwise each new message is a line of its own (so logs stay readable).
 */
export class ProgressLine {
  private shown = '';

  constructor(private readonly stream: NodeJS.WriteStream | { write(text: string): boolean; isTTY?: boolean }) {}

  update(message: string): void {
    if (message === this.shown) return;
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${message}`);
    } else {
      this.stream.write(`${message}\n`);
    }
    this.shown = message;
  }

  /** Removes the line before other output goes to the terminal. */
  clear(): void {
    if (this.shown !== '' && this.stream.isTTY) this.stream.write('\r\x1b[2K');
    this.shown = '';
  }
}
