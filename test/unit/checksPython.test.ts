import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PythonChecker } from '../../server/src/checks/code/pythonChecker';
import { PYTHON_RULES } from '../../server/src/checks/code/pythonRules';
import { isSecretName } from '../../server/src/checks/code/pythonSecurity';
import { MAX_SYNTAX_FINDINGS } from '../../server/src/checks/code/syntaxErrors';
import { type GrammarName, GrammarLoadError, grammarWasmPath, loadGrammar } from '../../server/src/checks/code/treeSitter';
import { findingKeys, loadCorpus } from '../support/checksCorpus';

const checker = new PythonChecker();
before(() => checker.load());

function check(code: string, strict = false) {
  return checker.check(code, 'python', { strict });
}

/** [ruleId, line] of every finding. */
function found(code: string, strict = false): Array<[string, number]> {
  return check(code, strict).findings.map((finding) => [finding.ruleId, finding.line]);
}

/** The rule ids found, in order. */
function rules(code: string): string[] {
  return check(code).findings.map((finding) => finding.ruleId);
}

describe('Python checker: loading', () => {
  test('checks Python only, and says so when used before loading', async () => {
    assert.deepEqual([...checker.languages], ['python']);
    assert.throws(() => checker.check('x', 'shell', { strict: false }), /does not check shell/);
    const fresh = new PythonChecker();
    assert.throws(() => fresh.check('x = 1', 'python', { strict: false }), /before load\(\) resolved/);
    await Promise.all([fresh.load(), fresh.load()]);
    assert.deepEqual(fresh.check('x = 1\n', 'python', { strict: false }), { syntax: 'ok', findings: [] });
  });

  test('the grammar loads once (one shared promise) and a query compiles once', async () => {
    assert.equal(loadGrammar('python'), loadGrammar('python'));
    const grammar = await loadGrammar('python');
    assert.equal(grammar.query('(call) @call'), grammar.query('(call) @call'));
    assert.match(grammarWasmPath('python'), /tree-sitter-python[\\/]tree-sitter-python\.wasm$/);
  });

  test('a grammar package that is not installed is named in the error', async () => {
    const missing = 'cobol' as GrammarName;
    assert.throws(() => grammarWasmPath(missing), (error: unknown) => error instanceof GrammarLoadError && /`tree-sitter-cobol` is not installed/.test(error.message));
    await assert.rejects(loadGrammar(missing), /tree-sitter-cobol/);
  });
});

