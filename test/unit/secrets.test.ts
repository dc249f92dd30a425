import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { findSecrets, maskSecret, maskSecrets } from '../../server/src/checks/secrets';
import { ROOT } from '../support/paths';
import { seededRandom } from '../support/seededRandom';

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'checks', 'secrets');

// --- the planted secrets: generated, never written in the repository ---------------------------

const random = seededRandom(20240615);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = `${ALNUM}+/`;
const BASE64URL = `${ALNUM}-_`;
const HEX = '0123456789abcdef';
const DIGITS = '0123456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

const keyBody = Array.from({ length: 12 }, () => pick(BASE64, 64)).join('\n');
// Prefixes are split so that no whole token literal sits in this file either.
const SECRETS = {
  GITHUB_PAT: 'gh' + 'p_' + pick(ALNUM, 36),
  GITHUB_FINE: 'github' + '_pat_' + pick(ALNUM, 22) + '_' + pick(ALNUM, 59),
  AWS_KEY_ID: 'AK' + 'IA' + pick(UPPER_DIGITS, 16),
  AWS_SECRET: pick(BASE64, 40),
  SLACK_BOT: 'xo' + 'xb-' + pick(DIGITS, 11) + '-' + pick(DIGITS, 13) + '-' + pick(ALNUM, 24),
  SLACK_WEBHOOK: 'https://hooks.slack' + '.com/services/T' + pick(UPPER_DIGITS, 8) + '/B' + pick(UPPER_DIGITS, 10) + '/' + pick(ALNUM, 24),
  STRIPE: 'sk' + '_live_' + pick(ALNUM, 24),
  GOOGLE: 'AI' + 'za' + pick(BASE64URL, 35),
  NPM: 'np' + 'm_' + pick(ALNUM, 36),
  JWT: base64url('{"alg":"HS256","typ":"JWT"}') + '.' + base64url('{"sub":"deploy-bot","iat":1718409600}') + '.' + pick(BASE64URL, 43),
  PRIVATE_KEY: '-----BEGIN RSA ' + 'PRIVATE KEY-----\n' + keyBody + '\n-----END RSA PRIVATE KEY-----',
  STANDALONE: pick(ALNUM, 40),
  API_SECRET: pick(ALNUM, 32),
  API_KEY: pick(ALNUM, 28),
  HEX_TOKEN: pick(HEX, 40),
  HEX_SECRET: pick(HEX, 32),
  SESSION_SECRET: pick(BASE64, 43) + '=',
  DB_PASSWORD: pick(ALNUM, 16),
} as const;
type SecretName = keyof typeof SECRETS;
const PRIVATE_KEY_JSON = SECRETS.PRIVATE_KEY.replace(/\n/g, '\\n');

/** A planted fixture with its markers replaced. */
function planted(file: string): string {
  return readFileSync(path.join(CORPUS, 'planted', file), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    if (name === 'PRIVATE_KEY_JSON') return PRIVATE_KEY_JSON;
    const value = SECRETS[name as SecretName] as string | undefined;
    assert.ok(value !== undefined, `unknown marker {{${name}}} in ${file}`);
    return value;
  });
}

const stars = (n: number) => '*'.repeat(n);

interface Expected {
  ruleId: string;
  line: number;
  /** The planted secret (PRIVATE_KEY_JSON: the JSON-escaped key). */
  secret: SecretName | 'PRIVATE_KEY_JSON';
  masked: string;
}

/**
 * Every planted secret with its rule, line and masked form, in text order. Masks keep at most the
 * first 4 characters (a quarter at most) and cap their length at 40.
 */
