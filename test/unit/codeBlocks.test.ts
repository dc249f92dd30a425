import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findCitationMarks } from '../../server/src/checks/citations';
import { fileFromFirstLine, normalizeBlockPath, parseInfoString } from '../../server/src/checks/code/blockFile';
import { extractCodeBlocks } from '../../server/src/checks/code/blocks';
import { detectLanguage, languageOfPath, normalizeLanguage } from '../../server/src/checks/code/languages';
import type { CodeBlock } from '../../server/src/protocol';

/** The blocks, checking on the way that each top-level block's code is where its offset says. */
function blocksOf(markdown: string): CodeBlock[] {
  const blocks = extractCodeBlocks(markdown);
  for (const block of blocks) assert.equal(markdown.slice(block.offset, block.offset + block.code.length), block.code, `block ${block.index} is at its offset`);
  return blocks;
}

describe('normalizeLanguage', () => {
  test('fence words and aliases map to the checked languages', () => {
    const cases: Array<[string, string]> = [
      ['ts', 'typescript'], ['typescript', 'typescript'], ['mts', 'typescript'], ['cts', 'typescript'], ['tsx', 'tsx'],
      ['js', 'javascript'], ['javascript', 'javascript'], ['mjs', 'javascript'], ['cjs', 'javascript'], ['node', 'javascript'], ['jsx', 'jsx'],
      ['json', 'json'], ['yaml', 'yaml'], ['yml', 'yaml'],
      ['py', 'python'], ['python', 'python'], ['python3', 'python'], ['py3', 'python'],
      ['sh', 'shell'], ['bash', 'shell'], ['shell', 'shell'], ['zsh', 'shell'], ['console', 'shell'], ['shell-session', 'shell'], ['shellscript', 'shell'],
    ];
    for (const [word, language] of cases) assert.deepEqual(normalizeLanguage(word), { language, checked: language }, word);
  });

  test('case, surrounding space and a leading dot do not matter', () => {
    assert.deepEqual(normalizeLanguage(' TypeScript '), { language: 'typescript', checked: 'typescript' });
    assert.deepEqual(normalizeLanguage('.py'), { language: 'python', checked: 'python' });
  });

  test('unknown words come back lower-cased and unchecked; JSON with comments is not strict JSON', () => {
    assert.deepEqual(normalizeLanguage('Rust'), { language: 'rust', checked: null });
    assert.deepEqual(normalizeLanguage('jsonc'), { language: 'jsonc', checked: null });
    assert.deepEqual(normalizeLanguage('json5'), { language: 'json5', checked: null });
    assert.deepEqual(normalizeLanguage('text'), { language: 'text', checked: null });
    assert.deepEqual(normalizeLanguage(''), { language: '', checked: null });
  });
});

describe('languageOfPath', () => {
  test('by extension, case-insensitive, with any folders', () => {
    const cases: Array<[string, string | null]> = [
      ['src/a.ts', 'typescript'], ['a.d.ts', 'typescript'], ['x.mts', 'typescript'], ['App.TSX', 'tsx'], ['lib/index.js', 'javascript'],
      ['x.cjs', 'javascript'], ['C.jsx', 'jsx'], ['package.json', 'json'], ['.github/workflows/ci.yml', 'yaml'], ['k8s.yaml', 'yaml'],
      ['setup.py', 'python'], ['stubs.pyi', 'python'], ['scripts\\install.sh', 'shell'], ['run.bash', 'shell'],
      ['README.md', null], ['Makefile', null], ['archive.tar.gz', null], ['.bashrc', null], ['', null],
    ];
    for (const [path, language] of cases) assert.equal(languageOfPath(path), language, path);
  });
});

