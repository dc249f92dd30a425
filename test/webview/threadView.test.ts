import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ThreadViewComment, ThreadViewState, ThreadViewThread } from '../../webview/src/thread/protocol';
import { closeCheckingErrors } from './support/closePages';
import { loadThreadView } from './support/loadThreadView';
import type { LoadedThreadView } from './support/loadThreadView';

let page: LoadedThreadView | undefined;
afterEach(() => {
  closeCheckingErrors(page);
  page = undefined;
});

const HOSTILE = [
  'Intro paragraph.',
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '[click me](javascript:window.__pwned=1)',
  '<a href="javascript:window.__pwned=1">raw link</a> <a href="data:text/html,<script>window.__pwned=1</script>">data link</a>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe><svg onload="window.__pwned=1"></svg>',
  '<details open ontoggle="window.__pwned=1"><summary>more</summary>hidden</details>',
  '<form action="https://evil.invalid"><input name="q"></form><style>body{display:none}</style><meta http-equiv="refresh" content="0;url=https://evil.invalid">',
  '<p style="color:red" onclick="window.__pwned=1" id="suggest-reply" class="action primary">spoofed</p>',
  '![remote picture](https://example.invalid/a.png) <img srcset="https://example.invalid/b.png 2x" alt="raw">',
  '[fine link](https://example.com/ok)',
  '```html\n<script>window.__pwned=1</script><b>bold</b>\n```',
  'Outro paragraph.',
].join('\n\n');

function comment(body: string, login = 'mallory'): ThreadViewComment {
  return { author: { login, association: 'NONE' }, body, createdAt: '2026-01-01T01:00:00Z' };
}

function aThread(overrides: Partial<ThreadViewThread> = {}): ThreadViewThread {
  return {
    ref: 'octo/widgets#7',
    kind: 'issue',
    title: 'Parser crashes on empty input',
    url: 'https://github.com/octo/widgets/issues/7',
    state: 'open',
    labels: ['bug'],
    author: { login: 'alice', association: 'NONE' },
    createdAt: '2026-01-01T00:00:00Z',
    body: 'Calling `parse("")` throws.',
    comments: [comment('Which version?', 'maint')],
    ...overrides,
  };
}

function ready(thread: ThreadViewThread, extra: Partial<ThreadViewState> = {}): ThreadViewState {
  return { ref: thread.ref, thread, loading: false, fetchedAt: '2026-01-02T00:00:00Z', ...extra };
}

const EVENTS = ['error', 'load', 'toggle', 'click', 'mouseover', 'focus'];

