import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ShellChecker } from '../../server/src/checks/code/shellChecker';
import { SHELL_RULES } from '../../server/src/checks/code/shellRules';
import { isSession, shellSource } from '../../server/src/checks/code/shellSession';
import { findingKeys, loadCorpus } from '../support/checksCorpus';

const checker = new ShellChecker();
before(() => checker.load());

function check(code: string, strict = false) {
  return checker.check(code, 'shell', { strict });
}

/** [ruleId, line] of every finding. */
function found(code: string, strict = false): Array<[string, number]> {
  return check(code, strict).findings.map((finding) => [finding.ruleId, finding.line]);
}

/** Each line of `lines` alone: the rule ids it yields. */
function eachLine(lines: string[]): Array<[string, string[]]> {
  return lines.map((line) => [line, check(line).findings.map((f) => f.ruleId)]);
}

describe('shell checker: loading', () => {
  test('checks shell only, and says so when used before loading', async () => {
    assert.deepEqual([...checker.languages], ['shell']);
    assert.throws(() => checker.check('ls', 'python', { strict: false }), /does not check python/);
    const fresh = new ShellChecker();
    assert.throws(() => fresh.check('ls', 'shell', { strict: false }), /before load\(\) resolved/);
    await Promise.all([fresh.load(), fresh.load()]);
    assert.deepEqual(fresh.check('ls -la\n', 'shell', { strict: false }), { syntax: 'ok', findings: [] });
  });
});

describe('shell checker: syntax', () => {
  test('an unclosed if is reported at the if, not at the end of the file', () => {
    assert.deepEqual(check('if [ -f x ]; then\n  echo hi\n\n'), {
      syntax: 'error',
      findings: [{ ruleId: 'syntax', kind: 'syntax', severity: 'error', line: 1, column: 1, endLine: 1, endColumn: 3, message: '`if` without a matching `fi`', engine: 'tree-sitter' }],
    });
  });

  test('messages and positions for the usual mistakes', () => {
    const cases: Array<[string, Array<[number, number, string]>]> = [
      ['for f in *; do echo "$f"\n', [[1, 13, '`do` without a matching `done`']]],
      ['x=$(ls\n', [[1, 3, '`$(` was never closed']]],
      ['greet() { echo hi\n', [[1, 9, '`{` was never closed']]],
      ['echo "unterminated\nls\n', [[1, 6, 'unterminated string: the `"` here is never closed']]],
      ['echo )\n', [[1, 6, 'unexpected `)`']]],
      ['echo a && && b\n', [[1, 8, 'unexpected `&&`']]],
      ['while true do echo; done\n', [[1, 1, 'invalid syntax near `while true do echo; done`']]],
    ];
    for (const [code, expected] of cases) {
      const result = check(code);
      assert.equal(result.syntax, 'error', code);
      assert.deepEqual(result.findings.map((f) => [f.line, f.column, f.message]), expected, code);
    }
  });

  test('valid bash parses clean: functions, arrays, [[ ]], arithmetic, here-docs, case, traps, process substitution', () => {
    const code = [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'declare -a files=("a b" c)',
      'log() { printf "%s\\n" "$*" >&2; }',
      'trap \'rm -rf "$tmp"\' EXIT',
      'for ((i = 0; i < ${#files[@]}; i++)); do',
      '  [[ ${files[$i]} == *.txt ]] && log "text: ${files[$i]}"',
      'done',
      'case "${1:-}" in',
      '  -h|--help) echo usage ;;',
      '  *) : ;;',
      'esac',
      'diff <(sort a) <(sort b) || true',
      'cat <<\'EOF\' > out.txt',
      'literal $(not run) and ( unbalanced',
      'EOF',
      'echo $(( 1 + 2 )) "${HOME%/}" ${x:-default}',
    ].join('\n');
    assert.deepEqual(check(code), { syntax: 'ok', findings: [] });
  });

  test('bad input never throws: empty, NUL bytes, noise, deep nesting', () => {
    assert.deepEqual(check(''), { syntax: 'ok', findings: [] });
    assert.doesNotThrow(() => check('echo \u0000\u0000 "a'));
    let noise = '';
    for (let i = 0; i < 4000; i++) noise += String.fromCharCode((i * 7919) % 0x2fff);
    assert.doesNotThrow(() => check(noise));
    assert.equal(check('$('.repeat(3000)).syntax, 'error');
  });
});