describe('detectLanguage: conservative guesses for unlabelled fences', () => {
  test('recognises clear cases', () => {
    const cases: Array<[string, string]> = [
      ['#!/usr/bin/env node\nconsole.log(1)', 'javascript'],
      ['#!/usr/bin/env -S python3 -u\nprint(1)', 'python'],
      ['#!/bin/bash\nset -e', 'shell'],
      ['{\n  "name": "x",\n  "private": true\n}', 'json'],
      ['[1, 2, {"a": null}]', 'json'],
      ['$ npm install\nadded 12 packages', 'shell'],
      ['npm install --save-dev eslint\nnpx eslint --init', 'shell'],
      ['git clone https://x.test/r.git \\\n  --depth 1\ncd r', 'shell'],
      ['import os\n\nprint(os.getcwd())', 'python'],
      ['def greet(name: str) -> str:\n    return f"hi {name}"', 'python'],
      ['from pathlib import Path\nPath("a").write_text("x")', 'python'],
      ['const answer = 42;\nconsole.log(answer);', 'javascript'],
      ['module.exports = { a: 1 };', 'javascript'],
      ['items.map((item) => item.id)', 'javascript'],
      ['interface User {\n  name: string;\n}', 'typescript'],
      ['export function add(a: number, b: number): number {\n  return a + b;\n}', 'typescript'],
      ['const Button = () => <button>Go</button>;', 'jsx'],
      ['const App = (props: Props) => <Layout title={props.title} />;', 'tsx'],
      ['name: CI\non:\n  push:\n    branches: [main]', 'yaml'],
      ['services:\n  web:\n    image: nginx\n    command: |\n      echo hi; exit 0\n', 'yaml'],
    ];
    for (const [code, language] of cases) assert.equal(detectLanguage(code), language, code);
  });

  test('says nothing when unsure', () => {
    const cases = [
      '',
      '   \n',
      'Hello, this is plain prose.',
      'error: something went wrong at line 3',
      '#!/usr/bin/env ruby\nputs 1',
      '{ not json }',
      'key: value',
      'x = 1',
      'print(x)\nconst y = 2;',
      'SELECT * FROM users WHERE id = 1;',
      '# just a comment',
      'fn main() {\n    println!("hi");\n}',
    ];
    for (const code of cases) assert.equal(detectLanguage(code), null, code);
  });
});