describe('Python checker: syntax', () => {
  test('an unclosed bracket is reported at the bracket', () => {
    assert.deepEqual(check('def f(a:\n    pass\n'), {
      syntax: 'error',
      findings: [{ ruleId: 'syntax', kind: 'syntax', severity: 'error', line: 1, column: 6, endLine: 1, endColumn: 7, message: '`(` was never closed', engine: 'tree-sitter' }],
    });
  });

  test('messages and positions for the usual mistakes, one finding per error region', () => {
    const cases: Array<[string, Array<[number, number, string]>]> = [
      ['x = = 1\n', [[1, 5, 'unexpected `=`']]],
      ['lambda x: : x\n', [[1, 11, 'unexpected `:`']]],
      ['x = foo(1, 2))\n', [[1, 14, 'unexpected `)`']]],
      ['d = {"a": 1,, "b": 2}\n', [[1, 12, 'unexpected `,`']]],
      ['if x\n    y = 1\n', [[1, 1, 'expected `:` after the `if` header']]],
      ['for i in range(3) print(i)\n', [[1, 1, 'expected `:` after the `for` header']]],
      ["s = 'unterminated\nt = 1\n", [[1, 5, 'unterminated string literal']]],
      ['class A:\n    def m(self):\n        return [1, 2\n    def n(self):\n        pass\n', [[3, 16, '`[` was never closed']]],
      ['def g():\nreturn 1\n', [[1, 9, 'expected an indented block after `def g():`']]],
      ['def f():\n    # later\n', [[1, 9, 'expected an indented block after `def f():`']]],
      ['x = {"a": 1 "b": 2}\n', [[1, 11, 'invalid syntax near `1 "b":`']]],
    ];
    for (const [code, expected] of cases) {
      const result = check(code);
      assert.equal(result.syntax, 'error', code);
      assert.deepEqual(result.findings.map((f) => [f.line, f.column, f.message]), expected, code);
    }
  });

  test('two separate mistakes are two findings; a body lost in an error region is not reported again', () => {
    assert.deepEqual(found('a = (1,\nb = 2\n\n\ndef f(x):\n    return x]\n'), [['syntax', 1], ['syntax', 6]]);
    assert.deepEqual(found('def main(args):\n    if len(args) < 2\n        return 2\n    return 0\n'), [['syntax', 2]]);
  });

  test('valid modern Python parses clean: decorators, match, walrus, async, type hints, f-strings', () => {
    const code = [
      'from __future__ import annotations',
      '@dataclass(frozen=True)',
      'class Point:',
      '    x: int = 0',
      '    def norm(self) -> float:',
      '        return (self.x ** 2) ** 0.5',
      'async def fetch(client, url: str) -> dict[str, object]:',
      '    async with client.get(url) as r:',
      '        return await r.json()',
      'def kind(v):',
      '    match v:',
      '        case {"type": t, **rest} if (n := len(rest)) > 0:',
      '            return f"{t}:{n!r:>4}"',
      '        case _:',
      '            return None',
      'def f():',
      '    ...',
    ].join('\n');
    assert.deepEqual(check(code), { syntax: 'ok', findings: [] });
  });

  test('columns count UTF-16 code units, and every line ending counts as a line', () => {
    // Each emoji is two UTF-16 code units (four UTF-8 bytes): the second `=` is at index 16.
    assert.deepEqual(check('s = "😀😀"; x = = 1\n').findings.map((f) => [f.line, f.column]), [[1, 17]]);
    assert.deepEqual(found('a = 1\r\nb = 2\r\nos.system(c)\r\n'), [['python.os-system', 3]]);
    assert.deepEqual(found('a = 1\rb = 2\ros.system(c)\r'), [['python.os-system', 3]]);
  });

  test('bad input never throws: empty, NUL bytes, binary noise, a wall of brackets', () => {
    assert.deepEqual(check(''), { syntax: 'ok', findings: [] });
    assert.equal(check('x = 1\u0000\u0000\n').syntax, 'error');
    let noise = '';
    for (let i = 0; i < 4000; i++) noise += String.fromCharCode((i * 7919) % 0x2fff);
    const result = check(noise);
    assert.equal(result.syntax, 'error');
    assert.ok(result.findings.filter((f) => f.ruleId === 'syntax').length <= MAX_SYNTAX_FINDINGS);
    assert.equal(check('('.repeat(5000)).syntax, 'error');
  });
});