const PLANTED: Record<string, Expected[]> = {
  'prose.md': [
    { ruleId: 'secret.github-token', line: 1, secret: 'GITHUB_PAT', masked: 'ghp_' + stars(36) },
    { ruleId: 'secret.aws-access-key', line: 4, secret: 'AWS_KEY_ID', masked: 'AKIA' + stars(16) },
    { ruleId: 'secret.slack-token', line: 4, secret: 'SLACK_BOT', masked: 'xoxb' + stars(36) },
    { ruleId: 'secret.npm-token', line: 5, secret: 'NPM', masked: 'npm_' + stars(36) },
    { ruleId: 'secret.high-entropy', line: 6, secret: 'STANDALONE', masked: SECRETS.STANDALONE.slice(0, 4) + stars(36) },
  ],
  'code-blocks.md': [
    { ruleId: 'secret.aws-access-key', line: 8, secret: 'AWS_KEY_ID', masked: 'AKIA' + stars(16) },
    { ruleId: 'secret.aws-secret-key', line: 9, secret: 'AWS_SECRET', masked: SECRETS.AWS_SECRET.slice(0, 4) + stars(36) },
    { ruleId: 'secret.stripe-key', line: 14, secret: 'STRIPE', masked: 'sk_l' + stars(28) },
    { ruleId: 'secret.google-api-key', line: 15, secret: 'GOOGLE', masked: 'AIza' + stars(35) },
    { ruleId: 'secret.high-entropy', line: 19, secret: 'API_SECRET', masked: SECRETS.API_SECRET.slice(0, 4) + stars(28) },
    { ruleId: 'secret.jwt', line: 20, secret: 'JWT', masked: 'eyJh' + stars(36) },
    { ruleId: 'secret.private-key', line: 26, secret: 'PRIVATE_KEY', masked: '----' + stars(36) },
  ],
  'urls.md': [
    { ruleId: 'secret.github-token', line: 1, secret: 'GITHUB_PAT', masked: 'ghp_' + stars(36) },
    { ruleId: 'secret.slack-webhook', line: 2, secret: 'SLACK_WEBHOOK', masked: 'http' + stars(36) },
    { ruleId: 'secret.url-credentials', line: 3, secret: 'DB_PASSWORD', masked: SECRETS.DB_PASSWORD.slice(0, 4) + stars(12) },
    { ruleId: 'secret.google-api-key', line: 4, secret: 'GOOGLE', masked: 'AIza' + stars(35) },
    { ruleId: 'secret.high-entropy', line: 5, secret: 'HEX_TOKEN', masked: SECRETS.HEX_TOKEN.slice(0, 4) + stars(36) },
  ],
  'config.json': [
    { ruleId: 'secret.github-token', line: 4, secret: 'GITHUB_FINE', masked: 'gith' + stars(36) },
    { ruleId: 'secret.high-entropy', line: 7, secret: 'HEX_SECRET', masked: SECRETS.HEX_SECRET.slice(0, 4) + stars(28) },
    { ruleId: 'secret.private-key', line: 9, secret: 'PRIVATE_KEY_JSON', masked: '----' + stars(36) },
    { ruleId: 'secret.high-entropy', line: 10, secret: 'API_KEY', masked: SECRETS.API_KEY.slice(0, 4) + stars(24) },
  ],
  'deploy.env': [
    { ruleId: 'secret.github-token', line: 3, secret: 'GITHUB_PAT', masked: 'ghp_' + stars(36) },
    { ruleId: 'secret.high-entropy', line: 4, secret: 'SESSION_SECRET', masked: SECRETS.SESSION_SECRET.slice(0, 4) + stars(36) },
    { ruleId: 'secret.url-credentials', line: 5, secret: 'DB_PASSWORD', masked: SECRETS.DB_PASSWORD.slice(0, 4) + stars(12) },
  ],
};

function valueOf(name: Expected['secret']): string {
  return name === 'PRIVATE_KEY_JSON' ? PRIVATE_KEY_JSON : SECRETS[name];
}