describe('extractCodeBlocks: fences', () => {
  test('every field of a plain block', () => {
    const reply = 'Try this:\n\n```ts\nconst a: number = 1;\nexport { a };\n```\n\nDone.';
    assert.deepEqual(blocksOf(reply), [
      { index: 0, language: 'typescript', languageFrom: 'fence', info: 'ts', code: 'const a: number = 1;\nexport { a };', startLine: 4, offset: 17, unclosed: false },
    ]);
  });

  test('several blocks in order, backticks and tildes, with indices', () => {
    const reply = '```py\nprint(1)\n```\ntext\n~~~yaml\na: 1\n~~~\n```\nplain\n```';
    const blocks = blocksOf(reply);
    assert.deepEqual(
      blocks.map((b) => [b.index, b.language, b.languageFrom, b.code, b.startLine]),
      [[0, 'python', 'fence', 'print(1)', 2], [1, 'yaml', 'fence', 'a: 1', 6], [2, null, 'none', 'plain', 9]],
    );
  });

  test('a closing fence is the same character and at least as long; shorter or other fences are code', () => {
    const reply = '````md\n```js\nx()\n```\n~~~~\n`````\nafter';
    const blocks = blocksOf(reply);
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]!.code, '```js\nx()\n```\n~~~~');
    assert.equal(blocks[0]!.unclosed, false);
    const tilde = blocksOf('~~~\n```\ninside\n```\n~~~~~\nout');
    assert.deepEqual(tilde.map((b) => b.code), ['```\ninside\n```']);
  });

  test('a closing fence may not carry an info string; the block runs on', () => {
    const blocks = blocksOf('```js\na()\n```js\nb()\n```');
    assert.deepEqual(blocks.map((b) => b.code), ['a()\n```js\nb()']);
  });

  test('a backtick fence whose info string holds a backtick is not a fence', () => {
    assert.deepEqual(blocksOf('```not `a` fence\nx\n'), []);
    assert.deepEqual(blocksOf('~~~ok `here`\nx\n~~~').map((b) => b.info), ['ok `here`']);
  });

  test('an unclosed block runs to the end of the reply', () => {
    const blocks = blocksOf('Text\n```sh\nnpm test\nnpm run build\n');
    assert.deepEqual(blocks.map((b) => [b.code, b.unclosed, b.startLine]), [['npm test\nnpm run build', true, 3]]);
    const atEnd = blocksOf('Text\n```ts');
    assert.deepEqual(atEnd.map((b) => [b.code, b.unclosed, b.startLine, b.offset]), [['', true, 3, 10]]);
  });

  test('an empty block has empty code at the line after its fence', () => {
    assert.deepEqual(blocksOf('```js\n```').map((b) => [b.code, b.offset, b.startLine, b.unclosed]), [['', 6, 2, false]]);
  });

  test('CRLF and lone CR line breaks: code keeps its breaks, lines and offsets count them', () => {
    const crlf = 'Intro\r\n```js\r\nconst a = 1;\r\nconst b = 2;\r\n```\r\nEnd';
    const blocks = blocksOf(crlf);
    assert.deepEqual(blocks.map((b) => [b.code, b.startLine, b.offset]), [['const a = 1;\r\nconst b = 2;', 3, 14]]);
    const cr = blocksOf('a\r```py\rx = 1\r```');
    assert.deepEqual(cr.map((b) => [b.code, b.startLine, b.language]), [['x = 1', 3, 'python']]);
  });

  test('indented fences (up to any indentation, as citations.ts reads them) lose the fence indentation', () => {
    const reply = 'x\n   ```js\n   const a = 1;\n     nested();\n  less();\n   ```';
    const [block] = extractCodeBlocks(reply);
    assert.equal(block!.code, 'const a = 1;\n  nested();\nless();');
    assert.equal(block!.offset, reply.indexOf('const'));
    assert.equal(block!.startLine, 3);
  });

  test('fences in list items lose the item indentation', () => {
    const reply = '1. Install:\n   ```bash\n   npm install\n   ```\n2. Run:\n\n   - ```js\n     run();\n     ```\n';
    const blocks = extractCodeBlocks(reply);
    assert.deepEqual(blocks.map((b) => [b.language, b.code, b.startLine]), [['shell', 'npm install', 3], ['javascript', 'run();', 8]]);
    assert.equal(blocks[0]!.offset, reply.indexOf('npm install'));
    assert.equal(blocks[1]!.offset, reply.indexOf('run();'));
  });

  test('fences in blockquotes lose the markers (and one space after each); lazy lines lose only spaces', () => {
    const reply = 'Quote:\n> ```py\n> import os\n>     print(os.sep)\nlazy = 1\n> ```\n\n> > ```sh\n> > ls -la\n> > ```';
    const blocks = extractCodeBlocks(reply);
    assert.deepEqual(blocks.map((b) => [b.language, b.code, b.startLine]), [
      ['python', 'import os\n    print(os.sep)\nlazy = 1', 3],
      ['shell', 'ls -la', 9],
    ]);
    assert.equal(blocks[0]!.offset, reply.indexOf('import os'));
    assert.equal(blocks[1]!.offset, reply.indexOf('ls -la'));
  });

  test('a blockquoted list item fence with CRLF', () => {
    const reply = '> - step\r\n>   ```ts\r\n>   let x = 1;\r\n>   ```';
    const [block] = extractCodeBlocks(reply);
    assert.deepEqual([block!.code, block!.startLine, block!.offset], ['let x = 1;', 3, reply.indexOf('let x')]);
  });

  test('agrees with the citation check on what is code', () => {
    const reply = 'See [1].\n> ```md\n> cites [2]\n> ```\n- ~~~\n  [3]\n  ~~~\nand [4]\n````\n```\n[5]\n````\n[6]';
    const marks = findCitationMarks(reply).map((mark) => mark.number);
    assert.deepEqual(marks, [1, 4, 6]);
    const inCode = extractCodeBlocks(reply).map((block) => block.code.match(/\[(\d)\]/)?.[1]);
    assert.deepEqual(inCode, ['2', '3', '5']);
  });
});

