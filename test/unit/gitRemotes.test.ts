import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  dedupeRepositories,
  isRepositoryName,
  orderRemotes,
  parseGitConfig,
  parseGitDirFile,
  repoFromRemoteUrl,
  repositoriesFromConfig,
  rewriteUrl,
} from '../../client/src/github/gitRemotes';
import { GITHUB_WEB_HOSTS } from '../../client/src/github/endpoint';

const GITHUB = GITHUB_WEB_HOSTS;
const GHES = ['ghe.example.com'];

describe('repoFromRemoteUrl', () => {
  test('https, with and without .git, a trailing slash, www', () => {
    for (const url of [
      'https://github.com/octo/widgets',
      'https://github.com/octo/widgets.git',
      'https://github.com/octo/widgets/',
      'https://github.com/octo/widgets.git/',
      'http://github.com/octo/widgets',
      'https://www.github.com/octo/widgets',
      'HTTPS://GitHub.com/octo/widgets.GIT',
    ]) {
      assert.deepEqual(repoFromRemoteUrl(url, GITHUB)?.repo, 'octo/widgets', url);
    }
  });

  test('ssh in URL and scp-like forms, with ports and users', () => {
    for (const url of [
      'git@github.com:octo/widgets.git',
      'git@github.com:octo/widgets',
      'github.com:octo/widgets.git',
      'ssh://git@github.com/octo/widgets.git',
      'ssh://git@github.com:22/octo/widgets',
      'ssh://git@ssh.github.com:443/octo/widgets.git',
      'git+ssh://git@github.com/octo/widgets.git',
      'git://github.com/octo/widgets.git',
      '  git@github.com:octo/widgets.git  ',
    ]) {
      assert.equal(repoFromRemoteUrl(url, GITHUB)?.repo, 'octo/widgets', url);
    }
  });

  test('credentials in the URL never come back', () => {
    const urls = [
      'https://alice:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/octo/widgets.git',
      'https://x-access-token:ghs_secretsecretsecretsecret@github.com/octo/widgets',
      'https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/octo/widgets',
      'https://alice@github.com/octo/widgets',
    ];
    for (const url of urls) {
      const found = repoFromRemoteUrl(url, GITHUB);
      assert.deepEqual(found, { host: 'github.com', repo: 'octo/widgets' }, url);
      assert.doesNotMatch(JSON.stringify(found), /ghp_|ghs_|alice|secret|token/);
    }
  });

  test('GitHub Enterprise Server: only the configured host counts', () => {
    assert.deepEqual(repoFromRemoteUrl('https://ghe.example.com/team/tool.git', GHES), { host: 'ghe.example.com', repo: 'team/tool' });
    assert.deepEqual(repoFromRemoteUrl('git@ghe.example.com:team/tool.git', GHES)?.repo, 'team/tool');
    assert.deepEqual(repoFromRemoteUrl('ssh://git@GHE.example.com:2222/team/tool', GHES)?.repo, 'team/tool');
    assert.equal(repoFromRemoteUrl('https://github.com/octo/widgets', GHES), undefined, 'github.com is not the enterprise host');
    assert.equal(repoFromRemoteUrl('https://ghe.example.com/team/tool', GITHUB), undefined, 'the enterprise host is not github.com');
  });

  test('anything that is not owner/name on a known host is left out', () => {
    for (const url of [
      'https://gitlab.com/octo/widgets.git',
      'https://github.com.evil.example/octo/widgets',
      'https://evil.example/github.com/octo/widgets',
      'https://github.com/octo',
      'https://github.com/octo/widgets/tree/main',
      'https://github.com/octo/../widgets',
      'https://github.com/-octo/widgets',
      '/home/alice/src/widgets',
      '../widgets',
      'C:\\src\\widgets',
      'file:///home/alice/widgets.git',
      'ftp://github.com/octo/widgets',
      '',
      'not a url',
    ]) {
      assert.equal(repoFromRemoteUrl(url, GITHUB), undefined, url);
    }
  });
});

