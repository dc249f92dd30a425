import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EndpointError, resolveEndpoint } from '../../client/src/github/endpoint';
import { redactSecrets } from '../../client/src/daemon/redact';

test('github.com by default', () => {
  assert.deepEqual(resolveEndpoint({ enterpriseUri: '', apiUrl: '' }), {
    providerId: 'github',
    apiUrl: 'https://api.github.com',
    webHosts: ['github.com', 'www.github.com', 'ssh.github.com'],
  });
});

test('GitHub Enterprise Server: its own provider, <uri>/api, its host', () => {
  assert.deepEqual(resolveEndpoint({ enterpriseUri: ' https://GHE.example.com/ ', apiUrl: '' }), {
    providerId: 'github-enterprise',
    apiUrl: 'https://ghe.example.com/api',
    webHosts: ['ghe.example.com'],
    enterpriseUri: 'https://ghe.example.com',
  });
  assert.equal(resolveEndpoint({ enterpriseUri: 'https://ghe.example.com:8443', apiUrl: '' }).apiUrl, 'https://ghe.example.com:8443/api');
});

test('apiUrl overrides the derived API root', () => {
  assert.equal(resolveEndpoint({ enterpriseUri: '', apiUrl: 'https://proxy.example.com/github/' }).apiUrl, 'https://proxy.example.com/github');
  assert.equal(resolveEndpoint({ enterpriseUri: 'https://ghe.example.com', apiUrl: 'https://ghe.example.com/api/v3' }).apiUrl, 'https://ghe.example.com/api/v3');
  assert.equal(resolveEndpoint({ enterpriseUri: '', apiUrl: 'http://127.0.0.1:4000' }).apiUrl, 'http://127.0.0.1:4000', 'plain http on loopback (a local test server)');
  assert.equal(resolveEndpoint({ enterpriseUri: '', apiUrl: 'http://localhost:4000/' }).apiUrl, 'http://localhost:4000');
});

test('addresses that would leak the token or are not URLs are refused with the setting named', () => {
  const cases: Array<[{ enterpriseUri: string; apiUrl: string }, RegExp]> = [
    [{ enterpriseUri: 'ghe.example.com', apiUrl: '' }, /threadwise\.github\.enterpriseUri is not a URL: "ghe\.example\.com"\. Write it like https:\/\/ghe\.example\.com/],
    [{ enterpriseUri: 'http://ghe.example.com', apiUrl: '' }, /threadwise\.github\.enterpriseUri must be an https address/],
    [{ enterpriseUri: '', apiUrl: 'http://api.example.com' }, /threadwise\.github\.apiUrl must be an https address \(your token is sent there\)/],
    [{ enterpriseUri: '', apiUrl: 'https://user:pw@api.example.com' }, /must not hold a user name or password/],
    [{ enterpriseUri: '', apiUrl: 'https://api.example.com/?x=1' }, /must not have a query or fragment/],
    [{ enterpriseUri: 'file:///etc', apiUrl: '' }, /must be an https address/],
  ];
  for (const [settings, message] of cases) {
    assert.throws(() => resolveEndpoint(settings), (error: unknown) => error instanceof EndpointError && message.test(error.message), JSON.stringify(settings));
  }
});

test('redactSecrets hides the token in the language client trace, in both formats', () => {
  const text = `Sending request 'threadwise/github/setAuth - (3)'.\nParams: {\n    "token": "gho_16C7e42F292c6912E7710c838347Ae178B4a",\n    "apiUrl": "https://api.github.com"\n}`;
  const redacted = redactSecrets(text);
  assert.doesNotMatch(redacted, /gho_16C7/);
  assert.match(redacted, /"token": "\[redacted\]"/);
  assert.match(redacted, /"apiUrl": "https:\/\/api\.github\.com"/);

  const json = JSON.stringify({ type: 'send-request', message: { method: 'threadwise/github/setAuth', params: { token: 'an "odd" token', apiUrl: 'x' } } });
  assert.doesNotMatch(redactSecrets(json), /odd/);
  const nested = JSON.stringify(JSON.stringify({ token: 'abc123secret' }));
  assert.doesNotMatch(redactSecrets(nested), /abc123secret/);

  assert.equal(redactSecrets('token ghp_abcdefghijklmnopqrstuvwxyz0123456789 and github_pat_11ABCDEFG0123456789_abcdefghijklmnop'), 'token [redacted] and [redacted]');
  assert.equal(redactSecrets('"token": null'), '"token": null', 'a sign-out has nothing to hide');
  assert.equal(redactSecrets('nothing secret here'), 'nothing secret here');
});

test('authProvider overrides the sign-in provider only', () => {
  const endpoint = resolveEndpoint({ enterpriseUri: '', apiUrl: 'http://127.0.0.1:4000', authProvider: ' fake-github ' });
  assert.equal(endpoint.providerId, 'fake-github');
  assert.equal(endpoint.apiUrl, 'http://127.0.0.1:4000');
  assert.deepEqual(endpoint.webHosts, ['github.com', 'www.github.com', 'ssh.github.com']);
  assert.equal(resolveEndpoint({ enterpriseUri: 'https://ghe.example.com', apiUrl: '', authProvider: '' }).providerId, 'github-enterprise');
});
