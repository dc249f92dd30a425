import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createJavascriptChecker } from '../../server/src/checks/code/javascriptChecker';
import { languageOfPath } from '../../server/src/checks/code/languages';
import { MAX_SYNTAX_FINDINGS } from '../../server/src/checks/code/syntaxErrors';
import { hasNestedQuantifier } from '../../server/src/checks/code/unsafeRegex';
import type { CheckedLanguage } from '../../server/src/protocol';
import { findingKeys, loadCorpus } from '../support/checksCorpus';

const checker = createJavascriptChecker();
before(() => checker.load());

function check(code: string, language: CheckedLanguage = 'javascript', strict = false) {
  return checker.check(code, language, { strict });
}

/** [ruleId, line] of every finding. */
function found(code: string, language: CheckedLanguage = 'javascript', strict = false): Array<[string, number]> {
  return check(code, language, strict).findings.map((finding) => [finding.ruleId, finding.line]);
}

describe('JavaScript checker: loading', () => {
  test('checks the four script languages', () => {
    assert.deepEqual([...checker.languages], ['typescript', 'tsx', 'javascript', 'jsx']);
  });

  test('concurrent loads share one; a checker used before loading says so', async () => {
    const fresh = createJavascriptChecker();
    assert.throws(() => fresh.check('1', 'javascript', { strict: false }), /before load\(\) resolved/);
    await Promise.all([fresh.load(), fresh.load()]);
    assert.deepEqual(fresh.check('const a = 1;', 'javascript', { strict: false }), { syntax: 'ok', findings: [] });
  });

  test('refuses languages it does not check', () => {
    assert.throws(() => check('x = 1', 'python'), /does not check python/);
  });
});

describe('JavaScript checker: syntax', () => {
  test('a parse error is one finding with its position and the parser message', () => {
    const result = check('export const total = sum(1, 2;\n', 'typescript');
    assert.deepEqual(result, {
      syntax: 'error',
      findings: [{ ruleId: 'syntax', kind: 'syntax', severity: 'error', line: 1, column: 30, endLine: 1, endColumn: 31, message: "')' expected.", engine: 'typescript' }],
    });
  });

  test('TypeScript syntax in a JavaScript block is an error there and fine in TypeScript', () => {
    const code = 'function port(value: string): number {\n  return Number(value);\n}';
    assert.deepEqual(check(code, 'javascript').findings.map((f) => [f.line, f.column, f.message]), [[1, 22, 'Type annotations can only be used in TypeScript files.']]);
    assert.deepEqual(check(code, 'typescript'), { syntax: 'ok', findings: [] });
  });

  test('with a parse error, the "only in TypeScript files" echoes of it are dropped', () => {
    assert.deepEqual(check('function f( {', 'javascript').findings.map((f) => [f.line, f.column, f.message]), [[1, 14, "'}' expected."]]);
  });

  test('the dialect follows the language: JSX only in tsx/jsx, angle-bracket casts only in ts', () => {
    assert.equal(check('const n = <number>value;', 'typescript').syntax, 'ok');
    assert.equal(check('const n = <number>value;', 'tsx').syntax, 'error');
    assert.equal(check('const e = <T,>(a: T) => <div>{String(a)}</div>;', 'tsx').syntax, 'ok');
    assert.equal(check('const e = <div className="a">{x}</div>;', 'jsx').syntax, 'ok');
    assert.equal(check('const e = <div className="a">{x}</span>;', 'jsx').syntax, 'error');
  });

  test('fragments: a top-level await, return, or both are not errors, and are still linted', () => {
    assert.deepEqual(found('const data = await load();\neval(data);'), [['no-eval', 2]]);
    assert.deepEqual(found('if (!ready) return;\neval(code);'), [['no-eval', 2]]);
    assert.deepEqual(found('const r = await fetch(url);\nif (!r.ok) return null;\neval(await r.text());'), [['no-eval', 3]]);
    assert.deepEqual(found('const r = await fetch(url);\nif (!r.ok) return null;\neval(await r.text());', 'typescript'), [['no-eval', 3]]);
    assert.deepEqual(found('with (scope) {\n  eval(expr);\n}'), [['no-eval', 2]]);
  });

  test('what only ESLint refuses is a syntax finding of engine eslint', () => {
    const result = check('let let = 1;\neval(x);');
    assert.equal(result.syntax, 'error');
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.kind, f.engine, f.line]), [['syntax', 'syntax', 'eslint', 1]]);
    assert.deepEqual(check("import x from 'y';\nif (x) return 1;").findings.map((f) => [f.line, f.column, f.message, f.engine]), [[2, 8, "'return' outside of function", 'eslint']]);
  });

  test('code with syntax errors gets no security findings (ESLint would repeat the parse error)', () => {
    assert.deepEqual(found('eval(input);\nfunction broken( {'), [['syntax', 2]]);
  });

  test('the first error of a line only, and at most MAX_SYNTAX_FINDINGS', () => {
    assert.deepEqual(found('call(a b c d e f);', 'typescript'), [['syntax', 1]]);
    const many = Array.from({ length: 40 }, () => 'call(a b);').join('\n');
    const findings = check(many, 'typescript').findings;
    assert.equal(findings.length, MAX_SYNTAX_FINDINGS);
    assert.deepEqual(findings.map((f) => f.line), Array.from({ length: MAX_SYNTAX_FINDINGS }, (_, i) => i + 1));
  });

  test('empty and whitespace-only code is fine', () => {
    assert.deepEqual(check('', 'typescript'), { syntax: 'ok', findings: [] });
    assert.deepEqual(check('\n  \n', 'jsx'), { syntax: 'ok', findings: [] });
  });
});

