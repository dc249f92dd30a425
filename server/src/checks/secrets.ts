import type { SecretFinding } from '../protocol';
import { characterKinds, entropy, entropyFloor, hasRandomShape, isEncodedText, isPlaceholder } from './secretValues';

export { entropy } from './secretValues';

/**
 * Secrets in a reply: tokens and keys a model might reproduce (from its training data, the thread or
 * a hallucination) that must never be posted, logged or kept in history unmasked.
 *
 * Rules, most specific first (when two matches overlap, the more specific one wins, so a token inside
 * a private-key block or a URL is one finding):
 * - `secret.private-key`: `-----BEGIN … PRIVATE KEY-----` to its END line, the whole block (an unclosed
 *   block runs over the base64 lines after the header). A header with under 64 base64 characters of
 *   body (`-----BEGIN RSA PRIVATE KEY-----\n...\n-----END…`) is documentation, not a key.
 * - Known formats: GitHub (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, `github_pat_…`), AWS access key
 *   ids (`AKIA`/`ASIA`/… + 16) and secret keys (40 base64 characters assigned to an aws_secret…/
 *   secret_access_key name), Slack tokens (`xox[abposr]-…`, `xapp-…`) and webhook URLs, Stripe secret
 *   and restricted keys, Google API keys, npm and GitLab tokens, OpenAI and Anthropic keys, and JWTs.
 * - `secret.url-credentials`: the password of `scheme://user:password@host` when it is not a
 *   placeholder and looks like a real password (8+ characters of two or more kinds, none of the
 *   stand-in words `pass`, `secret`, `admin`, `user`, `test`, `key`, `1234`, …).
 * - `secret.high-entropy`, assigned: a printable value without spaces given to a secret-ish name
 *   (`…token`, `…secret`, `password`, `api_key`, `access_key`, `auth…`, `credential…`) with `=`, `:`,
 *   `=>` or `:=`, or after `Bearer `, `Authorization: token ` or a `--flag `. Names about something
 *   else (`token_type`, `author`, `auth_url`, `password_hash`, `next_page_token`) and values that are
 *   references (`process.env.X`, `getToken()`, `ENV_NAME`, paths, URLs) do not count. Hex values need
 *   16+ characters and entropy ≥ min(3.0, 0.7·log2(length)) bits per character (random 16-hex: p5
 *   2.83); other values 12+ characters of two or more kinds (lower, upper, digit, symbol), entropy ≥
 *   0.82·log2(length) and "random shape" (see `hasRandomShape`).
 * - `secret.high-entropy`, standing alone: a run of base64/base64url characters of 32–512 with upper
 *   case, lower case and digits, entropy ≥ 0.82·log2(length) (32 → 4.10, where random base64 has p1
 *   4.2 and p50 4.56) and random shape. Entropy alone cannot tell: identifiers of 32+ characters reach
 *   4.4 (TypeScript's own, p99), but break into long runs. `/` ends a run, so file paths never form
 *   one (a base64 secret holding `/` is found when assigned to a name). Values named as public (`id`,
 *   `sha`, `hash`, `digest`, `integrity`, `signature`, `nonce`, …) and base64 that decodes to
 *   printable text (encoded prose, a JWT header alone) are not secrets.
 *
 * Tuned on the 200 MB of JavaScript, TypeScript, JSON, YAML and Markdown in this repository's
 * node_modules: what still matches there is encoding tables and real-looking example keys in docs.
 *
 * Never flagged: git SHAs and other hex (hex alone is never standalone: SHAs, digests and checksums
 * are hex), UUIDs (no upper case), URLs' paths and hosts (only their credentials and secret-named query
 * parameters count), file paths, `data:` URIs, base64 blobs over 512 characters (images, bundles),
 * PNG/JPEG/GIF base64 openings, SRI and lockfile integrity hashes (`sha512-…`, `h1:…`), public keys
 * and certificates (`-----BEGIN CERTIFICATE-----`, `ssh-rsa AAAA…`) and ordinary identifiers.
 *
 * Placeholders are exempt: AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `wJalr…EXAMPLEKEY`),
 * Stripe's documented test keys and jwt.io's example token; values with template syntax (`<your-token>`,
 * `${TOKEN}`, `{{ secrets.X }}`, `%TOKEN%`, `$TOKEN`, an `ENV_NAME` in capitals); values containing
 * `example`, `sample`, `dummy`, `fake`, `placeholder`, `redacted`, `your`, `changeme`, `xxxx` or
 * `****`; values of at most 3 distinct characters (`ghp_xxxx…`, `AAAA…`, `0000…`); values with an
 * ascending or descending run of 6 (`123456`, `abcdef`).
 *
 * Offsets are UTF-16 offsets into the text; every scan is a linear pass (bounded quantifiers, no nested
 * repetition), so hostile input of megabytes is scanned in linear time.
 */

