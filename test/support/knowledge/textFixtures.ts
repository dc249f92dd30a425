import type { DocFormat } from '../../../server/src/knowledge/types';

/** Fixtures are written as arrays of lines, so that the line numbers a test asserts can be read off them. */
export function doc(...lines: string[]): string {
  return lines.join('\n');
}

/** The bytes of a file as the crawler reads them: strings are UTF-8 encoded, number arrays are raw (possibly invalid) bytes. */
export function bytes(...parts: Array<string | number[]>): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));
}

/** Keyed by DocFormat so that a format added to the type fails to compile here until the tests cover it. */
const EVERY_FORMAT: Record<DocFormat, true> = { markdown: true, rst: true, asciidoc: true, html: true, text: true };

/** Every DocFormat, for the properties that must hold whatever the format. */
export const DOC_FORMATS: readonly DocFormat[] = Object.keys(EVERY_FORMAT) as DocFormat[];