function assertInert(current: LoadedThreadView, scope: HTMLElement): void {
  for (const tag of ['script', 'iframe', 'object', 'embed', 'form', 'input', 'style', 'link', 'meta', 'base', 'svg', 'img']) {
    assert.equal(scope.querySelectorAll(tag).length, 0, `no <${tag}>`);
  }
  for (const element of Array.from(scope.querySelectorAll('*'))) {
    for (const { name, value } of Array.from(element.attributes)) {
      assert.doesNotMatch(name, /^on/i, `no ${name} handler on <${element.tagName}>`);
      assert.ok(!['style', 'srcset', 'src', 'id', 'name'].includes(name), `no ${name} attribute on <${element.tagName}>`);
      if (name === 'href') assert.match(value, /^(?:https?:|mailto:|#)/, `safe href ${value}`);
      if (name === 'class') assert.doesNotMatch(value, /\baction\b|\bprimary\b/, 'no borrowed panel classes');
    }
  }
  for (const element of Array.from(scope.querySelectorAll('*'))) {
    for (const type of EVENTS) element.dispatchEvent(new current.window.Event(type));
  }
  for (const anchor of Array.from(scope.querySelectorAll('a'))) anchor.click();
  assert.equal(current.pwned(), undefined, 'window.__pwned stays undefined');
  assert.equal(current.document.querySelectorAll('#suggest-reply').length, 1, 'no second #suggest-reply');
  assert.ok(!scope.innerHTML.includes('example.invalid'), 'no remote image URL in the DOM');
}

describe('thread view', () => {
  test('says ready, shows the loading state, then the thread', () => {
    const current = (page = loadThreadView());
    assert.deepEqual(current.posted, [{ type: 'ready' }]);
    current.send({ type: 'state', state: { ref: 'octo/widgets#7', loading: true } });
    assert.equal(current.document.body.dataset.status, 'loading');
    assert.match(current.byId('status').textContent, /Loading octo\/widgets#7/);
    assert.equal(current.byId<HTMLButtonElement>('suggest-reply').disabled, true);

    const thread = aThread({ comments: [comment('Which **version**?', 'maint'), comment('3.2.1')] });
    current.send({ type: 'state', state: ready(thread) });
    assert.equal(current.document.body.dataset.status, 'ready');
    assert.equal(current.byId('thread-title').textContent, 'Parser crashes on empty input octo/widgets#7');
    assert.equal(current.byId('thread-state').textContent, 'Open issue');
    assert.deepEqual(Array.from(current.byId('thread-labels').children, (chip) => chip.textContent), ['bug']);
    assert.equal(current.byId('thread-link').getAttribute('href'), 'https://github.com/octo/widgets/issues/7');
    const comments = current.document.querySelectorAll('#conversation .comment');
    assert.equal(comments.length, 3, 'the opening post and two comments');
    assert.equal(comments[1]?.querySelector('.comment-body strong')?.textContent, 'version', 'Markdown is rendered');
    assert.equal(current.byId('files').hidden, true);
    assert.equal(current.byId('review-threads').hidden, true);
    assert.deepEqual(current.saved.at(-1), ready(thread), 'the state is saved for a reload');
  });

  test('the buttons post typed messages', () => {
    const current = (page = loadThreadView());
    current.send({ type: 'state', state: ready(aThread()) });
    current.byId('suggest-reply').click();
    current.byId('refresh').click();
    assert.deepEqual(current.posted, [{ type: 'ready' }, { type: 'suggestReply' }, { type: 'refresh' }]);
  });

  test('a pull request shows its files and review threads with the diff hunk', () => {
    const current = (page = loadThreadView());
    const thread = aThread({
      kind: 'pull',
      state: 'merged',
      files: [
        { path: 'src/parse.ts', additions: 12, deletions: 3, changeType: 'MODIFIED' },
        { path: 'test/parse.test.ts', additions: 40, deletions: 0, changeType: 'ADDED' },
      ],
      reviewThreads: [
        {
          path: 'src/parse.ts',
          line: 14,
          diffHunk: '@@ -10,3 +10,4 @@\n-  return tokens[0];\n+  if (tokens.length === 0) return empty();\n+  return tokens[0];',
          isResolved: true,
          isOutdated: false,
          comments: [comment('Why not `undefined`?', 'reviewer')],
        },
      ],
    });
    current.send({ type: 'state', state: ready(thread) });
    assert.equal(current.byId('thread-state').textContent, 'Merged pull request');
    assert.equal(current.byId('files').hidden, false);
    assert.match(current.byId('files').textContent, /Changed files \(2\)/);
    assert.match(current.byId('files').textContent, /src\/parse\.ts\s*\+12\s*−3/);
    const review = current.byId('review-threads');
    assert.equal(review.hidden, false);
    assert.equal(review.querySelector('.location')?.textContent, 'src/parse.ts:14');
    assert.match(review.querySelector('.review-header')?.textContent ?? '', /resolved/);
    const hunk = review.querySelector('pre.hunk code');
    assert.ok(hunk);
    assert.match(hunk.textContent, /if \(tokens\.length === 0\) return empty\(\);/);
    assert.ok(hunk.querySelector('.hljs-addition'), 'the hunk is highlighted as a diff');
    assert.equal(review.querySelector('.comment-body code')?.textContent, 'undefined');
  });

  test('hostile comments, review comments and hunks are rendered inert', () => {
    const current = (page = loadThreadView());
    const thread = aThread({
      body: HOSTILE,
      comments: [comment(HOSTILE)],
      kind: 'pull',
      reviewThreads: [
        {
          path: '<img src=x onerror="window.__pwned=1">',
          line: 1,
          diffHunk: '@@ -1 +1 @@\n-<script>window.__pwned=1</script>\n+<img src=x onerror="window.__pwned=1">',
          isResolved: false,
          isOutdated: true,
          comments: [comment(HOSTILE)],
        },
      ],
    });
    current.send({ type: 'state', state: ready(thread) });
    const conversation = current.byId('conversation');
    assertInert(current, conversation);
    assertInert(current, current.byId('review-threads'));
    const body = conversation.querySelector('.comment-body');
    assert.ok(body);
    assert.match(body.textContent, /Intro paragraph\./);
    assert.match(body.textContent, /Outro paragraph\./);
    assert.match(body.textContent, /click me/, 'the javascript: link keeps its text');
    assert.match(body.textContent, /\[image: remote picture\]/);
    const links = Array.from(body.querySelectorAll('a'), (anchor) => anchor.getAttribute('href'));
    assert.deepEqual(links.filter((href) => href !== null), ['https://example.com/ok']);
    for (const anchor of Array.from(body.querySelectorAll('a'))) assert.equal(anchor.getAttribute('rel'), 'noopener noreferrer');
    const fence = body.querySelector('pre code');
    assert.match(fence?.textContent ?? '', /<script>window\.__pwned=1<\/script><b>bold<\/b>/, 'fenced HTML shows as text');
    const hunk = current.byId('review-threads').querySelector('pre.hunk code');
    assert.match(hunk?.textContent ?? '', /<img src=x onerror=/, 'the hunk shows the markup as text');
    assert.match(current.byId('review-threads').querySelector('.location')?.textContent ?? '', /^<img src=x/);
  });

  test('hostile title, labels, author, state and url are text, and only https links', () => {
    const current = (page = loadThreadView());
    const title = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const thread = aThread({
      title,
      ref: '<b>octo</b>/x#1',
      labels: ['<img src=x onerror="window.__pwned=1">'],
      author: { login: '<script>window.__pwned=1</script>', association: '<b>OWNER</b>' },
      url: 'javascript:window.__pwned=1',
    });
    current.send({ type: 'state', state: ready(thread) });
    const header = current.document.querySelector('header.header');
    assert.ok(header);
    assert.equal(header.querySelectorAll('img, script, b').length, 0);
    assert.equal(current.byId('thread-title').textContent, `${title} <b>octo</b>/x#1`);
    assert.equal(current.byId('thread-labels').textContent, '<img src=x onerror="window.__pwned=1">');
    const link = current.byId<HTMLAnchorElement>('thread-link');
    assert.equal(link.hidden, true);
    assert.equal(link.getAttribute('href'), null);
    link.click();
    assert.equal(current.document.querySelectorAll('#conversation script, #conversation b').length, 0);
    assert.equal(current.pwned(), undefined);

    current.send({ type: 'state', state: ready(aThread({ url: 'http://github.com/octo/widgets/issues/7' })) });
    assert.equal(link.getAttribute('href'), null, 'plain http is not linked');
  });

  test('errors, stale copies and malformed messages', () => {
    const current = (page = loadThreadView());
    current.send({ type: 'state', state: { ref: 'octo/widgets#7', loading: false, error: { message: '<img src=x onerror="window.__pwned=1">', hint: 'Sign in to GitHub.' } } });
    assert.equal(current.document.body.dataset.status, 'error');
    assert.equal(current.byId('error').querySelectorAll('img').length, 0);
    assert.match(current.byId('error').textContent, /<img src=x.*Sign in to GitHub\./s);

    current.send({ type: 'state', state: ready(aThread(), { stale: { reason: 'offline' } }) });
    assert.match(current.byId('status').textContent, /^Offline \(offline\): showing the copy fetched /);
    assert.equal(current.byId('error').textContent, '');

    const before = current.byId('conversation').innerHTML;
    current.sendRaw({ type: 'state', state: { ref: 'x', loading: false, thread: { title: 1 } } });
    current.sendRaw({ type: 'state' });
    current.sendRaw('<img src=x onerror="window.__pwned=1">');
    current.sendRaw({ type: 'init', thread: {}, run: {} });
    assert.equal(current.byId('conversation').innerHTML, before, 'malformed messages are ignored');
    assert.equal(current.pwned(), undefined);
  });

  test('a reloaded page draws the saved state before the host answers', () => {
    const saved = ready(aThread({ title: 'Saved title' }));
    const current = (page = loadThreadView({ state: saved }));
    assert.match(current.byId('thread-title').textContent, /^Saved title/);
    assert.equal(current.document.querySelectorAll('#conversation .comment').length, 2);
    page.close();
    const broken = (page = loadThreadView({ state: { ref: 1 } }));
    assert.equal(broken.byId('thread-title').textContent, ' ', 'a malformed saved state is not drawn');
  });
});