describe('shell checker: security rules', () => {
  test('curl/wget piped into a shell or interpreter that reads the script from stdin', () => {
    assert.deepEqual(
      eachLine([
        'curl -fsSL https://x.sh | sh',
        'curl -fsSL https://x.sh | sudo bash -s -- --yes',
        'wget -qO- https://x.sh | sudo -E bash -',
        'curl -s https://x | zsh',
        'curl -s https://x.py | python3',
        'curl -s https://x.py | python3 -',
        '/usr/bin/curl -s https://x | /bin/sh',
        'curl -fsSL https://x.sh 2>/dev/null | bash | tee install.log',
      ]).filter(([, ids]) => ids.join() !== 'shell.curl-pipe-shell'),
      [],
    );
  });

  test('the shell and interpreter forms without a pipe: -c "$(curl)", <(curl), <<< "$(curl)", source, eval', () => {
    assert.deepEqual(
      eachLine([
        'sh -c "$(curl -fsSL https://x.sh)"',
        '/bin/bash -c "$(wget -qO- https://x.sh)"',
        'bash <(curl -s https://x.sh)',
        'source <(curl -s https://x.sh)',
        '. <(wget -O- https://x.sh)',
        'bash <<< "$(curl -s https://x.sh)"',
        'eval "$(curl -s https://x.sh)"',
      ]).filter(([, ids]) => ids.join() !== 'shell.curl-pipe-shell'),
      [],
    );
  });

  test('downloads that are only data pass', () => {
    assert.deepEqual(
      eachLine([
        'curl -s https://api.example.com | python3 -m json.tool',
        'curl -s https://api.example.com | python3 -c "import json,sys; print(json.load(sys.stdin))"',
        'curl -s https://api.example.com | jq .',
        'curl -fsSL https://x.sh -o install.sh',
        'curl -fsSL https://key.gpg | sudo tee /etc/apt/keyrings/x.gpg',
        'curl -s https://x | bash ./local-script.sh',
        'cat install.sh | sh',
        'sh -c "echo $(date)"',
        'bash <(echo "echo hi")',
        'curl -s https://x | sh -c "cat > file"',
      ]).filter(([, ids]) => ids.length > 0),
      [],
    );
  });

  test('rm with recursive and force flags in any form on a variable', () => {
    assert.deepEqual(
      eachLine([
        'rm -rf "$DIR"/',
        'rm -fr $X/*',
        'rm -r -f "$TARGET"',
        'rm -Rfv "${BUILD}/out"',
        'rm --recursive --force $CACHE',
        'sudo rm -rf "$1"',
        'rm -rf -- "$DIR"',
        'rm -rf /tmp/build "$OUT"',
        'rm -rf "${DIR:-}"/x',
      ]).filter(([, ids]) => ids.join() !== 'shell.rm-rf-variable'),
      [],
    );
  });

  test('rm that cannot remove from an empty variable passes', () => {
    assert.deepEqual(
      eachLine([
        'rm -rf "${DIR:?}"/',
        'rm -rf "${DIR:?DIR must be set}/build"',
        'rm -rf "${OUT:-dist}"',
        'rm -rf build/ dist/',
        'rm -f "$FILE"',
        'rm -r "$DIR"',
        'rm -rf ./"$NAME"',
        'rm -rf "$(mktemp -d)"',
        'echo rm -rf "$DIR"',
      ]).filter(([, ids]) => ids.length > 0),
      [],
    );
  });

  test('chmod making files world-writable, octal or symbolic', () => {
    assert.deepEqual(
      eachLine(['chmod 777 x', 'chmod -R 777 /srv', 'chmod 0777 x', 'chmod 666 f', 'chmod a+rwx d', 'chmod o+w f', 'chmod ugo=rwx f', 'sudo chmod -R a+w,u+x /srv'])
        .filter(([, ids]) => ids.join() !== 'shell.chmod-777'),
      [],
    );
    assert.deepEqual(
      eachLine(['chmod 755 x', 'chmod 0644 f', 'chmod 1755 d', 'chmod +x run.sh', 'chmod u+w f', 'chmod go-w f', 'chmod a+rx d', 'chmod "$MODE" f']).filter(([, ids]) => ids.length > 0),
      [],
    );
  });

  test('eval of a variable; eval of a tool init command passes', () => {
    assert.deepEqual(found('eval "$CMD"\neval $1\neval "prefix ${ARGS[@]}"\n'), [
      ['shell.eval-variable', 1],
      ['shell.eval-variable', 2],
      ['shell.eval-variable', 3],
    ]);
    assert.deepEqual(found('eval "$(ssh-agent -s)"\neval "$(pyenv init - "$SHELL")"\neval "$(/opt/homebrew/bin/brew shellenv)"\neval echo hi\n'), []);
  });

  test('TLS verification turned off: curl -k (also in a cluster), wget, git, npm, environment variables', () => {
    assert.deepEqual(
      eachLine([
        'curl -k https://x',
        'curl --insecure https://x',
        'curl -fsSLk https://x -o f',
        'wget --no-check-certificate https://x',
        'git -c http.sslVerify=false clone https://x',
        'git config --global http.sslVerify false',
        'npm config set strict-ssl false',
        'export NODE_TLS_REJECT_UNAUTHORIZED=0',
        'NODE_TLS_REJECT_UNAUTHORIZED=0 node app.js',
        'GIT_SSL_NO_VERIFY=1 git pull',
        'export PYTHONHTTPSVERIFY=0',
      ]).filter(([, ids]) => ids.join() !== 'shell.disable-tls'),
      [],
    );
    assert.deepEqual(
      eachLine([
        'curl -fsSL https://x',
        'curl -H "k: v" https://x',
        'curl -o-k https://x',
        'git config http.sslVerify true',
        'npm config set strict-ssl true',
        'export NODE_TLS_REJECT_UNAUTHORIZED=1',
        'GIT_SSL_NO_VERIFY=0 git pull',
        'wget https://x',
      ]).filter(([, ids]) => ids.length > 0),
      [],
    );
  });

  test('a finding carries the rule, its severity, the range of the statement and a message', () => {
    assert.deepEqual(check('set -e\nrm -rf "$DIR"/\n').findings, [
      {
        ruleId: 'shell.rm-rf-variable',
        kind: 'security',
        severity: 'error',
        line: 2,
        column: 1,
        endLine: 2,
        endColumn: 15,
        message: '`rm -rf "$DIR"/` deletes recursively from a variable: if it is empty or unset this becomes `rm -rf /…`; write `"${VAR:?}"` (it stops when unset or empty) and check the path first',
        engine: 'tree-sitter',
      },
    ]);
  });

  test('severities follow the table; strict mode makes every rule an error', () => {
    const code = 'curl -s https://x | sh\nchmod 777 f\nrm -rf $D\n';
    assert.deepEqual(check(code).findings.map((f) => [f.ruleId, f.severity]), [
      ['shell.curl-pipe-shell', SHELL_RULES.curlPipeShell.severity],
      ['shell.chmod-777', SHELL_RULES.chmod777.severity],
      ['shell.rm-rf-variable', SHELL_RULES.rmRfVariable.severity],
    ]);
    assert.deepEqual(check(code, true).findings.map((f) => f.severity), ['error', 'error', 'error']);
  });

  test('nested and multi-line statements are found where they start', () => {
    const code = ['if true; then', '  curl -fsSL https://x \\', '    | sudo sh', 'fi', 'f() {', '  (cd /tmp && rm -rf "$W")', '}'].join('\n');
    assert.deepEqual(found(code), [['shell.curl-pipe-shell', 2], ['shell.rm-rf-variable', 6]]);
  });
});