/** `masked` is at most this long: the secret's length is preserved up to it. */
const MASK_CAP = 40;
/** A private-key block's END must come within this many characters of its BEGIN (an RSA-4096 PEM is ~3,300). */
const MAX_KEY_BLOCK = 16_384;
const MIN_KEY_BODY = 64;

interface Candidate {
  ruleId: string;
  message: string;
  start: number;
  end: number;
  /** Lower wins an overlap. */
  priority: number;
  /** A placeholder or documented example: not reported, but no later rule may flag what it covers. */
  exempt?: true;
}

/** Every secret in `text`, sorted by offset, none overlapping another. */
export function findSecrets(text: string): SecretFinding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const candidates = [
    ...privateKeys(text),
    ...knownFormats(text),
    ...urlCredentials(text),
    ...assignedSecrets(text),
    ...standaloneSecrets(text),
  ];
  candidates.sort((a, b) => a.priority - b.priority || a.start - b.start || b.end - a.end);
  const covered = new Uint8Array(text.length);
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    if (isCovered(covered, candidate)) continue;
    covered.fill(1, candidate.start, candidate.end);
    if (candidate.exempt !== true) kept.push(candidate);
  }
  kept.sort((a, b) => a.start - b.start);
  const findings: SecretFinding[] = [];
  let line = 1;
  let scanned = 0;
  for (const { ruleId, message, start, end } of kept) {
    for (let i = text.indexOf('\n', scanned); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) line++;
    scanned = start;
    findings.push({ ruleId, message, offset: start, length: end - start, line, masked: maskSecret(text.slice(start, end)) });
  }
  return findings;
}

/**
 * `text` with every secret replaced by its masked form (for logs and history). `findings` defaults to
 * `findSecrets(text)`; findings that do not fit the text or overlap an earlier one are skipped.
 */
