/**
 * The tokenizer of the BM25 index: text → the terms a document is indexed under and a query is
 * matched by. Documents and queries go through the same function, so whatever it does to a word it
 * does on both sides; the rules only have to be consistent, not linguistically right.
 *
 * What it does, in order:
 * - NFKC-normalizes (ligatures, full-width forms) and lowercases with `toLowerCase`, which is
 *   locale-independent (`toLocaleLowerCase` is not).
 * - Cuts the text into runs of letters, digits, combining marks and underscores (Unicode aware);
 *   everything else separates. Apostrophes separate too (`don't` → `don`, `t`).
 * - Keeps identifiers findable by their parts: a run with several camelCase or snake_case parts
 *   yields the whole run and each part (before stemming: `parseConfig` → `parseconfig`, `parse`, `config`;
 *   `snake_case` → `snake_case`, `snake`, `case`). Digits stay with the letters before them
 *   (`utf8`, `HTTP2Response` → `http2response`, `http2`, `response`). Hex strings (commit SHAs) and
 *   runs with more than {@link MAX_PARTS} parts (base64 noise) yield the whole run only.
 * - Drops non-CJK runs longer than {@link MAX_RUN_CHARS} (minified code, base64 blobs), one-character
 *   terms and a short English stopword list. Numbers of two or more digits are kept on purpose:
 *   error codes, ports and issue numbers (`404`, `8080`, `1234`) are what people search for.
 * - Han, Hiragana and Katakana have no spaces between words: such a run yields its overlapping
 *   character bigrams (a lone character yields itself), the usual CJK treatment for BM25.
 * - Stems plain `[a-z]` words lightly and deterministically ({@link stemTerm}), so "crashes" and
 *   "crash", "configuring" and "configure" meet. Terms are stems, not words: `parseConfig` is
 *   indexed as `parseconfig`, `pars`, `config`, and the query "parse" looks for `pars`.
 *
 * Work is linear in the length of the text. Bump {@link LEXICAL_TERMS_VERSION} whenever the output
 * of this function changes: a saved BM25 index records it and is rebuilt when it differs.
 */
export const LEXICAL_TERMS_VERSION = 1;

/** Runs longer than this (UTF-16 units) are skipped whole: no identifier is that long, noise is. */
export const MAX_RUN_CHARS = 64;

/** A run that splits into more parts than this is indexed as a whole only. */
export const MAX_PARTS = 8;

const RUN = /[\p{L}\p{N}\p{M}_]+/gu;
const CJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const CJK_SPLIT = /([\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]+)/u;
/**
 * The parts of one underscore-free segment, on the original casing: an acronym before a capitalized
 * word (`HTTP` in `HTTPServer`), a capitalized or lowercase word, an all-caps word, each with the
 * digits that follow it, a number, and any other letters (scripts without case).
 */
const CAMEL_PART = /\p{Lu}+(?=\p{Lu}\p{Ll})|\p{Lu}?[\p{Ll}\p{M}]+\p{N}*|\p{Lu}[\p{Lu}\p{M}]*\p{N}*|\p{N}+|[\p{L}\p{M}]+/gu;
/** Lowercase letters only (the common case): one part, no splitting to do. */
const SIMPLE_WORD = /^[\p{Ll}\p{M}]+$/u;
const HEX_WITH_DIGIT = /^(?=[a-f]*\d)[0-9a-f]{7,}$/;

const STOPWORDS: ReadonlySet<string> = new Set([
  'a', 'about', 'after', 'all', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at', 'be', 'because',
  'been', 'before', 'being', 'both', 'but', 'by', 'can', 'could', 'did', 'do', 'does', 'doing', 'each',
  'few', 'for', 'from', 'had', 'has', 'have', 'having', 'he', 'her', 'here', 'hers', 'him', 'his', 'how',
  'i', 'if', 'in', 'into', 'is', 'it', 'its', 'itself', 'just', 'me', 'more', 'most', 'my', 'no', 'nor',
  'not', 'of', 'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'own', 'same', 'she', 'should', 'so',
  'some', 'such', 'than', 'that', 'the', 'their', 'theirs', 'them', 'then', 'there', 'these', 'they',
  'this', 'those', 'through', 'to', 'too', 'us', 'very', 'was', 'we', 'were', 'what', 'when', 'where',
  'which', 'while', 'who', 'whom', 'why', 'will', 'with', 'would', 'you', 'your', 'yours',
  // What the apostrophe split leaves of contractions.
  'aren', 'couldn', 'didn', 'doesn', 'don', 'hadn', 'hasn', 'haven', 'isn', 'll', 're', 've', 'shouldn',
  'wasn', 'weren', 'won', 'wouldn',
]);

/**
 * Terms of recently seen runs. Prose repeats its words, so most runs are found here and skip the
 * splitting and stemming. Bounded: emptied when full. The function stays pure (same text, same terms).
 */
const RUN_CACHE = new Map<string, readonly string[]>();
const RUN_CACHE_LIMIT = 50_000;