describe('extractCodeBlocks: languages and files', () => {
  test('the fence word, else the named file, else detection, else none', () => {
    const reply = [
      '```Rust', 'fn main() {}', '```',
      '```title="src/app.tsx"', 'export const A = () => <div />;', '```',
      '```', '{"a": [1, 2]}', '```',
      '```', 'just words', '```',
    ].join('\n');
    assert.deepEqual(blocksOf(reply).map((b) => [b.language, b.languageFrom, b.file]), [
      ['rust', 'fence', undefined],
      ['tsx', 'fence', 'src/app.tsx'],
      ['json', 'detected', undefined],
      [null, 'none', undefined],
    ]);
  });

  test('info-string forms that name a file', () => {
    const cases: Array<[string, string | null, string | undefined]> = [
      ['ts title="src/a.ts"', 'ts', 'src/a.ts'],
      ["ts title='src/my file.ts'", 'ts', 'src/my file.ts'],
      ['ts file=src/a.ts', 'ts', 'src/a.ts'],
      ['python filename="tools/x.py" {1,3}', 'python', 'tools/x.py'],
      ['ts path=./lib/b.ts', 'ts', 'lib/b.ts'],
      ['ts:src/a.ts', 'ts', 'src/a.ts'],
      ['js src/index.js', 'js', 'src/index.js'],
      ['yaml {3} .github/workflows/ci.yml', 'yaml', '.github/workflows/ci.yml'],
      ['src/server.ts', null, 'src/server.ts'],
      ['package.json', null, 'package.json'],
      ['ts title="a.ts" b.ts', 'ts', 'a.ts'],
      ['title="../x.ts" ok/y.ts', null, 'ok/y.ts'],
      ['js', 'js', undefined],
      ['python 3.11', 'python', undefined],
      ['diff --git', 'diff', undefined],
      ['notes.txt', 'notes.txt', undefined],
      ['', null, undefined],
    ];
    for (const [info, word, file] of cases) {
      const parsed = parseInfoString(info);
      assert.deepEqual([parsed.word, parsed.file], [word, file], info);
    }
  });

  test('a first-line comment names the file when the fence does not', () => {
    const cases: Array<[string, string | undefined]> = [
      ['// file: src/a.ts\nexport {}', 'src/a.ts'],
      ['# file: scripts/run.py\nprint()', 'scripts/run.py'],
      ['# File: config/app.toml', 'config/app.toml'],
      ['// src/utils/date.ts\nexport {}', 'src/utils/date.ts'],
      ['# app.py', 'app.py'],
      ['<!-- file: docs/index.html -->\n<p>', 'docs/index.html'],
      ['/* filename: styles/main.css */', 'styles/main.css'],
      ['-- path: db/schema.sql', 'db/schema.sql'],
      ['  // file: a/b.rs  ', 'a/b.rs'],
      ['// console.log', undefined],
      ['# requests.get', undefined],
      ['// TODO: fix the parser', undefined],
      ['#!/usr/bin/env node', undefined],
      ['const a = 1; // file: x.ts', undefined],
      ['// file: /etc/passwd', undefined],
      ['', undefined],
    ];
    for (const [code, file] of cases) assert.equal(fileFromFirstLine(code), file, code);
    const [block] = blocksOf('```ts\n// file: src/x.ts\nexport const x = 1;\n```');
    assert.equal(block!.file, 'src/x.ts');
    assert.equal(block!.code, '// file: src/x.ts\nexport const x = 1;', 'the comment stays in the code');
    const [fenceWins] = blocksOf('```ts title="src/fence.ts"\n// file: src/comment.ts\n```');
    assert.equal(fenceWins!.file, 'src/fence.ts');
  });

  test('hostile paths are refused (the text is untrusted)', () => {
    const refused = [
      '/etc/passwd', '//server/share/x.ts', '\\\\server\\share\\x.ts', '~/.ssh/id_rsa', 'C:\\Windows\\x.ts', 'c:/x.ts',
      '../secrets.ts', 'src/../../x.ts', 'a/..', 'https://evil.test/a.ts', 'file:///etc/passwd', 'javascript:alert(1)',
      'src/a\u0000.ts', 'src/a\n.ts', 'src/\u202Eevil.ts', 'src/zero\u200Bwidth.ts', 'src/a\u2028b.ts', 'a\x7f.ts',
      'src/', '.', './', '', '   ', 'a/ b.ts', 'a /b.ts', 'src/*.ts', 'a?.ts', 'a|b.ts', 'a<b>.ts', 'a"b.ts', 'x'.repeat(1025),
    ];
    for (const path of refused) assert.equal(normalizeBlockPath(path), undefined, JSON.stringify(path));
    for (const info of ['ts title="/etc/passwd"', 'ts:../../x.ts', 'ts file="src/\u202Egnp.ts"', 'ts https://x.test/a.ts']) {
      assert.equal(parseInfoString(info).file, undefined, info);
    }
  });

  test('accepted paths are normalised to POSIX', () => {
    const cases: Array<[string, string]> = [
      ['src\\a\\b.ts', 'src/a/b.ts'],
      ['./src//a.ts', 'src/a.ts'],
      ['"src/a.ts"', 'src/a.ts'],
      ['`src/a.ts`', 'src/a.ts'],
      ['src/./a.ts', 'src/a.ts'],
      ['.github/workflows/ci.yml', '.github/workflows/ci.yml'],
      ['my docs/read me.md', 'my docs/read me.md'],
      ['@scope/pkg/index.js', '@scope/pkg/index.js'],
      ['Dockerfile', 'Dockerfile'],
    ];
    for (const [raw, path] of cases) assert.equal(normalizeBlockPath(raw), path, raw);
  });
});
