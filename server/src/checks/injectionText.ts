/**
 * Text handling for the prompt-injection screening (`injection.ts`): the normalised form the rules
 * match on, with a map back to the raw text; the look-alike letters; the invisible characters and
 * which of them are suspicious; and the short, escaped excerpts findings carry.
 */

/** A lower-cased, folded copy of a text and, per UTF-16 unit of it, the raw range it came from. */
export interface NormalizedText {
  text: string;
  rawStart: Int32Array;
  rawEnd: Int32Array;
}

/**
 * Letters of other scripts that render like Latin ones (Unicode's confusables, the ones attackers
 * use), folded to the Latin letter for matching. Also typographic quotes and dashes.
 */
const FOLD: ReadonlyMap<number, string> = new Map(
  Object.entries({
    // Cyrillic
    а: 'a', в: 'b', е: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ԛ: 'q', ԝ: 'w',
    һ: 'h', ӏ: 'l', ү: 'y', к: 'k', м: 'm', н: 'h', т: 't', п: 'n', г: 'r', ь: 'b',
    А: 'a', В: 'b', Е: 'e', Ё: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', І: 'i', Ї: 'i',
    Ј: 'j', Ѕ: 's', Ԁ: 'd', Ԛ: 'q', Ԝ: 'w', Ү: 'y', Ӏ: 'l', Һ: 'h',
    // Greek
    α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y', ω: 'w',
    Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'i', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
    // Armenian
    օ: 'o', ս: 'u', ո: 'n', հ: 'h', ց: 'g',
    // Latin look-alikes NFKD keeps
    ı: 'i', ɑ: 'a', ɡ: 'g', ʏ: 'y', ȷ: 'j',
    // punctuation
    '\u2018': "'", '\u2019': "'", '\u02BC': "'", '\u2032': "'", '\u201C': '"', '\u201D': '"', '\u2033': '"',
    '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  }).map(([ch, latin]) => [ch.codePointAt(0)!, latin]),
);

/**
 * Cyrillic, Greek and Armenian letters that are indistinguishable from a Latin letter in common
 * fonts (a subset of FOLD: `т`, `н`, `к`, `п` only resemble small capitals or italics and fold for
 * matching, but a Russian word holding them is not disguised as Latin).
 */
const LOOK_ALIKE = new Set([...'аеорсухѕіјԁһӏүԛԝїёАВЕКМНОРСТУХІЈЅԀҮӀҺԚԜαικνορυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧօսոհ'].map((ch) => ch.codePointAt(0)!));

/** A non-Latin letter that looks exactly like a Latin one: a word mixing it with Latin letters is a homoglyph trick. */
export function isLookAlikeLetter(cp: number): boolean {
  return LOOK_ALIKE.has(cp);
}

/** The lower-case ASCII a letter folds to (look-alikes, fullwidth and mathematical letters, accents). */
export function foldLetter(cp: number): string {
  return foldCodePoint(cp);
}

const foldCache = new Map<number, string>();

function foldCodePoint(cp: number): string {
  const cached = foldCache.get(cp);
  if (cached !== undefined) return cached;
  const folded =
    FOLD.get(cp) ??
    String.fromCodePoint(cp)
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase();
  if (foldCache.size < 10_000) foldCache.set(cp, folded);
  return folded;
}

/** Markdown emphasis that can split a phrase (`**ignore** all …`): dropped from the normalised text. */
const EMPHASIS = new Set([0x2a, 0x7e, 0x60]);
const WHITESPACE = /\s/;

/**
 * NFKD with marks stripped (so NFKC's compatibility folds and more: fullwidth, mathematical and
 * accented letters become ASCII), confusables folded to Latin, lower case, invisible characters
 * removed (Unicode tag characters decoded to the ASCII they hide), Markdown emphasis dropped and
 * whitespace runs collapsed to one space (a newline when the run holds one).
 */
export function normalizeForMatching(raw: string): NormalizedText {
  const units: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (out: string, start: number, end: number) => {
    for (let k = 0; k < out.length; k++) {
      units.push(out[k]!);
      starts.push(start);
      ends.push(end);
    }
  };
  for (let i = 0; i < raw.length; ) {
    const cp = raw.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const end = i + size;
    if (cp >= 0xe0020 && cp <= 0xe007e) {
      emit(String.fromCharCode(cp - 0xe0000).toLowerCase(), i, end);
    } else if (invisibleKind(cp) !== null || EMPHASIS.has(cp)) {
      // dropped
    } else if (cp < 0x80 ? cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) : WHITESPACE.test(String.fromCodePoint(cp))) {
      const newline = cp === 0x0a;
      const last = units.length - 1;
      if (last >= 0 && (units[last] === ' ' || units[last] === '\n')) {
        if (newline) units[last] = '\n';
        ends[last] = end;
      } else {
        emit(newline ? '\n' : ' ', i, end);
      }
    } else if (cp < 0x80) {
      emit(cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : String.fromCharCode(cp), i, end);
    } else {
      emit(foldCodePoint(cp), i, end);
    }
    i = end;
  }
  return { text: units.join(''), rawStart: Int32Array.from(starts), rawEnd: Int32Array.from(ends) };
}

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };

/**
 * The normalised text with digits and symbols inside words read as letters (`1gn0re` → `ignore`),
 * the same length so the map still holds; only words that mix letters with them change.
 */
export function leetVariant(normalized: string): string {
  // One linear pass over runs of word characters; only runs holding both a letter and a digit/symbol change.
  return normalized.replace(/[a-z0-9@$!|]+/g, (word) => (/[a-z]/.test(word) && /[0-9@$!|]/.test(word) ? word.replace(/[0-9@$!|]/g, (ch) => LEET[ch] ?? ch) : word));
}

// --- invisible characters -----------------------------------------------------------------------

/**
 * - `bidi`: embeddings, overrides and isolates (U+202A–202E, U+2066–2069): reorder what is shown.
 * - `tag`: Unicode tag characters (U+E0000–E007F): invisible ASCII, legitimate only in flag emoji.
 * - `mark`: LRM, RLM, ALM: legitimate in right-to-left text.
 * - `joiner`: ZWJ, ZWNJ: legitimate in emoji sequences and joining scripts.
 * - `selector`: variation selectors: one after a character is legitimate (a doubled emoji selector
 *   is sloppy copy-paste); long runs smuggle data, one byte a selector.
 * - `zero-width`: ZWSP, word joiner, invisible operators, BOM inside text, fillers, CGJ, soft hyphen.
 */
export type InvisibleKind = 'bidi' | 'tag' | 'mark' | 'joiner' | 'selector' | 'zero-width' | 'soft-hyphen';

export function invisibleKind(cp: number): InvisibleKind | null {
  if (cp < 0xad) return null;
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return 'bidi';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if (cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'mark';
  if (cp === 0x200c || cp === 0x200d) return 'joiner';
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || (cp >= 0x180b && cp <= 0x180d) || cp === 0x180f) return 'selector';
  if (cp === 0xad) return 'soft-hyphen';
  if (
    cp === 0x200b ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    (cp >= 0x206a && cp <= 0x206f) ||
    cp === 0xfeff ||
    cp === 0x180e ||
    cp === 0x034f ||
    cp === 0x115f ||
    cp === 0x1160 ||
    cp === 0x3164 ||
    cp === 0xffa0 ||
    cp === 0x17b4 ||
    cp === 0x17b5
  ) {
    return 'zero-width';
  }
  return null;
}

export interface InvisibleScan {
  /** Characters that are suspicious where they stand (see `scanInvisibles`). */
  suspicious: number;
  /** Bidi controls, smuggling tags and selector runs: one is enough to flag. */
  strong: number;
  /** UTF-16 offset of the first suspicious character, -1 when none. */
  first: number;
  /** The ASCII that tag characters spell (outside flag emoji), for the message's sake. */
  hiddenText: string;
  /** The code points seen, for the message (`U+202E`), at most a few. */
  codePoints: number[];
}

const RTL_LETTER = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Emoji_Component}]/u;
const SMALL_SCRIPT = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}\p{P}\p{Zs}]/u;
const BLACK_FLAG = 0x1f3f4;
/** Variation selectors in a row from which each further one counts as smuggling. */
const SELECTOR_RUN = 4;

/**
 * Invisible characters that are not doing a legitimate job: bidi controls; tag characters outside a
 * flag emoji (🏴 + tags + U+E007F); runs of four or more variation selectors; LRM/RLM/ALM in text
 * with no right-to-left letters; ZWJ/ZWNJ not next to an emoji or a letter of a joining script;
 * zero-width spaces, word joiners, fillers and a BOM past the start. Soft hyphens are never counted.
 */
