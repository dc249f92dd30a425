// Runs a FakeGitHub as its own process (UI tests, the CLI demo, benchmarks):
//
//   node --import tsx test/support/github/serve.ts [--port N] [--token T]... [--viewer LOGIN]
//                                                  [--seed demo] [--state-file PATH]
//
// Prints ONE JSON line on stdout once listening:
//   {"url":"http://127.0.0.1:PORT","graphqlUrl":"http://127.0.0.1:PORT/graphql","tokens":["…"]}
// then serves until SIGTERM or SIGINT (exit code 0). With --state-file, the store's comments
// (FakeState JSON, as GET /_fake/state serves them) are written there at start and after every
// change, atomically (a temporary file renamed over it), so another process can read what was posted.
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFakeGitHubWithSeed } from './demoSeed';
import { FakeGitHub } from './fakeGitHub';

const USAGE = 'usage: serve.ts [--port N] [--token T]... [--viewer LOGIN] [--seed demo] [--state-file PATH]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        token: { type: 'string', multiple: true },
        viewer: { type: 'string' },
        seed: { type: 'string' },
        'state-file': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

const { values } = readArgs();
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port: "${values.port}" is not a port number`);
if (values.seed !== undefined && values.seed !== 'demo') fail(`--seed: unknown seed "${values.seed}" (known: demo)`);
const tokens = values.token && values.token.length > 0 ? values.token : ['test-token'];
const options = { port, tokens, ...(values.viewer ? { viewer: values.viewer } : {}) };

const fake = values.seed === 'demo' ? await startFakeGitHubWithSeed('demo', options) : await FakeGitHub.start(options);

const stateFile = values['state-file'];
if (stateFile) {
  let sequence = 0;
  const writeState = () => {
    const temporary = `${stateFile}.${process.pid}.${sequence++}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(fake.store.snapshot(), null, 2)}\n`);
    renameSync(temporary, stateFile);
  };
  writeState();
  fake.store.onDidChange(writeState);
}

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  fake.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`fake GitHub: stopping failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

process.stdout.write(`${JSON.stringify({ url: fake.url, graphqlUrl: fake.graphqlUrl, tokens })}\n`);