describe('JavaScript checker: security rules', () => {
  const vulnerable: Array<[string, string, CheckedLanguage?]> = [
    ['no-eval', 'eval(userInput);'],
    ['no-implied-eval', 'setTimeout("refresh(" + id + ")", 100);'],
    ['no-implied-eval', 'window.setInterval(`tick()`, 1000);'],
    ['no-new-func', "const f = new Function('a', body);"],
    ['no-script-url', "link.href = 'javascript:alert(1)';"],
    ['security/detect-child-process', "const cp = require('child_process');\ncp.exec(`ls ${dir}`);"],
    ['security/detect-child-process', "import { exec } from 'node:child_process';\nexec('rm -rf ' + target);"],
    ['security/detect-non-literal-require', 'const plugin = require(name);'],
    ['security/detect-non-literal-regexp', 'const re = new RegExp(query);'],
    ['security/detect-buffer-noassert', 'buf.readUInt8(0, true);'],
    ['security/detect-new-buffer', 'const b = new Buffer(size);'],
    ['security/detect-pseudoRandomBytes', 'const id = crypto.pseudoRandomBytes(16);'],
    ['security/detect-no-csrf-before-method-override', 'app.use(express.csrf());\napp.use(express.methodOverride());'],
    ['security/detect-disable-mustache-escape', 'template.escapeMarkup = false;'],
    ['security/detect-bidi-characters', 'const access = "user\u202E \u2066// admin\u2069";'.replace(/\u2066|\u2069/g, '')],
    ['security/detect-invisible-characters', 'const \u3164 = 1;'],
    ['threadwise/insecure-tls', 'https.get(url, { rejectUnauthorized: false });'],
    ['threadwise/insecure-tls', "const options = { 'rejectUnauthorized': false };"],
    ['threadwise/insecure-tls', 'agent.options.rejectUnauthorized = false;'],
    ['threadwise/insecure-tls', 'request({ url, strictSSL: false });'],
    ['threadwise/insecure-tls', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';"],
    ['threadwise/insecure-tls', "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0;"],
    ['threadwise/insecure-tls', "spawn('node', ['x.js'], { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });"],
    ['threadwise/exec-sync-non-literal', 'execSync(`git checkout ${branch}`);'],
    ['threadwise/exec-sync-non-literal', "child.execSync('npm i ' + pkg);"],
    ['threadwise/spawn-shell', "spawn(cmd, args, { shell: true });"],
    ['threadwise/spawn-shell', "cp.execFileSync('npm', ['ci'], { cwd, shell: true });"],
    ['threadwise/unsafe-html', 'element.innerHTML = `<b>${name}</b>`;'],
    ['threadwise/unsafe-html', 'element.outerHTML += markup;'],
    ['threadwise/unsafe-html', "element['innerHTML'] = html;"],
    ["threadwise/unsafe-html", "list.insertAdjacentHTML('beforeend', row);"],
    ['threadwise/unsafe-html', "document.writeln('<p>' + text);"],
    ['threadwise/unsafe-html', 'win.document.write(report);'],
    ['threadwise/unsafe-html', 'const a = <div dangerouslySetInnerHTML={{ __html: body }} />;', 'jsx'],
    ['threadwise/unsafe-regex', 'const re = /^(\\w+\\s?)*$/;'],
    ['threadwise/unsafe-regex', "const re = new RegExp('(a+)+b');"],
    ['threadwise/weak-hash', "const digest = createHash('md5').update(password).digest('hex');"],
    ['threadwise/weak-hash', "crypto.createHash('SHA1');"],
  ];
  for (const [ruleId, code, language = 'javascript'] of vulnerable) {
    test(`${ruleId}: ${code.split('\n').at(-1)!.replace(/[^\x20-\x7e]/g, '?')}`, () => {
      const lastLine = code.split('\n').length;
      assert.deepEqual(found(code, language), [[ruleId, lastLine]]);
    });
  }

  test('TypeScript and TSX get the same rules through the TypeScript ESLint parser', () => {
    assert.deepEqual(found("const run = (cmd: string): void => { execSync(`sh -c ${cmd}`); };\nconst f = new Function('x', body as string);", 'typescript'), [
      ['threadwise/exec-sync-non-literal', 1],
      ['no-new-func', 2],
    ]);
    assert.deepEqual(found('export const A = ({ html }: { html: string }) => <p dangerouslySetInnerHTML={{ __html: html }} />;', 'tsx'), [['threadwise/unsafe-html', 1]]);
  });

  test('ordinary code that looks close is clean', () => {
    const clean = [
      "element.innerHTML = '';",
      'element.innerHTML = `<hr>`;',
      'element.textContent = name;',
      "list.insertAdjacentHTML('beforeend', '<li>empty</li>');",
      "execSync('git status --porcelain');",
      "execFileSync('git', ['checkout', branch]);",
      "spawn('npm', ['test'], { stdio: 'inherit', shell: false });",
      'https.get(url, { rejectUnauthorized: true });',
      "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';",
      "createHash('sha256').update(data).digest('hex');",
      "const re = new RegExp('^v\\\\d+$');",
      "const config = require('./config.json');",
      'setTimeout(() => refresh(id), 100);',
      'if (token === undefined) throw new Error("no token");',
      'const value = settings[key];',
      "const text = await readFile(path.join(root, name), 'utf8');",
      'const semver = /^v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([\\w.-]+))?$/;',
      'const buf = Buffer.alloc(size);',
      'const id = crypto.randomBytes(16).toString("hex");',
    ];
    for (const code of clean) assert.deepEqual(found(code), [], code);
  });

  test('inline comments cannot switch the checks off', () => {
    const code = '// eslint-disable-next-line no-eval\neval(a);\n/* eslint-disable */\neval(b);\n/* global eval: off */\neval(c); // eslint-disable-line';
    assert.deepEqual(found(code), [['no-eval', 2], ['no-eval', 4], ['no-eval', 6]]);
  });

  test('a finding carries the ESLint position, severity, message and engine', () => {
    assert.deepEqual(check('const x = 1;\n  eval(x);').findings, [
      { ruleId: 'no-eval', kind: 'security', severity: 'error', line: 2, column: 3, endLine: 2, endColumn: 7, message: '`eval` can be harmful.', engine: 'eslint' },
    ]);
  });

  test('strict mode raises the info rules to warning and leaves the others', () => {
    const code = "createHash('md5');\nnew RegExp(input);\nnew Buffer(size);\neval(x);";
    const severities = (strict: boolean) => check(code, 'javascript', strict).findings.map((f) => [f.ruleId, f.severity]);
    assert.deepEqual(severities(false), [['threadwise/weak-hash', 'info'], ['security/detect-non-literal-regexp', 'info'], ['security/detect-new-buffer', 'warning'], ['no-eval', 'error']]);
    assert.deepEqual(severities(true), [['threadwise/weak-hash', 'warning'], ['security/detect-non-literal-regexp', 'warning'], ['security/detect-new-buffer', 'warning'], ['no-eval', 'error']]);
  });

  test('findings are ordered by line, then column', () => {
    assert.deepEqual(found("eval(a); new Function(b);\nrequire(x); eval(c);"), [['no-eval', 1], ['no-new-func', 1], ['security/detect-non-literal-require', 2], ['no-eval', 2]]);
  });

  test('lines count CRLF and CR breaks, and not U+2028 (which ESLint counts)', () => {
    assert.deepEqual(found('const a = 1;\r\neval(a);\reval(b);'), [['no-eval', 2], ['no-eval', 3]]);
    assert.deepEqual(check('const s = "a\u2028b";\n  eval(s);').findings.map((f) => [f.line, f.column, f.endLine, f.endColumn]), [[2, 3, 2, 7]]);
  });
});

describe('hasNestedQuantifier (threadwise/unsafe-regex)', () => {
  test('a group repeated without bound around an unbounded repetition', () => {
    for (const pattern of ['(a+)+', '(a*)*', '(\\w+\\s?)*$', '^(\\d+\\.?)+$', '((ab)*c)+', '(?:x+y)*', '(a{2,})+', '(a+)+?', '(?<word>\\w+)+', '([a-z]+\\.)*[a-z]+$']) {
      assert.equal(hasNestedQuantifier(pattern), true, pattern);
    }
  });

  test('optional or bounded groups, escapes and classes are fine', () => {
    for (const pattern of ['^v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([\\w.-]+))?$', '(a+)?', '(a+){2}', '(a+){1,3}', '\\(a+\\)+', '[(a+)]+', '(abc)+', 'a+', '[\\]+]+', '(a|b)+', '{a+}+', '']) {
      assert.equal(hasNestedQuantifier(pattern), false, pattern);
    }
  });
});

describe('JavaScript and TypeScript corpus', () => {
  for (const folder of ['javascript', 'typescript']) {
    for (const entry of loadCorpus(folder)) {
      test(`${folder}/${entry.file}`, () => {
        const language = languageOfPath(entry.file);
        assert.ok(language !== null, `${entry.file} has a script extension`);
        const result = checker.check(entry.code, language, { strict: false });
        assert.deepEqual(findingKeys(result.findings), entry.expected);
        assert.equal(result.syntax, entry.file.startsWith('syntax-') ? 'error' : 'ok', 'broken files are named syntax-*');
      });
    }
  }
});