export function scanInvisibles(raw: string): InvisibleScan {
  const scan: InvisibleScan = { suspicious: 0, strong: 0, first: -1, hiddenText: '', codePoints: [] };
  const hasRtl = RTL_LETTER.test(raw);
  let inFlag = false;
  let previous = -1;
  let selectorRun = 0;
  for (let i = 0; i < raw.length; ) {
    const cp = raw.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const kind = invisibleKind(cp);
    if (kind !== 'tag') inFlag = cp === BLACK_FLAG;
    if (kind !== 'selector') selectorRun = 0;
    let suspicious = false;
    let strong = false;
    switch (kind) {
      case 'bidi':
        suspicious = strong = true;
        break;
      case 'tag':
        if (!inFlag) {
          suspicious = strong = true;
          if (cp >= 0xe0020 && cp <= 0xe007e && scan.hiddenText.length < 200) scan.hiddenText += String.fromCharCode(cp - 0xe0000);
        }
        if (cp === 0xe007f) inFlag = false;
        break;
      case 'mark':
        suspicious = !hasRtl;
        break;
      case 'joiner': {
        const next = raw.codePointAt(i + size) ?? -1;
        suspicious = !isJoinerContext(previous) && !isJoinerContext(next);
        break;
      }
      case 'selector':
        selectorRun++;
        suspicious = strong = selectorRun >= SELECTOR_RUN;
        break;
      case 'zero-width':
        suspicious = !(cp === 0xfeff && i === 0);
        break;
      default:
        break;
    }
    if (suspicious) {
      scan.suspicious++;
      if (strong) scan.strong++;
      if (scan.first === -1) scan.first = i;
      if (scan.codePoints.length < 3 && !scan.codePoints.includes(cp)) scan.codePoints.push(cp);
    }
    if (kind === null) previous = cp;
    i += size;
  }
  return scan;
}

/** A neighbour that makes ZWJ/ZWNJ legitimate: an emoji, or a letter of a script that joins (Arabic, Indic, …). */
function isJoinerContext(cp: number): boolean {
  if (cp < 0) return false;
  const ch = String.fromCodePoint(cp);
  return EMOJI.test(ch) || (/\p{L}|\p{M}/u.test(ch) && !SMALL_SCRIPT.test(ch));
}

// --- excerpts -----------------------------------------------------------------------------------

export const MAX_EXCERPT = 120;
/** The matched text itself is cut after this many units; the rest of the room is context around it. */
const MAX_MATCH = 80;
const CONTEXT = 60;

/**
 * A short excerpt of `raw` around [start, end): at most MAX_EXCERPT UTF-16 units, whitespace
 * collapsed, invisible and control characters written as `\u{…}` escapes, `…` where it was cut.
 */
export function excerptAround(raw: string, start: number, end: number): string {
  start = Math.max(0, Math.min(start, raw.length));
  end = Math.min(raw.length, Math.max(end, start + 1));
  // Whole code points only: a cut surrogate pair would show twice or as garbage.
  if (start > 0 && isLowSurrogate(raw.charCodeAt(start))) start--;
  if (end < raw.length && isLowSurrogate(raw.charCodeAt(end))) end++;
  let match = displayTokens(raw, start, end);
  const matchCut = tokensLength(match) > MAX_MATCH;
  if (matchCut) match = takeFirst(match, MAX_MATCH - 1);
  let room = MAX_EXCERPT - tokensLength(match) - (matchCut ? 1 : 0);
  const beforeAll = displayTokens(raw, Math.max(0, start - CONTEXT), start);
  const afterAll = matchCut ? [] : displayTokens(raw, end, Math.min(raw.length, end + CONTEXT));
  const before = takeLast(beforeAll, Math.floor(room / 2) - 1);
  const moreBefore = before.length < beforeAll.length || start > CONTEXT;
  room -= tokensLength(before) + (moreBefore ? 1 : 0);
  const after = takeFirst(afterAll, room - 1);
  const moreAfter = matchCut || after.length < afterAll.length || end + CONTEXT < raw.length;
  const text = (moreBefore ? '…' : '') + before.join('') + match.join('') + after.join('') + (moreAfter ? '…' : '');
  return text.replace(/ {2,}/g, ' ').trim();
}

/** Display tokens of raw[from, to): one per code point, escaped when invisible or a control, whitespace as one space. */
function displayTokens(raw: string, from: number, to: number): string[] {
  if (from > 0 && isLowSurrogate(raw.charCodeAt(from))) from--;
  if (to < raw.length && isLowSurrogate(raw.charCodeAt(to))) to++;
  const tokens: string[] = [];
  for (let i = from; i < to; ) {
    const cp = raw.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const ch = raw.slice(i, i + size);
    if (/\s/.test(ch) && invisibleKind(cp) === null) {
      if (tokens[tokens.length - 1] !== ' ') tokens.push(' ');
    } else if (invisibleKind(cp) !== null || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0x2028 || cp === 0x2029) {
      tokens.push(`\\u{${cp.toString(16).toUpperCase()}}`);
    } else {
      tokens.push(ch);
    }
    i += size;
  }
  return tokens;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function tokensLength(tokens: readonly string[]): number {
  return tokens.reduce((sum, token) => sum + token.length, 0);
}

function takeFirst(tokens: readonly string[], budget: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (const token of tokens) {
    if (used + token.length > budget) break;
    out.push(token);
    used += token.length;
  }
  return out;
}

function takeLast(tokens: readonly string[], budget: number): string[] {
  const out: string[] = [];
  let used = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (used + token.length > budget) break;
    out.unshift(token);
    used += token.length;
  }
  return out;
}