export function maskSecrets(text: string, findings: readonly SecretFinding[] = findSecrets(text)): string {
  if (typeof text !== 'string') return '';
  const ordered = [...findings].filter((f) => Number.isInteger(f.offset) && Number.isInteger(f.length) && f.offset >= 0 && f.length > 0 && f.offset + f.length <= text.length);
  ordered.sort((a, b) => a.offset - b.offset);
  const parts: string[] = [];
  let at = 0;
  for (const finding of ordered) {
    if (finding.offset < at) continue;
    parts.push(text.slice(at, finding.offset), maskSecret(text.slice(finding.offset, finding.offset + finding.length)));
    at = finding.offset + finding.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** The first ≤ 4 characters (never more than a quarter) then `*`s, as long as the secret up to MASK_CAP. */
export function maskSecret(secret: string): string {
  const keep = Math.min(4, Math.floor(secret.length / 4));
  return secret.slice(0, keep) + '*'.repeat(Math.max(0, Math.min(secret.length, MASK_CAP) - keep));
}

function isCovered(covered: Uint8Array, { start, end }: Candidate): boolean {
  for (let i = start; i < end; i++) if (covered[i] === 1) return true;
  return false;
}

// --- private keys -------------------------------------------------------------------------------

const KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const KEY_END = /-----END (?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
const BASE64_CHAR = /[A-Za-z0-9+/=]/;

function privateKeys(text: string): Candidate[] {
  if (!text.includes('PRIVATE KEY')) return [];
  const ends = [...text.matchAll(KEY_END)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const found: Candidate[] = [];
  let endIndex = 0;
  KEY_BEGIN.lastIndex = 0;
  for (let m = KEY_BEGIN.exec(text); m !== null; m = KEY_BEGIN.exec(text)) {
    const start = m.index;
    const bodyStart = start + m[0].length;
    while (endIndex < ends.length && ends[endIndex]!.start < bodyStart) endIndex++;
    const close = ends[endIndex];
    let bodyEnd: number;
    let end: number;
    if (close !== undefined && close.start - start <= MAX_KEY_BLOCK) {
      bodyEnd = close.start;
      end = close.end;
    } else {
      bodyEnd = end = unclosedBodyEnd(text, bodyStart);
    }
    KEY_BEGIN.lastIndex = Math.max(end, bodyStart);
    const body = text.slice(bodyStart, bodyEnd);
    if (!isKeyBody(body)) continue;
    const kind = (m[1] ?? '').trim();
    found.push({ ruleId: 'secret.private-key', message: `${kind === '' ? 'a' : `a ${kind}`} private key block`, start, end, priority: 0 });
  }
  return found;
}

/** A PEM header field (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`) at the start of a line. */
const PEM_FIELD = /[ \t]*[A-Za-z-]{3,20}: [^\n]{0,200}/y;
/** Characters of a key's body line, also when it is quoted in code or JSON (`"MIIE…\n",`). */
const BODY_CHAR = /[A-Za-z0-9+/= \t\r"'`,\\]/;

/**
 * The end of the body lines after an unclosed BEGIN line: lines of base64 (quoted or not), PEM
 * header fields and blank lines, up to the first other line. Scans character by character and stops
 * at the first that does not belong, so a hostile run of headers costs no more than its length.
 */
function unclosedBodyEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_KEY_BLOCK);
  let end = from;
  for (let at = from; at < limit; ) {
    let i = at;
    let base64 = 0;
    PEM_FIELD.lastIndex = at;
    if (at > from && PEM_FIELD.test(text)) {
      i = PEM_FIELD.lastIndex;
    } else {
      for (; i < limit && BODY_CHAR.test(text[i]!); i++) if (BASE64_CHAR.test(text[i]!)) base64++;
    }
    if (i < limit && text[i] !== '\n') break;
    if (base64 > 0) end = i;
    at = i + 1;
  }
  return end;
}

function isKeyBody(body: string): boolean {
  let count = 0;
  const distinct = new Set<string>();
  for (const ch of body) {
    if (!BASE64_CHAR.test(ch)) continue;
    count++;
    if (distinct.size < 8) distinct.add(ch);
  }
  return count >= MIN_KEY_BODY && distinct.size >= 8;
}

// --- known formats ------------------------------------------------------------------------------

interface FormatRule {
  ruleId: string;
  message: string;
  pattern: RegExp;
  /** Characters at the start of a match that are a fixed prefix, not part of the random body. */
  prefix: RegExp;
}

const FORMATS: readonly FormatRule[] = [
  { ruleId: 'secret.github-token', message: 'a GitHub token', pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g, prefix: /^gh._/ },
  { ruleId: 'secret.github-token', message: 'a GitHub fine-grained token', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{60,244}(?![A-Za-z0-9_])/g, prefix: /^github_pat_/ },
  { ruleId: 'secret.aws-access-key', message: 'an AWS access key id', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g, prefix: /^A(?:KIA|SIA|BIA|CCA|3T.)/ },
  { ruleId: 'secret.slack-token', message: 'a Slack token', pattern: /(?<![A-Za-z0-9.])(?:xoxe\.)?xox[abposre]-\d{1,20}-[A-Za-z0-9-]{8,250}(?![A-Za-z0-9-])/g, prefix: /^(?:xoxe\.)?xox.-/ },
  { ruleId: 'secret.slack-token', message: 'a Slack app token', pattern: /(?<![A-Za-z0-9])xapp-\d{1,3}-[A-Za-z0-9]{6,20}-\d{4,20}-[A-Za-z0-9]{16,100}(?![A-Za-z0-9])/g, prefix: /^xapp-/ },
  { ruleId: 'secret.slack-webhook', message: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/+-]{20,300}/g, prefix: /^https:\/\/hooks\.slack\.com\/[a-z]+\/(?:[A-Z0-9]+\/){0,2}/ },
  { ruleId: 'secret.stripe-key', message: 'a Stripe secret key', pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,247}(?![A-Za-z0-9_])/g, prefix: /^[sr]k_(?:live|test)_/ },
  { ruleId: 'secret.google-api-key', message: 'a Google API key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, prefix: /^AIza/ },
  { ruleId: 'secret.npm-token', message: 'an npm token', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, prefix: /^npm_/ },
  { ruleId: 'secret.gitlab-token', message: 'a GitLab token', pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g, prefix: /^glpat-/ },
  { ruleId: 'secret.openai-key', message: 'an OpenAI API key', pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}(?![A-Za-z0-9_-])/g, prefix: /^sk-(?:proj-|svcacct-|admin-)?/ },
  { ruleId: 'secret.anthropic-key', message: 'an Anthropic API key', pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat)\d{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])/g, prefix: /^sk-ant-[a-z]+\d\d-/ },
  { ruleId: 'secret.jwt', message: 'a JSON Web Token', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{16,1000}(?![A-Za-z0-9_-])/g, prefix: /^/ },
];

