import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GITHUB_WEB_HOSTS } from '../../client/src/github/endpoint';
import { formatThreadRef, looksLikeThreadRef, parseThreadRef, threadRefFromArgument } from '../../client/src/github/threadRef';
import type { ThreadRefContext } from '../../client/src/github/threadRef';

const GITHUB: ThreadRefContext = { hosts: GITHUB_WEB_HOSTS };
const GHES: ThreadRefContext = { hosts: ['ghe.example.com'] };

function ok(input: string, context = GITHUB): string {
  const parsed = parseThreadRef(input, context);
  assert.ok(parsed.ok, `${input}: ${parsed.ok ? '' : parsed.message}`);
  return formatThreadRef(parsed.ref);
}

function rejected(input: string, context = GITHUB): string {
  const parsed = parseThreadRef(input, context);
  assert.ok(!parsed.ok, `${input} was accepted`);
  return parsed.message;
}

describe('parseThreadRef', () => {
  test('issue and pull request URLs, with whatever follows', () => {
    assert.equal(ok('https://github.com/octo/widgets/issues/12'), 'octo/widgets#12');
    assert.equal(ok('https://github.com/octo/widgets/pull/7'), 'octo/widgets#7');
    assert.equal(ok('https://github.com/octo/widgets/pull/7/files'), 'octo/widgets#7');
    assert.equal(ok('https://github.com/octo/widgets/pull/7/files#diff-abc'), 'octo/widgets#7');
    assert.equal(ok('https://github.com/octo/widgets/issues/12#issuecomment-123456'), 'octo/widgets#12');
    assert.equal(ok('https://github.com/octo/widgets/issues/12?notification_referrer_id=x'), 'octo/widgets#12');
    assert.equal(ok('https://github.com/octo/widgets/issues/12/'), 'octo/widgets#12');
    assert.equal(ok('https://www.github.com/octo/widgets/pulls/3'), 'octo/widgets#3');
    assert.equal(ok('http://github.com/octo/widgets/issues/1'), 'octo/widgets#1');
    assert.equal(ok('github.com/octo/widgets/issues/12'), 'octo/widgets#12');
    assert.equal(ok('  <https://github.com/octo/widgets/issues/12>  '), 'octo/widgets#12');
  });

  test('GitHub Enterprise Server URLs on the configured host', () => {
    assert.equal(ok('https://ghe.example.com/team/tool/issues/5', GHES), 'team/tool#5');
    assert.equal(ok('https://GHE.example.com/team/tool/pull/6/commits', GHES), 'team/tool#6');
    assert.match(rejected('https://github.com/octo/widgets/issues/1', GHES), /github\.com is not the GitHub Threadwise is set up for \(ghe\.example\.com\)/);
    assert.match(rejected('https://ghe.example.com/team/tool/issues/5'), /ghe\.example\.com is not the GitHub .*threadwise\.github\.enterpriseUri/);
  });

  test('owner/repo#N, and #N with a default repository', () => {
    assert.equal(ok('octo/widgets#12'), 'octo/widgets#12');
    assert.equal(ok(' octo-cat/widgets.js#1 '), 'octo-cat/widgets.js#1');
    assert.equal(ok('#12', { ...GITHUB, defaultRepo: 'octo/widgets' }), 'octo/widgets#12');
    assert.match(rejected('#12'), /"#12" does not say which repository: type owner\/repo#12/);
  });

  test('junk is rejected with a message that says what to type', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /Type an issue or pull request: paste its URL .* or type owner\/repo#12/],
      ['   ', /Type an issue or pull request/],
      ['hello world', /"hello world" is not an issue or pull request: paste its URL/],
      ['octo/widgets', /"octo\/widgets" is not an issue or pull request/],
      ['octo/widgets#', /Type the issue or pull request number after "#"/],
      ['#', /Type the issue or pull request number after "#"/],
      ['octo/widgets#abc', /is not an issue or pull request/],
      ['octo/widgets#0', /#0 is not an issue or pull request number: numbers go from 1/],
      ['octo/widgets#99999999999', /is not an issue or pull request number/],
      ['oc to/widgets#1', /is not an issue or pull request/],
      ['-octo/widgets#1', /"-octo\/widgets" is not a repository name/],
      ['https://github.com/octo/widgets', /not an issue or pull request: expected https:\/\/github\.com\/owner\/repo\/issues\/N or \/pull\/N/],
      ['https://github.com/octo/widgets/blob/main/README.md', /not an issue or pull request/],
      ['https://github.com/octo/widgets/issues/abc', /"abc" is not an issue or pull request number/],
      ['https://github.com/octo/widgets/issues/0', /#0 is not an issue or pull request number/],
      ['https://github.com/octo/widgets/discussions/4', /Discussions are not supported/],
      ['https://github.com.evil.example/octo/widgets/issues/1', /github\.com\.evil\.example is not the GitHub/],
      ['javascript:alert(1)//github.com/o/r/issues/1', /is not an issue or pull request/],
      ['ftp://github.com/octo/widgets/issues/1', /is not a web address/],
      ['https://', /is not a valid URL/],
    ];
    for (const [input, message] of cases) assert.match(rejected(input), message, JSON.stringify(input));
  });

  test('long junk is clipped in the message', () => {
    const message = rejected('x'.repeat(500));
    assert.ok(message.length < 200, message);
  });
});

test('looksLikeThreadRef tells references from filter text', () => {
  for (const text of ['https://github.com/o/r', 'octo/widgets#', 'octo/widgets#12', '#4', 'github.com/o/r/issues/1']) assert.equal(looksLikeThreadRef(text), true, text);
  for (const text of ['issue-7.thread.json', 'crash', 'parser crash', 'octo/widgets']) assert.equal(looksLikeThreadRef(text), false, text);
});

test('threadRefFromArgument takes refs and sidebar nodes, nothing else', () => {
  assert.deepEqual(threadRefFromArgument({ repo: 'octo/widgets', number: 3 }), { repo: 'octo/widgets', number: 3 });
  assert.deepEqual(threadRefFromArgument({ kind: 'item', item: { repo: 'octo/widgets', number: 4, title: 'x' } }), { repo: 'octo/widgets', number: 4 });
  for (const arg of [undefined, null, 'octo/widgets#1', 12, { repo: 'octo', number: 1 }, { repo: 'octo/widgets', number: 1.5 }, { repo: 'octo/widgets', number: 0 }, { item: null }]) {
    assert.equal(threadRefFromArgument(arg), undefined, JSON.stringify(arg));
  }
});
