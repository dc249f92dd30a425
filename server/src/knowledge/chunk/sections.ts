import type { MarkdownBlock } from './markdownBlocks';
import { githubSlugOfText, inlineMarkdownToText } from './slug';

/** The blocks under one heading, up to the next heading of any level. */
export interface Section {
  /** Headings above and including this one, outermost first, as plain text; [] before the first heading. */
  headingPath: string[];
  /** GitHub's anchor of this section's heading; null before the first heading. */
  anchor: string | null;
  /** The heading block itself; null for the text before the first heading. */
  heading: MarkdownBlock | null;
  /** The non-blank blocks under the heading, in order. */
  blocks: MarkdownBlock[];
}

/**
 * Headings longer than this are cut for the heading path and the anchor (a heading is a line of a
 * stranger's file: it can be megabytes long). Real headings are far shorter, so anchors still match GitHub's.
 */
const MAX_HEADING_CHARS = 300;

/**
 * The second stage of the chunker: groups the scanned blocks into sections, one per heading, each
 * with its heading path (a heading pops every open heading of its level or deeper off the path)
 * and its anchor (duplicates get -1, -2, … in document order, as on GitHub).
 */
export function splitIntoSections(blocks: readonly MarkdownBlock[]): Section[] {
  const sections: Section[] = [];
  const open: Array<{ level: number; text: string }> = [];
  const seen = new Map<string, number>();
  let current: Section = { headingPath: [], anchor: null, heading: null, blocks: [] };
  for (const block of blocks) {
    if (block.kind === 'blank') continue;
    if (block.kind !== 'heading') {
      current.blocks.push(block);
      continue;
    }
    if (current.heading !== null || current.blocks.length > 0) sections.push(current);
    const level = block.level ?? 1;
    const text = inlineMarkdownToText((block.heading ?? '').slice(0, MAX_HEADING_CHARS));
    while (open.length > 0 && open.at(-1)!.level >= level) open.pop();
    open.push({ level, text: text.replace(/\s+/g, ' ') });
    const slug = githubSlugOfText(text, seen);
    current = { headingPath: open.map((h) => h.text), anchor: slug === '' ? null : slug, heading: block, blocks: [] };
  }
  if (current.heading !== null || current.blocks.length > 0) sections.push(current);
  return sections;
}