/** Published example credentials (AWS's and Stripe's docs, jwt.io): in a reply, they are documentation. */
const DOCUMENTED_EXAMPLES = [
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  'sk_test_BQokikJOvBiI2HlWgH4olfQ2',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
];

function knownFormats(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const rule of FORMATS) {
    for (const m of text.matchAll(rule.pattern)) {
      const value = m[0];
      const body = value.replace(rule.prefix, '');
      const exempt = isPlaceholder(body) || DOCUMENTED_EXAMPLES.some((example) => value.includes(example));
      found.push({ ruleId: rule.ruleId, message: rule.message, start: m.index, end: m.index + value.length, priority: 1, ...(exempt ? { exempt: true as const } : {}) });
    }
  }
  for (const m of text.matchAll(AWS_SECRET)) {
    const value = m[1]!;
    const start = m.index + m[0].length - value.length;
    const exempt = isPlaceholder(value) || DOCUMENTED_EXAMPLES.includes(value);
    found.push({ ruleId: 'secret.aws-secret-key', message: 'an AWS secret access key', start, end: start + value.length, priority: 1, ...(exempt ? { exempt: true as const } : {}) });
  }
  return found;
}

/** `aws_secret_access_key = …`, `AWS_SECRET_KEY: …`, `"SecretAccessKey": "…"`: 40 base64 characters. */
const AWS_SECRET = /(?:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)["'`]?[ \t]{0,4}(?:=>|:=|[:=])[ \t]{0,4}["'`]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi;

// --- credentials in URLs ------------------------------------------------------------------------

const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]{1,19}:\/\/[^\s/:@"'<>`]{0,128}:([^\s/@"'<>`]{1,256})@[A-Za-z0-9[]/gi;

function urlCredentials(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const password = m[1]!;
    if (isPlaceholder(password) || !looksLikePassword(password)) continue;
    const start = m.index + m[0].length - 2 - password.length;
    found.push({ ruleId: 'secret.url-credentials', message: 'a password in a URL', start, end: start + password.length, priority: 2 });
  }
  return found;
}

/** 8+ characters of two or more kinds, not a default or stand-in (`postgres:postgres`, `admin:password1`, `key_1234`). */
function looksLikePassword(value: string): boolean {
  if (value.length < 8 || characterKinds(value) < 2 || /\\/.test(value)) return false;
  return !/pass|secret|admin|user|login|guest|root|test|demo|token|key|1234|abcd/i.test(value);
}

// --- high entropy -------------------------------------------------------------------------------