describe('parseGitConfig', () => {
  test('remotes in file order, first url of each, comments and quoting', () => {
    const config = [
      '[core]',
      '\trepositoryformatversion = 0',
      '\tbare = false',
      '[remote "origin"]',
      '\turl = git@github.com:alice/widgets.git   # my fork',
      '\tfetch = +refs/heads/*:refs/remotes/origin/*',
      '\turl = https://example.com/mirror.git',
      '; a comment line',
      '# another',
      '[branch "main"]',
      '\tremote = origin',
      '[Remote "upstream"]',
      '\tURL = "https://github.com/octo/widgets.git" ; fetch from here',
      '[remote "with \\"quotes\\""] url = https://github.com/q/r',
      '[remote.legacy]',
      '\turl = https://github.com/old/style',
    ].join('\n');
    const { remotes } = parseGitConfig(config);
    assert.deepEqual(remotes, [
      { name: 'origin', url: 'git@github.com:alice/widgets.git' },
      { name: 'upstream', url: 'https://github.com/octo/widgets.git' },
      { name: 'with "quotes"', url: 'https://github.com/q/r' },
      { name: 'legacy', url: 'https://github.com/old/style' },
    ]);
  });

  test('CRLF line ends and continued lines', () => {
    const { remotes } = parseGitConfig('[remote "origin"]\r\n\turl = https://github.com/\\\nocto/widgets.git\r\n');
    assert.deepEqual(remotes, [{ name: 'origin', url: 'https://github.com/octo/widgets.git' }]);
  });

  test('insteadOf rewrites, the longest prefix winning', () => {
    const config = parseGitConfig(['[url "git@github.com:"]', '\tinsteadOf = gh:', '[url "https://github.com/octo/"]', '\tinsteadOf = gh:octo/', '[remote "origin"]', '\turl = gh:alice/widgets'].join('\n'));
    assert.deepEqual(config.rewrites, [
      { base: 'git@github.com:', prefix: 'gh:' },
      { base: 'https://github.com/octo/', prefix: 'gh:octo/' },
    ]);
    assert.equal(rewriteUrl('gh:alice/widgets', config.rewrites), 'git@github.com:alice/widgets');
    assert.equal(rewriteUrl('gh:octo/widgets', config.rewrites), 'https://github.com/octo/widgets');
    assert.equal(rewriteUrl('https://example.com/x', config.rewrites), 'https://example.com/x');
    assert.deepEqual(repositoriesFromConfig(config, GITHUB), ['alice/widgets']);
  });

  test('an empty or unrelated file has no remotes', () => {
    assert.deepEqual(parseGitConfig(''), { remotes: [], rewrites: [] });
    assert.deepEqual(parseGitConfig('[core]\n\turl = https://github.com/not/remote\n').remotes, []);
  });
});

describe('repositoriesFromConfig', () => {
  test('a fork: upstream first, then origin, then the rest, each repository once', () => {
    const config = parseGitConfig(
      [
        '[remote "alice"]',
        '\turl = https://github.com/alice/widgets.git',
        '[remote "origin"]',
        '\turl = git@github.com:me/widgets.git',
        '[remote "gitlab"]',
        '\turl = https://gitlab.com/me/widgets.git',
        '[remote "upstream"]',
        '\turl = https://github.com/octo/widgets.git',
        '[remote "upstream-ssh"]',
        '\turl = git@github.com:Octo/Widgets.git',
        '[remote "mirror"]',
        '\turl = https://token@github.com/me/widgets',
      ].join('\n'),
    );
    assert.deepEqual(repositoriesFromConfig(config, GITHUB), ['octo/widgets', 'me/widgets', 'alice/widgets']);
  });

  test('orderRemotes keeps file order among the others', () => {
    const names = orderRemotes([
      { name: 'b', url: '' },
      { name: 'origin', url: '' },
      { name: 'a', url: '' },
      { name: 'upstream', url: '' },
    ]).map((remote) => remote.name);
    assert.deepEqual(names, ['upstream', 'origin', 'b', 'a']);
  });

  test('dedupeRepositories keeps the first spelling', () => {
    assert.deepEqual(dedupeRepositories(['Octo/Widgets', 'octo/widgets', 'x/y', 'X/Y', 'octo/other']), ['Octo/Widgets', 'x/y', 'octo/other']);
  });
});

test('parseGitDirFile reads worktree and submodule pointers', () => {
  assert.equal(parseGitDirFile('gitdir: /home/alice/widgets/.git/worktrees/feature\n'), '/home/alice/widgets/.git/worktrees/feature');
  assert.equal(parseGitDirFile('gitdir: ../.git/modules/vendor/lib\r\n'), '../.git/modules/vendor/lib');
  assert.equal(parseGitDirFile('not a pointer'), undefined);
  assert.equal(parseGitDirFile(''), undefined);
});

test('isRepositoryName', () => {
  for (const ok of ['octo/widgets', 'a/b', 'octo-cat/widgets.js', 'o_o/x_y', 'O1/.github']) assert.equal(isRepositoryName(ok), true, ok);
  for (const bad of ['octo', 'octo/', '/widgets', 'octo/widgets/x', 'octo/..', 'octo/.', '-octo/x', 'oc to/x', 'octo/wid gets', '']) {
    assert.equal(isRepositoryName(bad), false, bad);
  }
});