describe('shell checker: console sessions', () => {
  test('a session is recognised by a `$ ` prompt, in its usual forms', () => {
    assert.equal(isSession('$ ls\nfile\n'), true);
    assert.equal(isSession('(venv) $ pip install x\n'), true);
    assert.equal(isSession('me@box:~/src$ make\n'), true);
    assert.equal(isSession('# comment\nls\n'), false);
    assert.equal(isSession('$HOME/bin/tool --x\n'), false);
    assert.equal(isSession('echo $ 5\n'), false);
  });

  test('only commands are kept, prompts blanked, so lines and columns stay those of the block', () => {
    const code = ['$ npm ci', 'added 3 packages (in 2s)', '$ ls \\', '>   -la', 'total 0', '$ cat <<EOF > x', '> a ( b', '> EOF', 'done'].join('\n');
    assert.deepEqual(shellSource(code, () => true), {
      session: true,
      text: ['  npm ci', '', '  ls \\', '    -la', '', '  cat <<EOF > x', '  a ( b', '  EOF', ''].join('\n'),
    });
  });

  test('a `# ` line in a session is a root command when it parses, a comment when it does not', () => {
    const code = ['$ id -u', '0', '# chmod 777 /srv/data', '# now restart it (as root)', '# then check the logs'].join('\n');
    assert.deepEqual(shellSource(code, (text) => !/\(|\bthen\b/.test(text)).text, ['  id -u', '', '  chmod 777 /srv/data', '', ''].join('\n'));
    assert.deepEqual(found(code), [['shell.chmod-777', 3]]);
  });

  test('output that is not shell is not parsed; findings keep the block lines and columns', () => {
    const code = [
      '$ curl -fsSL https://get.example.com | bash',
      'Installing (this takes a while) ... done)',
      'error: `foo` not found; see "help',
      'me@box:~$ rm -rf $HOME/.cache/example',
    ].join('\n');
    assert.deepEqual(check(code).findings.map((f) => [f.ruleId, f.line, f.column]), [
      ['shell.curl-pipe-shell', 1, 3],
      ['shell.rm-rf-variable', 4, 11],
    ]);
  });

  test('a script with comments is not a session', () => {
    assert.deepEqual(found('# install the tool\ncurl -fsSL https://x | sh\n# done (really)\n'), [['shell.curl-pipe-shell', 2]]);
  });
});

describe('shell checker: corpus', () => {
  const corpus = loadCorpus('shell');

  test('the corpus plants every rule and has clean, session and broken files', () => {
    const planted = new Set(corpus.flatMap((entry) => entry.expected.map((key) => key.ruleId)));
    for (const rule of Object.values(SHELL_RULES)) assert.ok(planted.has(rule.id), `${rule.id} is planted`);
    assert.ok(planted.has('syntax'));
    assert.ok(corpus.filter((entry) => entry.expected.length === 0).length >= 4, 'clean files');
    assert.ok(corpus.filter((entry) => isSession(entry.code)).length >= 2, 'session files');
  });

  for (const entry of corpus) {
    test(`${entry.file}: exactly the expected findings`, () => {
      assert.deepEqual(findingKeys(check(entry.code).findings), entry.expected);
    });
  }
});
