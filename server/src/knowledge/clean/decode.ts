/**
 * Bytes of a docs file → text. Files come from strangers' repositories, so nothing here may throw:
 * invalid UTF-8 becomes U+FFFD and is reported, binaries are recognised before decoding.
 */

/** How much of a file `looksBinary` inspects. */
const SNIFF_BYTES = 8192;
/** Share of control bytes above which a file counts as binary. */
const MAX_CONTROL_SHARE = 0.1;

/**
 * Whether the bytes look like a binary file rather than text: a NUL byte in the first 8 KiB, or more
 * than 10% control bytes there (tab, line feed, form feed, carriage return and escape, which logs and
 * plain-text files use, do not count). UTF-16 text with a byte order mark is text.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (utf16Encoding(bytes) !== null) return false;
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) control++;
  }
  return n > 0 && control / n > MAX_CONTROL_SHARE;
}

/**
 * Decodes a text file: UTF-8 (UTF-16 when it starts with a UTF-16 byte order mark), invalid sequences
 * replaced by U+FFFD (`invalidBytes` then says so), the byte order mark dropped, and CRLF and lone CR
 * turned into LF, so that line N of the text is line N as an editor shows it.
 */
export function decodeText(bytes: Uint8Array): { text: string; invalidBytes: boolean } {
  const encoding = utf16Encoding(bytes) ?? 'utf-8';
  let text: string;
  let invalidBytes = false;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    invalidBytes = true;
    text = new TextDecoder(encoding, { fatal: false }).decode(bytes);
  }
  return { text: normalizeNewlines(text), invalidBytes };
}

/** CRLF and lone CR → LF, and a leading byte order mark dropped. Keeps the line count an editor shows. */
export function normalizeNewlines(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutBom.includes('\r') ? withoutBom.replace(/\r\n?/g, '\n') : withoutBom;
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}