/** The terms of `text`, in order, repeated as often as they occur (BM25 counts them). */
export function lexicalTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.normalize('NFKC').matchAll(RUN)) {
    const run = match[0];
    let runTerms = RUN_CACHE.get(run);
    if (runTerms === undefined) {
      runTerms = termsOfRun(run);
      if (run.length <= MAX_RUN_CHARS) {
        if (RUN_CACHE.size >= RUN_CACHE_LIMIT) RUN_CACHE.clear();
        RUN_CACHE.set(run, runTerms);
      }
    }
    for (const term of runTerms) terms.push(term);
  }
  return terms;
}

function termsOfRun(run: string): string[] {
  const terms: string[] = [];
  const trimmed = trimUnderscores(run);
  if (!CJK.test(trimmed)) {
    pushRun(trimmed, terms);
    return terms;
  }
  for (const piece of trimmed.split(CJK_SPLIT)) {
    if (CJK.test(piece)) pushBigrams(piece, terms);
    else pushRun(trimUnderscores(piece), terms);
  }
  return terms;
}

/** One run without CJK: the whole run, then (for compounds) its segments and parts. */
function pushRun(run: string, terms: string[]): void {
  if (run.length === 0 || run.length > MAX_RUN_CHARS) return;
  const whole = run.toLowerCase();
  pushTerm(whole, terms);
  if (SIMPLE_WORD.test(run) || HEX_WITH_DIGIT.test(whole)) return;
  const segments = run.split('_').filter((segment) => segment.length > 0);
  const partsOfSegments = segments.map((segment) => Array.from(segment.matchAll(CAMEL_PART), (m) => m[0]));
  const partCount = partsOfSegments.reduce((sum, parts) => sum + parts.length, 0);
  if (partCount <= 1 || partCount > MAX_PARTS) return;
  segments.forEach((segment, i) => {
    const parts = partsOfSegments[i] ?? [];
    if (segments.length > 1) pushTerm(segment.toLowerCase(), terms);
    if (parts.length > 1) for (const part of parts) pushTerm(part.toLowerCase(), terms);
  });
}

function pushTerm(lowercase: string, terms: string[]): void {
  if (lowercase.length < 2 || STOPWORDS.has(lowercase)) return;
  terms.push(stemTerm(lowercase));
}

function pushBigrams(run: string, terms: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) {
    terms.push(run);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) terms.push(`${chars[i]}${chars[i + 1]}`);
}

function trimUnderscores(run: string): string {
  let start = 0;
  let end = run.length;
  while (start < end && run.charCodeAt(start) === 0x5f) start++;
  while (end > start && run.charCodeAt(end - 1) === 0x5f) end--;
  return run.slice(start, end);
}

/** Words the suffix rules would damage or split from their family (`string` is not `str` + `ing`). */
const NOT_STEMMED: ReadonlySet<string> = new Set([
  'alias', 'always', 'atlas', 'bias', 'bring', 'canvas', 'ceiling', 'during', 'embed', 'evening',
  'everything', 'anything', 'king', 'morning', 'nothing', 'ping', 'ring', 'sing', 'something', 'spring',
  'sting', 'string', 'swing', 'thing', 'wing',
]);

const MIN_STEM = 3;
const VOWEL = /[aeiouy]/;

/**
 * A light suffix stemmer for lowercase ASCII words (anything else is returned as is):
 * 1. plurals: `-sses` → `-ss`, `-ies`/`-ied` → `-y`, otherwise a final `s` (not after `s`, `u`, `i`);
 * 2. `-ing` and `-ed` (not `-eed`) when a stem of at least three letters with a vowel is left,
 *    then a doubled final consonant other than l, s, z is undoubled (`running` → `run`);
 * 3. a final `e` (not `-ee`) when at least three letters are left, so that `configure` and
 *    `configuring` (→ `configur`), `crashes` and `crash` meet.
 * Words in a short exception list are left alone. Each step runs at most once, so the cost is
 * constant per word.
 */
export function stemTerm(word: string): string {
  if (word.length <= MIN_STEM || !/^[a-z]+$/.test(word) || NOT_STEMMED.has(word)) return word;
  let stem = stripPlural(word);
  if (NOT_STEMMED.has(stem)) return stem;
  stem = stripVerbEnding(stem);
  if (stem.endsWith('e') && !stem.endsWith('ee') && stem.length > MIN_STEM) stem = stem.slice(0, -1);
  return stem;
}

function stripPlural(word: string): string {
  if (word.endsWith('sses')) return word.slice(0, -2);
  if ((word.endsWith('ies') || word.endsWith('ied')) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !/[sui]s$/.test(word)) return word.slice(0, -1);
  return word;
}

function stripVerbEnding(word: string): string {
  let stem: string;
  if (word.endsWith('ing')) stem = word.slice(0, -3);
  else if (word.endsWith('ed') && !word.endsWith('eed')) stem = word.slice(0, -2);
  else return word;
  if (stem.length < MIN_STEM || !VOWEL.test(stem)) return word;
  const last = stem[stem.length - 1] ?? '';
  if (last === stem[stem.length - 2] && !/[aeiouylsz]/.test(last) && stem.length > MIN_STEM) return stem.slice(0, -1);
  return stem;
}