describe('findSecrets: planted corpus', () => {
  test('the corpus files and the expectations cover each other', () => {
    assert.deepEqual(readdirSync(path.join(CORPUS, 'planted')).sort(), Object.keys(PLANTED).sort());
  });

  for (const [file, expected] of Object.entries(PLANTED)) {
    test(`${file}: every planted secret, with its rule, line and mask, and nothing else`, () => {
      const text = planted(file);
      const findings = findSecrets(text);
      assert.deepEqual(
        findings.map((f) => ({ ruleId: f.ruleId, line: f.line, secret: text.slice(f.offset, f.offset + f.length), masked: f.masked })),
        expected.map((e) => ({ ruleId: e.ruleId, line: e.line, secret: valueOf(e.secret), masked: e.masked })),
      );
      for (const finding of findings) {
        const secret = text.slice(finding.offset, finding.offset + finding.length);
        assert.ok(!finding.masked.includes(secret.slice(4)), `${finding.ruleId}: the mask shows more than the first characters`);
        assert.ok(!finding.message.includes(secret.slice(0, 8)), `${finding.ruleId}: the message quotes the secret`);
      }
    });

    test(`${file}: maskSecrets leaves no planted secret in the text`, () => {
      const text = planted(file);
      const masked = maskSecrets(text);
      for (const e of expected) assert.ok(!masked.includes(valueOf(e.secret)), `${e.secret} is still in the masked text`);
      for (const e of expected) assert.ok(masked.includes(e.masked), `the mask of ${e.secret} is not in the masked text`);
      // Text around the secrets is kept.
      assert.equal(masked.split('\n')[0]!.slice(0, 10), text.split('\n')[0]!.slice(0, 10));
    });
  }
});

describe('findSecrets: clean corpus', () => {
  const files = readdirSync(path.join(CORPUS, 'clean'));
  test('the clean corpus is there', () => {
    assert.deepEqual(files.sort(), ['minified.js', 'package-lock.json', 'placeholders.md', 'prose.md', 'public-keys.md']);
  });
  for (const file of files) {
    test(`${file}: no finding`, () => {
      const text = readFileSync(path.join(CORPUS, 'clean', file), 'utf8');
      assert.deepEqual(findSecrets(text), []);
      assert.equal(maskSecrets(text), text);
    });
  }
});

describe('findSecrets: rules one by one', () => {
  const only = (text: string) => findSecrets(text).map((f) => [f.ruleId, text.slice(f.offset, f.offset + f.length)]);

  test('a token inside a private-key block is part of that one finding', () => {
    const key = SECRETS.PRIVATE_KEY.replace('\n', `\n${SECRETS.GITHUB_PAT}\n`);
    assert.deepEqual(only(`key:\n${key}\nend`), [['secret.private-key', key]]);
  });

  test('an unclosed private-key block runs over its base64 lines', () => {
    const unclosed = '-----BEGIN OPENSSH ' + 'PRIVATE KEY-----\n' + keyBody;
    assert.deepEqual(only(`${unclosed}\n\nThat is the key.`), [['secret.private-key', unclosed]]);
  });

  test('a token in a URL is reported once, by its own rule', () => {
    assert.deepEqual(only(`https://oauth2:${SECRETS.GITHUB_PAT}@github.com/acme/widgets.git`), [['secret.github-token', SECRETS.GITHUB_PAT]]);
  });

  test('a GitHub token in an Authorization header, and a secret after `Authorization: token`', () => {
    assert.deepEqual(only(`-H "Authorization: token ${SECRETS.API_SECRET}"`), [['secret.high-entropy', SECRETS.API_SECRET]]);
    assert.deepEqual(only(`-H 'Authorization: Bearer ${SECRETS.GITHUB_PAT}'`), [['secret.github-token', SECRETS.GITHUB_PAT]]);
  });

  test('CLI flags and YAML give values to secret names', () => {
    assert.deepEqual(only(`npx widgets deploy --token ${SECRETS.API_KEY} --verbose`), [['secret.high-entropy', SECRETS.API_KEY]]);
    assert.deepEqual(only(`client_secret: ${SECRETS.HEX_SECRET}\nclient_id: 1234`), [['secret.high-entropy', SECRETS.HEX_SECRET]]);
  });

  test('names that are about something else do not make a value secret', () => {
    assert.deepEqual(only(`token_type: ${SECRETS.API_KEY}\nauthor: ${SECRETS.API_KEY.slice(0, 20)}\nnext_page_token = "${SECRETS.API_KEY.slice(0, 20)}"`), []);
  });

  test('the same secret twice is two findings', () => {
    const text = `${SECRETS.NPM}\nand again ${SECRETS.NPM}`;
    assert.deepEqual(
      findSecrets(text).map((f) => [f.offset, f.line]),
      [
        [0, 1],
        [text.lastIndexOf(SECRETS.NPM), 2],
      ],
    );
  });

  test('offsets are UTF-16 offsets: astral characters before a secret count twice', () => {
    const text = `🚀🚀 token: ${SECRETS.GITHUB_PAT}`;
    const [finding] = findSecrets(text);
    assert.equal(finding?.offset, 12);
    assert.equal(text.slice(12, 12 + finding.length), SECRETS.GITHUB_PAT);
  });

  test('placeholders are not secrets', () => {
    for (const placeholder of [
      'gh' + 'p_' + 'x'.repeat(36),
      'gh' + 'p_' + '1234567890abcdefghijklmnopqrstuvwxyz',
      'AK' + 'IA' + '0'.repeat(16),
      'xo' + 'xb-000000000000-XXXXXXXXXXXX',
      'sk' + '_live_' + 'your_stripe_key_here_00000000',
      'api_key = "<YOUR_API_KEY>"',
      'password = "${DB_PASSWORD}"',
      'token: "{{ token }}"',
      'secret=%WIDGETS_SECRET%',
      'SECRET_KEY=REPLACE_ME_WITH_A_REAL_KEY',
      'token = "example-token-1a2b3c4d5e6f7g8h"',
    ]) {
      assert.deepEqual(findSecrets(placeholder), [], placeholder);
    }
  });

  test('bad input gives no findings and no crash', () => {
    assert.deepEqual(findSecrets(''), []);
    assert.deepEqual(findSecrets(undefined as unknown as string), []);
    assert.deepEqual(findSecrets('\uD800\uDC00\uDFFF token: "\uD800"'), []);
  });
});

