import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryEntry } from '../../server/src/protocol';
import {
  entryIcon,
  entryNode,
  filterDescription,
  isFiltered,
  listParams,
  pageNodes,
  parseThreadFilter,
  recordIdOf,
  repoNode,
  repositoryOf,
  visibleRepositories,
} from '../../client/src/history/historyTreeModel';

const NOW = new Date(2026, 2, 10, 12, 0, 0);

function anEntry(overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 'sugg-1',
    createdAt: new Date(NOW.getTime() - 2 * 3_600_000).toISOString(),
    origin: 'vscode',
    repo: 'octo/widgets',
    number: 12,
    kind: 'issue',
    title: 'Parser crashes on empty input',
    outcome: 'edited',
    editDistance: 14,
    modelName: 'Llama 3.2 1B Instruct',
    checksPassed: true,
    repairs: 1,
    guardrailLabel: 'SAFE',
    unsafe: false,
    cancelled: false,
    timeToFirstTokenMs: 35,
    tokensPerSecond: 40.25,
    totalMs: 1250,
    ...overrides,
  };
}

describe('thread filter parser', () => {
  test('accepts #123, 123 and owner/name#123 (spaces around ignored)', () => {
    assert.deepEqual(parseThreadFilter('#123'), { ok: true, thread: { number: 123 } });
    assert.deepEqual(parseThreadFilter(' 123 '), { ok: true, thread: { number: 123 } });
    assert.deepEqual(parseThreadFilter('octo/widgets#7'), { ok: true, thread: { repo: 'octo/widgets', number: 7 } });
    assert.deepEqual(parseThreadFilter('my-org.x/repo_name.js#2147483647'), { ok: true, thread: { repo: 'my-org.x/repo_name.js', number: 2147483647 } });
  });

  test('rejects everything else with a message', () => {
    const rejected = ['', '   ', '#', '0', '#0', '-3', '12a', '# 12', '1.5', 'octo#12', 'octo/widgets#', 'octo/widgets 12', '/widgets#1', 'oc to/widgets#1', 'octo/wid/gets#1', '-octo/widgets#1', '2147483648', '<img src=x>#1'];
    for (const input of rejected) assert.equal(parseThreadFilter(input).ok, false, input);
    assert.deepEqual(parseThreadFilter('octo#12'), { ok: false, message: '"octo" is not a repository: write owner/name#123.' });
    assert.deepEqual(parseThreadFilter('12a'), { ok: false, message: '"12a" is not a thread: type #123, 123 or owner/name#123.' });
    assert.deepEqual(parseThreadFilter('-octo/widgets#1'), { ok: false, message: '"-octo/widgets" is not a repository: write owner/name#123.' });
    assert.deepEqual(parseThreadFilter('#0'), { ok: false, message: 'The number must be a whole number from 1 up.' });
    assert.deepEqual(parseThreadFilter(''), { ok: false, message: 'Type an issue or pull request number: #123, 123 or owner/name#123.' });
  });
});

describe('filter state', () => {
  test('description, flag, visible repositories and list parameters', () => {
    assert.equal(filterDescription({}), '');
    assert.equal(isFiltered({}), false);
    assert.equal(filterDescription({ outcome: 'pending' }), 'pending');
    assert.equal(filterDescription({ outcome: 'posted', thread: { repo: 'octo/widgets', number: 12 } }), 'posted · octo/widgets#12');
    assert.equal(filterDescription({ thread: { number: 12 } }), '#12');
    assert.equal(isFiltered({ thread: { number: 12 } }), true);
    const repos = [{ repo: 'octo/widgets', count: 3, latest: '' }, { repo: 'octo/gadgets', count: 1, latest: '' }];
    assert.deepEqual(visibleRepositories(repos, {}).map((r) => r.repo), ['octo/widgets', 'octo/gadgets']);
    assert.deepEqual(visibleRepositories(repos, { thread: { repo: 'OCTO/Gadgets', number: 1 } }).map((r) => r.repo), ['octo/gadgets']);
    assert.deepEqual(visibleRepositories(repos, { thread: { number: 1 } }).map((r) => r.repo), ['octo/widgets', 'octo/gadgets']);
    assert.deepEqual(listParams('octo/widgets', { outcome: 'copied', thread: { number: 9 } }, 100, 'sugg-9'), { repo: 'octo/widgets', limit: 100, outcome: 'copied', thread: 9, before: 'sugg-9' });
    assert.deepEqual(listParams('octo/widgets', {}, 5000), { repo: 'octo/widgets', limit: 1000 });
  });
});

