/** Unsigned LEB128: 7 bits a byte, low bits first, the high bit set on every byte but the last. */
export class VarintWriter {
  #bytes: Uint8Array;
  #used = 0;

  constructor(expectedBytes: number) {
    this.#bytes = new Uint8Array(Math.max(16, expectedBytes));
  }

  /** `value`: an integer from 0 to 2^32 − 1. */
  write(value: number): void {
    if (this.#used + 5 > this.#bytes.length) {
      const grown = new Uint8Array(2 * this.#bytes.length);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.#bytes[this.#used++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.#bytes[this.#used++] = rest;
  }

  toBase64(): string {
    return Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset, this.#used).toString('base64');
  }
}

export class VarintReader {
  #at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly corrupt: (why: string) => Error,
  ) {}

  get atEnd(): boolean {
    return this.#at === this.bytes.length;
  }

  /** The next value; throws when the bytes end inside one or it does not fit in 32 bits. */
  read(): number {
    let value = 0;
    for (let shift = 1; shift <= 0x10000000; shift *= 0x80) {
      if (this.#at >= this.bytes.length) throw this.corrupt('documents ends in the middle of a document');
      const byte = this.bytes[this.#at++] ?? 0;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) {
        if (value > 0xffff_ffff) break;
        return value;
      }
    }
    throw this.corrupt(`documents holds a number that does not fit in 32 bits at byte ${this.#at}`);
  }
}