/** Words that make an identifier secret-ish. `auth` alone is checked against AUTH_NOT_SECRET. */
const SECRET_WORD = /secret|token|passw(?:or)?d|passwd|pwd|api[_.-]?key|access[_.-]?key|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|credential|auth|bearer/gi;
/** The word right after the secret-ish word that makes the name about something else (`token_type`, `author`, `auth_url`). */
const NOT_SECRET_TAIL = new Set([
  'type', 'types', 'url', 'uri', 'endpoint', 'name', 'path', 'file', 'header', 'field', 'label', 'len', 'length', 'hash', 'hashed',
  'count', 'expires', 'expiry', 'expiration', 'ttl', 'limit', 'limits', 'prefix', 'env', 'var', 'variable', 'ref', 'provider',
  'method', 'mode', 'scope', 'scopes', 'kind', 'id', 'index', 'izer', 'izers', 'ized', 'ization', 'ize', 'or', 'ors', 'ority', 'ored',
  'entication', 'enticate', 'enticated', 'enticator', 'orization', 'orize', 'orized', 'input', 'placeholder', 'format', 'regex',
  'pattern', 'policy', 'manager', 'store', 'service', 'helper', 'source', 'location', 'dir', 'required', 'enabled', 'strategy',
  'version', 'min', 'max', 'budget', 'usage', 'per', 'count', 'reset', 'confirm', 'confirmation', 'strength', 'rules', 'hint',
  'visible', 'visibility', 'changed', 'file', 'command', 'cmd', 'flow', 'state', 'status', 'error', 'errors', 'config', 'options',
]);
/** The word right before it that makes the value public or throwaway (pagination cursors, CSRF nonces). */
const NOT_SECRET_HEAD = new Set(['next', 'page', 'continuation', 'cancellation', 'pagination', 'cursor', 'sync', 'resume', 'max', 'num', 'total', 'csrf', 'xsrf']);
const NAME_CHAR = /[A-Za-z0-9_.-]/;
/** `Authorization: token abc…` (GitHub's header form) takes the value after a space, as `Bearer abc…` does. */
const AUTHORIZATION_BEFORE = /authorization["']?[ \t]*:[ \t]*$/i;

function assignedSecrets(text: string): Candidate[] {
  const found: Candidate[] = [];
  SECRET_WORD.lastIndex = 0;
  for (let m = SECRET_WORD.exec(text); m !== null; m = SECRET_WORD.exec(text)) {
    let nameStart = m.index;
    while (nameStart > 0 && m.index - nameStart < 40 && NAME_CHAR.test(text[nameStart - 1]!)) nameStart--;
    let nameEnd = m.index + m[0].length;
    while (nameEnd < text.length && nameEnd - m.index < 48 && NAME_CHAR.test(text[nameEnd]!)) nameEnd++;
    SECRET_WORD.lastIndex = nameEnd;
    if (!isSecretName(text.slice(nameStart, m.index), m[0], text.slice(m.index + m[0].length, nameEnd))) continue;
    const spaced = m[0].toLowerCase() === 'bearer' || (m[0].toLowerCase() === 'token' && AUTHORIZATION_BEFORE.test(text.slice(Math.max(0, nameStart - 24), nameStart)));
    const value = valueAfter(text, nameStart, nameEnd, spaced);
    if (value === null || !isAssignedSecret(value.text)) continue;
    found.push({ ruleId: 'secret.high-entropy', message: 'a high-entropy value assigned to a secret name', start: value.start, end: value.start + value.text.length, priority: 3 });
  }
  return found;
}

function isSecretName(head: string, word: string, tail: string): boolean {
  const tailWord = firstWord(tail);
  if (tailWord !== '' && NOT_SECRET_TAIL.has(tailWord)) return false;
  const headWords = head.split(/[_.-]+|(?<=[a-z0-9])(?=[A-Z])/).filter((w) => w !== '');
  const headWord = headWords[headWords.length - 1]?.toLowerCase();
  return headWord === undefined || !NOT_SECRET_HEAD.has(headWord);
}

function firstWord(tail: string): string {
  const match = /^[_.-]*([A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+)/.exec(tail);
  return match ? match[1]!.toLowerCase() : '';
}

/**
 * The value given to the name ending at `nameEnd`: after an optional closing quote or bracket, an
 * assignment (`=`, `:`, `=>`, `:=`), then a quoted or bare value. A CLI flag (`--token abc`) and
 * `Bearer abc` take the value after a space.
 */
function valueAfter(text: string, nameStart: number, nameEnd: number, spaced: boolean): { text: string; start: number } | null {
  let at = nameEnd;
  if (text[at] === '"' || text[at] === "'" || text[at] === '`' || text[at] === ']') at++;
  const spaceStart = at;
  while (at < text.length && at - spaceStart < 4 && (text[at] === ' ' || text[at] === '\t')) at++;
  const separator = /^(?:=>|:=|==?|:)/.exec(text.slice(at, at + 2));
  if (separator !== null) {
    at += separator[0].length;
  } else {
    const flag = text.startsWith('--', nameStart);
    if (!(spaced || flag) || at === spaceStart) return null;
  }
  const valueSpace = at;
  while (at < text.length && at - valueSpace < 4 && (text[at] === ' ' || text[at] === '\t')) at++;
  const quote = text[at];
  if (quote === '"' || quote === "'" || quote === '`') {
    // Bounded look-ahead: an unclosed quote must not make each name scan the rest of the text.
    const close = text.slice(at + 1, at + 202).indexOf(quote);
    if (close === -1) return null;
    const value = text.slice(at + 1, at + 1 + close);
    return value.includes('\n') ? null : { text: value, start: at + 1 };
  }
  let end = at;
  while (end < text.length && end - at <= 200 && !/[\s,;)}\]"'`&#<>]/.test(text[end]!)) end++;
  return end > at ? { text: text.slice(at, end), start: at } : null;
}

function isAssignedSecret(value: string): boolean {
  if (value.length < 12 || value.length > 200 || !/^[\x21-\x7e]+$/.test(value) || isPlaceholder(value) || isReference(value)) return false;
  // Random hex of 16 has ≈ 3.2 bits a character (p5 2.83); of 32, ≈ 3.6 (p1 3.27).
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) return value.length >= 16 && entropy(value) >= Math.min(3.0, 0.7 * Math.log2(value.length));
  return characterKinds(value) >= 2 && entropy(value) >= entropyFloor(value.length) && hasRandomShape(value);
}