describe('rows', () => {
  test('a record row: label, description, icon and tooltip', () => {
    const node = entryNode(anEntry({ title: 'Parser\ncrashes  on <b>empty</b>' }), NOW);
    assert.equal(node.label, '#12 Parser crashes on <b>empty</b>');
    assert.equal(node.description, 'edited · 2h ago · Llama 3.2 1B Instruct');
    assert.deepEqual(node.icon, { id: 'edit' });
    assert.deepEqual(node.tooltip, [
      'Parser\ncrashes  on <b>empty</b>',
      'octo/widgets#12 · issue',
      'Outcome: edited (edit distance 14)',
      'Checks: passed after 1 repair',
      'Guardrail: SAFE',
      'Time to first token 35 ms · 40.3 tok/s · total 1.25 s',
      'Model: Llama 3.2 1B Instruct',
      'Made 2h ago by vscode',
    ]);
    assert.equal(entryNode(anEntry({ outcome: null }), NOW).description, 'pending · 2h ago · Llama 3.2 1B Instruct');
  });

  test('icons by outcome, in the warning colour when checks failed or the reply was unsafe', () => {
    const icon = (outcome: HistoryEntry['outcome'], checksPassed = true, unsafe = false) => entryIcon({ outcome, checksPassed, unsafe });
    assert.deepEqual([icon('posted'), icon('edited'), icon('copied'), icon('discarded'), icon(null)], [{ id: 'check' }, { id: 'edit' }, { id: 'copy' }, { id: 'trash' }, { id: 'clock' }]);
    assert.deepEqual(icon('posted', false), { id: 'check', color: 'list.warningForeground' });
    assert.deepEqual(icon(null, true, true), { id: 'clock', color: 'list.warningForeground' });
  });

  test('repository rows and pages with "Load more…"', () => {
    assert.deepEqual(repoNode({ repo: 'octo/widgets', count: 1234, latest: '' }), { kind: 'repo', id: 'history/repo/octo/widgets', repo: 'octo/widgets', count: 1234, description: '1,234' });
    const page = pageNodes('octo/widgets', [anEntry({ id: 'a' }), anEntry({ id: 'b' })], true, NOW);
    assert.deepEqual(page.map((node) => node.id), ['history/entry/a', 'history/entry/b', 'history/more/octo/widgets/b']);
    assert.deepEqual(page[2], { kind: 'more', id: 'history/more/octo/widgets/b', repo: 'octo/widgets', before: 'b' });
    assert.deepEqual(pageNodes('octo/widgets', [anEntry({ id: 'a' })], false, NOW).map((node) => node.kind), ['entry']);
    assert.deepEqual(pageNodes('octo/widgets', [], true, NOW), []);
  });
});

describe('command arguments', () => {
  test('the record id of a row, an entry, a record or an id', () => {
    const row = entryNode(anEntry({ id: 'sugg-7' }), NOW);
    assert.equal(recordIdOf(row), 'sugg-7');
    assert.equal(recordIdOf(anEntry({ id: 'sugg-8' })), 'sugg-8');
    assert.equal(recordIdOf(' sugg-9 '), 'sugg-9');
    assert.equal(recordIdOf(repoNode({ repo: 'octo/widgets', count: 1, latest: '' })), undefined);
    assert.equal(recordIdOf(''), undefined);
    assert.equal(recordIdOf(undefined), undefined);
    assert.equal(recordIdOf({ id: 5 }), undefined);
  });

  test('the repository of a repository row only', () => {
    assert.deepEqual(repositoryOf(repoNode({ repo: 'octo/widgets', count: 4, latest: '' })), { repo: 'octo/widgets', count: 4 });
    assert.equal(repositoryOf(entryNode(anEntry(), NOW)), undefined);
    assert.equal(repositoryOf('octo/widgets'), undefined);
  });
});
