// The `demo` seed: one repository, `octo/widgets`, whose issues and pull requests fill every group
// of the sidebar for the viewer `maint` (a MEMBER; `bob` is a COLLABORATOR):
//   assigned to maint: #1, #8, #10      mentioning @maint: #3, #8
//   created by maint: #2, #10           needs a reply (open, last comment by a non-maintainer): #2, #6, #7, #8
//   closed: #4, #9; merged PR #5 (files + resolved and outdated review threads); open PR #8
// Issue #7 is the parser crash the CLI demo and the UI tests draft a reply to.
// Timestamps are fixed offsets before `end` (default 2024-03-01T00:00:00Z), so the seed is
// deterministic; pass a recent `end` when a client filters by age.
import { FakeGitHub, type FakeGitHubOptions } from './fakeGitHub';
import type { FixtureStore } from './fixtureStore';

export const DEMO_REPO = 'octo/widgets';
export const DEMO_VIEWER = 'maint';
/** The issue the demo replies to. */
export const DEMO_ISSUE = 7;
export const DEMO_END = new Date(Date.UTC(2024, 2, 1));

export type SeedName = 'demo';

/** Fills `store` with the demo repository. */
export function seedDemo(store: FixtureStore, options: { end?: Date } = {}): void {
  const end = (options.end ?? DEMO_END).getTime();
  /** `days` days and `hours` hours before the end. */
  const at = (days: number, hours = 0) => new Date(end - (days * 24 + hours) * 3_600_000).toISOString();

  store.addRepo(DEMO_REPO, { maintainers: { maint: 'MEMBER', bob: 'COLLABORATOR' } });

  store.addIssue(DEMO_REPO, {
    number: 1, title: 'Add a `strict` option to `parse()`', author: 'carol', createdAt: at(40), labels: ['enhancement'], assignees: ['maint'],
    body: 'It would help to have `parse(input, { strict: true })` reject duplicate keys instead of keeping the last one.',
    comments: [{ author: 'maint', body: "Sounds reasonable. I'll look at it this week.", createdAt: at(39) }],
  });
  store.addIssue(DEMO_REPO, {
    number: 2, title: 'Docs: README example still uses the old `load()` API', author: 'maint', createdAt: at(30), labels: ['documentation'],
    body: 'The first example in the README calls `widgets.load()`, which was removed in 2.0. It should use `parse()`.',
    comments: [{ author: 'dave', authorAssociation: 'CONTRIBUTOR', body: 'I can send a PR for this if nobody is on it.', createdAt: at(29) }],
  });
  store.addIssue(DEMO_REPO, {
    number: 3, title: 'Windows: paths with backslashes are not normalised', author: 'erin', createdAt: at(25), labels: ['bug', 'windows'],
    body: '`widgets.parseFile("C:\\\\data\\\\a.wid")` fails with ENOENT on Windows 11.\n\ncc @maint: this blocks our release.',
    comments: [{ author: 'bob', body: 'Confirmed on Windows 11 with Node 20.', createdAt: at(24) }],
  });
  store.addIssue(DEMO_REPO, {
    number: 4, title: 'Memory grows when parsing many small files', author: 'frank', createdAt: at(22), state: 'CLOSED', labels: ['bug', 'performance'],
    body: 'Parsing 100k small files in one process grows the heap to 3 GB.',
    comments: [
      { author: 'maint', body: 'Fixed by #5, released in 2.2.1.', createdAt: at(18) },
      { author: 'frank', body: 'Confirmed, thanks!', createdAt: at(17) },
    ],
  });
  store.addPull(DEMO_REPO, {
    number: 5, title: 'Fix memory growth in the file cache', author: 'bob', createdAt: at(21), merged: true, mergedAt: at(18, 1), labels: ['bug'],
    body: 'Fixes #4: the cache kept every parsed file alive. It now holds weak references.',
    baseRefName: 'main', headRefName: 'fix/cache-memory',
    files: [
      { path: 'src/cache.ts', additions: 12, deletions: 4, changeType: 'MODIFIED' },
      { path: 'test/cache.test.ts', additions: 40, deletions: 0, changeType: 'ADDED' },
    ],
    reviewThreads: [
      {
        path: 'src/cache.ts', line: 42, isResolved: true,
        diffHunk: '@@ -38,7 +38,9 @@ export class FileCache {\n   get(path: string) {\n-    return this.entries.get(path);\n+    const ref = this.entries.get(path);\n+    return ref?.deref();',
        comments: [
          { author: 'maint', body: 'Should this be a `WeakRef` per entry, or a `FinalizationRegistry` to clean the map too?', createdAt: at(20) },
          { author: 'bob', body: 'Good call: added a FinalizationRegistry that deletes the key.', createdAt: at(19) },
        ],
      },
      {
        path: 'src/cache.ts', line: 10, isOutdated: true,
        diffHunk: '@@ -8,4 +8,4 @@\n-  private c = new Map();\n+  private entries = new Map<string, WeakRef<Parsed>>();',
        comments: [{ author: 'maint', body: 'nit: rename `c` to `entries`.', createdAt: at(20, -1) }],
      },
    ],
    comments: [{ author: 'maint', body: 'Thanks @bob, merging.', createdAt: at(18, 2) }],
  });
  store.addIssue(DEMO_REPO, {
    number: 6, title: 'Question: a streaming API for large inputs?', author: 'grace', createdAt: at(12), labels: ['question'],
    body: 'Is there a way to parse a file incrementally instead of loading it all in memory?',
    comments: [
      { author: 'maint', body: 'Not yet. What sizes are you parsing?', createdAt: at(11) },
      { author: 'grace', body: 'Around 2 GB of log files per run.', createdAt: at(10) },
    ],
  });
  store.addIssue(DEMO_REPO, {
    number: DEMO_ISSUE, title: 'Parser crashes on empty input', author: 'alice', authorAssociation: 'NONE', createdAt: at(3), labels: ['bug', 'parser'],
    body: 'Calling `widgets.parse("")` throws `TypeError: Cannot read properties of undefined` instead of returning `null`.\n\nVersion 2.3.0, Node 20.',
    comments: [
      { author: 'bob', authorAssociation: 'MEMBER', body: 'Thanks! Does `parseAll("")` crash too?', createdAt: at(2, 20) },
      { author: 'alice', authorAssociation: 'NONE', body: 'No, only `parse()`.', createdAt: at(2, 18) },
    ],
  });
  store.addPull(DEMO_REPO, {
    number: 8, title: 'Add a streaming mode to `parseAll`', author: 'hana', authorAssociation: 'CONTRIBUTOR', createdAt: at(8), labels: ['enhancement'], assignees: ['maint'],
    body: 'Closes #6. Adds `parseAll(stream)` that yields documents as they are read.\n\n@maint could you take a look?',
    baseRefName: 'main', headRefName: 'hana/streaming',
    files: [
      { path: 'src/stream.ts', additions: 120, deletions: 0, changeType: 'ADDED' },
      { path: 'src/index.ts', additions: 3, deletions: 1, changeType: 'MODIFIED' },
    ],
    reviewThreads: [
      {
        path: 'src/stream.ts', line: 18,
        diffHunk: '@@ -0,0 +1,24 @@\n+export async function* parseStream(input: Readable) {\n+  let buffer = "";\n+  for await (const chunk of input) {',
        comments: [
          { author: 'maint', body: 'What happens when a chunk ends in the middle of a multi-byte character?', createdAt: at(6) },
          { author: 'hana', authorAssociation: 'CONTRIBUTOR', body: 'It would break. I will use a `StringDecoder`.', createdAt: at(5) },
        ],
      },
    ],
    comments: [{ author: 'hana', authorAssociation: 'CONTRIBUTOR', body: 'Rebased on main and switched to `StringDecoder`.', createdAt: at(1) }],
  });
  store.addIssue(DEMO_REPO, {
    number: 9, title: 'Typo in the error message for invalid UTF-8', author: 'ivan', createdAt: at(15), state: 'CLOSED', labels: ['documentation'],
    body: 'The message says "invalid UTF8 sequense".',
    comments: [{ author: 'bob', body: 'Fixed on main, thanks!', createdAt: at(14) }],
  });
  store.addIssue(DEMO_REPO, {
    number: 10, title: 'Release 2.3.1 checklist', author: 'maint', createdAt: at(0, 6), labels: ['release'], assignees: ['maint'],
    body: '- [ ] Fix #7\n- [ ] Update the changelog\n- [ ] Publish to npm',
  });
}

/** A started FakeGitHub holding the named seed (viewer `maint` unless options say otherwise). */
export async function startFakeGitHubWithSeed(
  seed: SeedName,
  options: FakeGitHubOptions & { port?: number; end?: Date } = {},
): Promise<FakeGitHub> {
  const fake = await FakeGitHub.start({ viewer: DEMO_VIEWER, ...options });
  switch (seed) {
    case 'demo':
      seedDemo(fake.store, { end: options.end });
      break;
  }
  return fake;
}