/** A variable, an expression or an environment name rather than a literal (`process.env.X`, `${X}`, `GITHUB_TOKEN`, `getToken()`). */
function isReference(value: string): boolean {
  return (
    /^[A-Z][A-Z0-9_]*$/.test(value) ||
    /[(){}$%<>]/.test(value) ||
    /[A-Za-z0-9_?]\.[A-Za-z_]/.test(value) ||
    /^(?:\/|\.\.?\/|~\/)|^[a-z][a-z0-9+.-]*:/i.test(value) ||
    /^(?:true|false|null|none|undefined|nil)$/i.test(value)
  );
}

/**
 * Runs of base64/base64url characters outside URLs, data URIs, public keys and certificates. `/`
 * is not part of a run, so paths split into their (word-like) segments.
 */
const RUN = /[A-Za-z0-9+_-]{32,}={0,2}/g;
const MAX_STANDALONE = 512;

function standaloneSecrets(text: string): Candidate[] {
  const found: Candidate[] = [];
  const excluded = excludedRanges(text);
  let exclusion = 0;
  for (const m of text.matchAll(RUN)) {
    const start = m.index;
    const end = start + m[0].length;
    while (exclusion < excluded.length && excluded[exclusion]!.end <= start) exclusion++;
    const range = excluded[exclusion];
    if (range !== undefined && range.start < end) continue;
    const value = m[0];
    if (value.length > MAX_STANDALONE || text[start - 1] === '/' || text[end] === '/' || /^(?:0x)?[0-9a-fA-F]+$/.test(value)) continue;
    if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/\d/.test(value)) continue;
    if (/^(?:sha(?:1|224|256|384|512)|md5)-/i.test(value) || /^(?:iVBORw0KGgo|\/9j\/|R0lGOD|UklGR|PHN2Zy|AAAA)/.test(value)) continue;
    if (PUBLIC_VALUE_NAME.test(text.slice(Math.max(0, start - 40), start)) || isPlaceholder(value)) continue;
    if (entropy(value) < entropyFloor(value.length) || !hasRandomShape(value) || isEncodedText(value)) continue;
    found.push({ ruleId: 'secret.high-entropy', message: 'a high-entropy string', start, end, priority: 4 });
  }
  return found;
}

/**
 * The name a value is given to makes it public: ids, hashes and digests, signatures, nonces
 * (`"id": "msg_01HCZ…"`, `integrity: sha512-…`, `h1:…`, `pin-sha256="…"`).
 */
const PUBLIC_VALUE_NAME = /(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]*[_.-])?(?:id|ids|uuid|guid|etag|sha\d{0,3}|h1|md5|hash|digest|checksum|integrity|commit|revision|rev|kid|jti|sub|fingerprint|signature|sig|nonce|salt|iv)["'`]?[ \t]*[:=][ \t]*["'`]?$/i;

const EXCLUDED = new RegExp(
  [
    /\b[a-z][a-z0-9+.-]{1,19}:\/\/[^\s<>"'`]+/.source,
    /\bdata:[a-z]+\/[a-z0-9.+-]+(?:;[a-z0-9=-]+)*;base64,[A-Za-z0-9+/=]+/.source,
    /\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d{3}|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+/.source,
    /-----BEGIN (?:[A-Z0-9]{1,12} ){0,3}(?:CERTIFICATE|PUBLIC KEY|CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|PGP MESSAGE|X509 CRL)-----/.source,
  ].join('|'),
  'gi',
);

/** Ranges of URLs, data URIs and public keys, sorted and not overlapping. A certificate runs to its END line. */
function excludedRanges(text: string): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = [];
  EXCLUDED.lastIndex = 0;
  for (let m = EXCLUDED.exec(text); m !== null; m = EXCLUDED.exec(text)) {
    let end = m.index + m[0].length;
    if (m[0].startsWith('-----BEGIN')) {
      // Bounded look-ahead, so that many unclosed headers cannot each scan the rest of the text.
      const close = text.slice(end, end + MAX_KEY_BLOCK).indexOf('-----END');
      end = close !== -1 ? end + close : Math.min(text.length, end + MAX_KEY_BLOCK);
      EXCLUDED.lastIndex = end;
    }
    ranges.push({ start: m.index, end });
  }
  return ranges;
}