describe('Python checker: security rules', () => {
  test('exec and eval: the builtins only, not methods named eval', () => {
    assert.deepEqual(found('exec(code)\neval(expr)\nbuiltins.eval(expr)\nexec "x = 1"\n'), [
      ['python.exec', 1],
      ['python.eval', 2],
      ['python.eval', 3],
      ['python.exec', 4],
    ]);
    assert.deepEqual(found('model.eval()\nast.literal_eval(text)\nconn.exec_driver_sql_safe(q)\nevaluate(x)\n'), []);
  });

  test('pickle, cPickle, dill and friends; imported names and aliases; JSON passes', () => {
    const code = [
      'import pickle, cPickle, dill, joblib',
      'import pandas as pd',
      'import numpy as np',
      'from pickle import loads',
      'from pickle import load as read_blob',
      'pickle.loads(b)',
      'cPickle.load(f)',
      'dill.loads(b)',
      'loads(b)',
      'read_blob(f)',
      'pickle.Unpickler(f).load()',
      'joblib.load("model.pkl")',
      'pd.read_pickle("frame.pkl")',
      'np.load("a.npy", allow_pickle=True)',
      'np.load("a.npy")',
      'json.loads(b)',
      'pickle.dumps(obj)',
    ].join('\n');
    assert.deepEqual(found(code), [6, 7, 8, 9, 10, 11, 12, 13, 14].map((line) => ['python.pickle-load', line]));
  });

  test('marshal loads and load; dumps passes', () => {
    assert.deepEqual(found('import marshal\nmarshal.loads(b)\nmarshal.load(f)\nmarshal.dumps(c)\n'), [['python.marshal-load', 2], ['python.marshal-load', 3]]);
  });

  test('yaml.load without a safe Loader, unsafe loaders and unsafe_load; safe forms pass', () => {
    const code = [
      'yaml.load(text)',
      'yaml.load(text, Loader=yaml.Loader)',
      'yaml.load(text, yaml.UnsafeLoader)',
      'yaml.load_all(text, Loader=loader)',
      'yaml.unsafe_load(text)',
      'yaml.safe_load(text)',
      'yaml.load(text, Loader=yaml.SafeLoader)',
      'yaml.load(text, yaml.CSafeLoader)',
      'yaml.load(text, Loader=BaseLoader)',
      'yaml.full_load(text)',
      'yaml.load(text, Loader=yaml.FullLoader)',
      'yaml.load(text, Loader=UniqueKeySafeLoader)',
      'config.load(text)',
    ].join('\n');
    assert.deepEqual(found(code), [1, 2, 3, 4, 5].map((line) => ['python.yaml-load', line]));
    assert.deepEqual(found('import yaml as y\nfrom yaml import load\ny.load(t)\nload(t)\n'), [['python.yaml-load', 3], ['python.yaml-load', 4]]);
  });

  test('subprocess with a truthy literal shell=, the always-shell helpers; argument lists pass', () => {
    const code = [
      'import subprocess as sp',
      'from subprocess import Popen',
      'subprocess.run(cmd, shell=True)',
      'sp.check_output("ls -l", shell=1)',
      'Popen(cmd, shell=True)',
      'subprocess.getoutput("uname -a")',
      'asyncio.create_subprocess_shell(cmd)',
      'subprocess.run(["ls", "-l"], check=True)',
      'subprocess.run(cmd, shell=False)',
      'subprocess.run(cmd, shell=use_shell)',
      'asyncio.create_subprocess_exec("ls")',
    ].join('\n');
    assert.deepEqual(found(code), [3, 4, 5, 6, 7].map((line) => ['python.subprocess-shell', line]));
  });

  test('os.system and os.popen, also imported by name or by *', () => {
    assert.deepEqual(found('os.system(cmd)\nos.popen(cmd).read()\nfrom os import system as run\nrun(cmd)\n'), [
      ['python.os-system', 1],
      ['python.os-system', 2],
      ['python.os-system', 4],
    ]);
    assert.deepEqual(found('from os import *\nsystem(cmd)\n'), [['python.os-system', 2]]);
    assert.deepEqual(found('system(cmd)\nos.path.join(a, b)\nos.environ.get("X")\n'), []);
  });

  test('verify=False on HTTP calls, session.verify = False, CERT_NONE, unverified contexts', () => {
    const code = [
      'requests.get(url, verify=False)',
      'httpx.post(url, json=body, verify=False)',
      'client = httpx.AsyncClient(verify=False)',
      's.request("GET", url, verify=False)',
      'session.verify = False',
      'ctx.check_hostname = False',
      'ctx.verify_mode = ssl.CERT_NONE',
      'ssl._create_unverified_context()',
      'requests.get(url, verify=True, timeout=10)',
      'requests.get(url, verify="/etc/ssl/ca.pem")',
      'check_signature(blob, verify=False)',
      'ctx.verify_mode = ssl.CERT_REQUIRED',
    ].join('\n');
    assert.deepEqual(found(code), [1, 2, 3, 4, 5, 6, 7, 8].map((line) => ['python.verify-false', line]));
  });

  test('hard-coded credentials: assignments, keywords, defaults, comparisons, dict keys; placeholders and lookups pass', () => {
    const code = [
      'password = "hunter2"',
      'DB_PASSWORD: str = "pg-local-pass"',
      'self.api_key = "abc123def"',
      'settings["secret_key"] = "dev-secret"',
      'connect(host="db", passwd="pw-123456")',
      'def login(user, pwd="admin1"): ...',
      'if token == "letmein": ...',
      'headers = {"Authorization": "Bearer abc.def"}',
      'clientSecret = "cs-001"',
      'password = ""',
      'token = "<your token>"',
      'api_key = "YOUR_API_KEY"',
      'GITHUB_TOKEN = "${GITHUB_TOKEN}"',
      'password = "xxxxxxxx"',
      'secret = os.environ["SECRET"]',
      'token = f"{prefix}-{value}"',
      'password_hash = "pbkdf2:sha256"',
      'token_url = "https://example.com/oauth/token"',
      'max_tokens = "512"',
      'bypass = "fast"',
      'headers = {"Authorization": f"Bearer {token}"}',
      'if token_type == "bearer": ...',
    ].join('\n');
    assert.deepEqual(found(code), [1, 2, 3, 4, 5, 6, 7, 8, 9].map((line) => ['python.hardcoded-password', line]));
  });

  test('the secret itself never appears in a message', () => {
    const [finding] = check('DB_PASSWORD = "correct-horse-battery"\n').findings;
    assert.equal(finding?.message.includes('correct-horse'), false);
    assert.match(finding?.message ?? '', /`DB_PASSWORD` is set to a hard-coded string/);
  });

  test('isSecretName reads the last word of any naming style', () => {
    const names = ['password', 'DB_PASSWORD', 'dbPassword', 'user-pass', 'api_key', 'apiKey', 'AWS_SECRET_ACCESS_KEY', 'client_secret', 'authToken', 'password2', 'x.token'];
    assert.deepEqual(names.filter((name) => !isSecretName(name)), []);
    const not = ['password_hash', 'token_url', 'max_tokens', 'bypass', 'keyboard', 'primary_key', 'passwordPrompt', 'tokenizer', 'secret_name', ''];
    assert.deepEqual(not.filter((name) => isSecretName(name)), []);
  });

  test('tempfile.mktemp (and aliases); mkstemp and NamedTemporaryFile pass', () => {
    assert.deepEqual(found('tempfile.mktemp()\nfrom tempfile import mktemp\nmktemp(suffix=".x")\ntempfile.mkstemp()\ntempfile.NamedTemporaryFile()\n'), [
      ['python.mktemp', 1],
      ['python.mktemp', 3],
    ]);
  });

  test('SQL built by f-string, %, .format and + reaches execute, also through a variable and text()', () => {
    const code = [
      'cur.execute(f"SELECT * FROM users WHERE id = {uid}")',
      'cur.execute("SELECT * FROM users WHERE name = \'%s\'" % name)',
      'cur.executemany("INSERT INTO t VALUES ({})".format(v), rows)',
      'cur.execute("DELETE FROM t WHERE id = " + str(i))',
      'session.execute(text(f"UPDATE t SET a = {a}"))',
      'q = f"SELECT * FROM t WHERE x = {x}"',
      'cur.execute(q)',
      'base = "SELECT * FROM t WHERE 1 = 1"',
      'base += f" AND name = \'{name}\'"',
      'pd.read_sql(base, conn)',
      'cur.execute(sql=("SELECT a FROM t WHERE b = %s" % b))',
    ].join('\n');
    assert.deepEqual(found(code), [1, 2, 3, 4, 5, 7, 10, 11].map((line) => ['python.sql-formatting', line]));
  });

  test('parameterised SQL, constant strings and non-SQL formatting pass', () => {
    const code = [
      'cur.execute("SELECT * FROM users WHERE id = %s", (uid,))',
      'cur.execute("SELECT * FROM users WHERE id = ?", [uid])',
      'cur.execute("SELECT a " + "FROM t")',
      'stmt = sql.SQL("SELECT {} FROM t").format(sql.Identifier(col))',
      'cur.execute(stmt)',
      'q = "SELECT * FROM t WHERE x = %s"',
      'cur.execute(q, (x,))',
      'log.info(f"SELECT took {ms} ms")',
      'executor.execute(f"job {name}")',
      'q = f"SELECT * FROM t WHERE x = {x}"',
      'q = "SELECT 1 FROM t"',
      'cur.execute(q)',
    ].join('\n');
    assert.deepEqual(found(code), []);
  });

  test('md5/sha1 unless usedforsecurity=False; strong hashes pass', () => {
    const code = [
      'hashlib.md5(data)',
      'hashlib.sha1(data).hexdigest()',
      'hashlib.new("MD5", data)',
      'from hashlib import sha1',
      'sha1(data)',
      'hashlib.md5(data, usedforsecurity=False)',
      'hashlib.new("md5", data, usedforsecurity=False)',
      'hashlib.sha256(data)',
      'hashlib.new("sha256")',
      'hashlib.new(name)',
    ].join('\n');
    assert.deepEqual(found(code), [1, 2, 3, 5].map((line) => ['python.weak-hash', line]));
  });

  test("'0.0.0.0' as a listen address; as plain text it passes", () => {
    const code = [
      'app.run(host="0.0.0.0", port=8000)',
      'sock.bind(("0.0.0.0", 8080))',
      'HOST = "0.0.0.0"',
      'config = {"bind": "0.0.0.0"}',
      'parser.add_argument("--host", default="0.0.0.0")',
      'HTTPServer(("0.0.0.0", 8000), Handler)',
      'print("listening on 0.0.0.0")',
      'print("0.0.0.0")',
      'default_route = "0.0.0.0"',
      'app.run(host="127.0.0.1")',
      'parser.add_argument("--mask", default="0.0.0.0")',
    ].join('\n');
    assert.deepEqual(found(code), [1, 2, 3, 4, 5, 6].map((line) => ['python.bind-all-interfaces', line]));
  });

  test('a finding carries the rule, its severity from the table, the position of the call and a message naming the resolved call', () => {
    assert.deepEqual(check('import subprocess as sp\n\nsp.run(cmd, shell=True)\n').findings, [
      {
        ruleId: 'python.subprocess-shell',
        kind: 'security',
        severity: 'warning',
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 24,
        message:
          '`sp.run()` (`subprocess.run`) with `shell=True` runs the command through the shell, where interpolated values can inject commands; pass a list of arguments without `shell=True`',
        engine: 'tree-sitter',
      },
    ]);
  });

  test('severities follow the table; strict mode raises warnings to errors and info to warnings', () => {
    const code = 'eval(x)\nyaml.load(t)\napp.run(host="0.0.0.0")\n';
    assert.deepEqual(check(code).findings.map((f) => [f.ruleId, f.severity]), [
      ['python.eval', PYTHON_RULES.eval.severity],
      ['python.yaml-load', PYTHON_RULES.yamlLoad.severity],
      ['python.bind-all-interfaces', PYTHON_RULES.bindAllInterfaces.severity],
    ]);
    assert.deepEqual(check(code, true).findings.map((f) => f.severity), ['error', 'error', 'warning']);
    const rank = { info: 0, warning: 1, error: 2 };
    for (const rule of Object.values(PYTHON_RULES)) assert.ok(rank[rule.strictSeverity] >= rank[rule.severity], rule.id);
  });

  test('security still runs beside a syntax error, and findings come syntax first, each by line', () => {
    assert.deepEqual(found('os.system(cmd)\nx = (1,\neval(y)\n'), [['syntax', 2], ['python.os-system', 1], ['python.eval', 3]]);
  });

  test('every rule id in the table is one the detector can report', () => {
    const planted = [
      'exec(c)', 'eval(c)', 'pickle.loads(b)', 'marshal.loads(b)', 'yaml.load(t)', 'subprocess.run(c, shell=True)',
      'os.system(c)', 'requests.get(u, verify=False)', 'password = "pw-1234"', 'tempfile.mktemp()',
      'cur.execute(f"SELECT a FROM t WHERE b = {b}")', 'hashlib.md5(b)', 'HOST = "0.0.0.0"',
    ].join('\n');
    assert.deepEqual(new Set(rules(planted)), new Set(Object.values(PYTHON_RULES).map((rule) => rule.id)));
  });
});

describe('Python checker: corpus', () => {
  const corpus = loadCorpus('python');

  test('the corpus plants every rule and has clean and broken files', () => {
    const planted = new Set(corpus.flatMap((entry) => entry.expected.map((key) => key.ruleId)));
    for (const rule of Object.values(PYTHON_RULES)) assert.ok(planted.has(rule.id), `${rule.id} is planted`);
    assert.ok(planted.has('syntax'));
    assert.ok(corpus.filter((entry) => entry.expected.length === 0).length >= 4, 'clean files');
  });

  for (const entry of corpus) {
    test(`${entry.file}: exactly the expected findings`, () => {
      assert.deepEqual(findingKeys(check(entry.code).findings), entry.expected);
    });
  }
});