describe('masking', () => {
  test('maskSecret keeps at most 4 characters and a quarter, and caps the length at 40', () => {
    assert.equal(maskSecret('abcdefgh'), 'ab******');
    assert.equal(maskSecret('abcdefghijklmnop'), 'abcd************');
    assert.equal(maskSecret('x'.repeat(100)), 'xxxx' + stars(36));
    assert.equal(maskSecret('abc'), '***');
  });

  test('maskSecrets skips findings that do not fit the text or overlap', () => {
    const text = 'a secret here';
    const finding = { ruleId: 'secret.high-entropy', message: 'm', line: 1, masked: '' };
    assert.equal(
      maskSecrets(text, [
        { ...finding, offset: 2, length: 6 },
        { ...finding, offset: 4, length: 6 },
        { ...finding, offset: 10, length: 50 },
      ]),
      'a s***** here',
    );
  });
});

describe('hostile input', () => {
  const MB = 1_000_000;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

  for (const unit of ['token="', 'token=', 'gh' + 'p_', '-----BEGIN RSA PRIVATE KEY-----\n', '-----BEGIN CERTIFICATE-----\n', '-----BEGIN OPENSSH PRIVATE KEY-----', 'xo' + 'xb-1-', 'eyJa.', 'https://a:', 'aA1+', 'Bearer ', '--password ']) {
    test(`1 MB of ${JSON.stringify(unit)} is scanned in linear time`, () => {
      const started = performance.now();
      findSecrets(fill(unit));
      assert.ok(performance.now() - started < 5_000, `took ${Math.round(performance.now() - started)} ms`);
    });
  }

  test('1 MB of random base64 words: every finding is inside the text and none overlap', () => {
    const words: string[] = [];
    let length = 0;
    while (length < MB) {
      const word = pick(BASE64, 20 + Math.floor(random() * 40));
      words.push(word);
      length += word.length + 1;
    }
    const text = words.join(' ');
    const started = performance.now();
    const findings = findSecrets(text);
    assert.ok(performance.now() - started < 5_000);
    assert.ok(findings.length > 100);
    for (let i = 1; i < findings.length; i++) assert.ok(findings[i - 1]!.offset + findings[i - 1]!.length <= findings[i]!.offset);
  });
});
