import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GITHUB_WEB_HOST, httpsHost, openableUrl } from '../../client/src/suggestion/externalUrl';

const hosts = new Set([GITHUB_WEB_HOST, 'ghe.example.com:8443']);

test('https links on a known GitHub host open (normalised)', () => {
  assert.equal(openableUrl('https://github.com/acme/parser/issues/42#issuecomment-1', hosts), 'https://github.com/acme/parser/issues/42#issuecomment-1');
  assert.equal(openableUrl('https://GitHub.com/acme/parser/pull/7', hosts), 'https://github.com/acme/parser/pull/7');
  assert.equal(openableUrl('https://ghe.example.com:8443/acme/parser/issues/1', hosts), 'https://ghe.example.com:8443/acme/parser/issues/1');
});

test('anything else is refused', () => {
  for (const url of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://github.com/acme/parser',
    'https://github.com.evil.invalid/acme',
    'https://evil.invalid/github.com',
    'https://user:secret@github.com/acme',
    'https://ghe.example.com/acme', // the known host has a port
    'file:///etc/passwd',
    'vscode://settings',
    '//github.com/acme',
    'not a url',
    '',
  ]) {
    assert.equal(openableUrl(url, hosts), undefined, url);
  }
});

test('httpsHost: the host to trust for a URL the daemon returned', () => {
  assert.equal(httpsHost('https://ghe.example.com/acme/parser/issues/1#issuecomment-9'), 'ghe.example.com');
  assert.equal(httpsHost('https://ghe.example.com:8443/x'), 'ghe.example.com:8443');
  assert.equal(httpsHost('http://127.0.0.1:3000/x'), undefined);
  assert.equal(httpsHost('javascript:alert(1)'), undefined);
});
