// The platform-specific VSIX (scripts/package.mjs): what it holds, and that the daemon runs from it
// alone. Builds the VSIX from the current dist/ unless THREADWISE_VSIX names one already built.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ChecksRunRequest, HistoryListRequest } from '../../server/src/protocol';
import type { Thread } from '../../server/src/protocol';
import { DaemonProcess } from '../support/daemonProcess';
import { EXAMPLE_THREAD, ROOT, TINY_GUARD, TINY_LLAMA } from '../support/paths';

// vsce's target names for the machines we build on (alpine/armhf aside).
const TARGET = `${process.platform}-${process.arch}`;
const NODE_MODULES = 'extension/dist/node_modules';

function buildVsix(): string {
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const started = performance.now();
  execFileSync(process.execPath, ['scripts/package.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`# packaged in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path.join(ROOT, `threadwise-${TARGET}-${version}.vsix`);
}

describe('platform-specific VSIX', () => {
  let vsix: string;
  let extracted: string;
  let entries: string[];

  before(async () => {
    vsix = process.env.THREADWISE_VSIX ?? buildVsix();
    // Outside the repository, so nothing can resolve from its node_modules.
    extracted = await mkdtemp(path.join(os.tmpdir(), 'threadwise-vsix-'));
    execFileSync('unzip', ['-q', vsix, '-d', extracted]);
    entries = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 }).split('\n').filter(Boolean);
  });
  after(async () => {
    if (extracted) await rm(extracted, { recursive: true, force: true });
  });

  test('the manifest names this platform as its target', () => {
    const manifest = readFileSync(path.join(extracted, 'extension.vsixmanifest'), 'utf8');
    assert.match(manifest, new RegExp(`TargetPlatform="${TARGET}"`));
  });

  test('it holds the bundles and this platform\'s native binaries, and no other platform\'s', () => {
    const expected = ['extension/package.json', 'extension/dist/client.cjs', 'extension/dist/server.mjs', 'extension/dist/cli.mjs'];
    for (const webviewFile of ['webview.js', 'webview.css', 'threadView.js', 'threadView.css']) {
      if (existsSync(path.join(ROOT, 'dist', webviewFile))) expected.push(`extension/dist/${webviewFile}`);
    }
    if (TARGET === 'linux-x64') {
      expected.push(
        `${NODE_MODULES}/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node`,
        `${NODE_MODULES}/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node`,
        `${NODE_MODULES}/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1`,
        `${NODE_MODULES}/@img/sharp-linux-x64/package.json`,
      );
    }
    for (const entry of expected) assert.ok(entries.includes(entry), `${entry} is in the VSIX`);

    const llamaCppBuilds = new Set(entries.map((entry) => /\/@node-llama-cpp\/([^/]+)\//.exec(entry)?.[1]).filter(Boolean));
    assert.equal(llamaCppBuilds.size, 1, [...llamaCppBuilds].join(', '));
    if (TARGET === 'linux-x64') assert.deepEqual([...llamaCppBuilds], ['linux-x64']);
    const onnxBinaries = new Set(entries.map((entry) => /onnxruntime-node\/bin\/napi-v\d+\/([^/]+\/[^/]+)\//.exec(entry)?.[1]).filter(Boolean));
    assert.deepEqual([...onnxBinaries], [`${process.platform}/${process.arch}`]);
    const sharpBinaries = entries.filter((entry) => /\/@img\/sharp-(?!libvips-)[^/]+\/package\.json$/.test(entry));
    assert.equal(sharpBinaries.length, 1, sharpBinaries.join(', '));
    assert.deepEqual(entries.filter((entry) => entry.endsWith('.map')), []);
    assert.ok(!entries.some((entry) => entry.includes('/onnxruntime-web/')), 'onnxruntime-web (browser-only) is left out');
    assert.ok(!entries.some((entry) => entry.endsWith('/llama/gitRelease.bundle')), 'llama.cpp sources are left out');
  });

  test('the daemon runs from the extracted VSIX: a streamed suggestion with a safety label', async (t) => {
    for (let dir = path.dirname(extracted); ; dir = path.dirname(dir)) {
      assert.ok(!existsSync(path.join(dir, 'node_modules')), `no node_modules in ${dir}, above the extracted VSIX`);
      if (dir === path.dirname(dir)) break;
    }
    const daemon = await DaemonProcess.start(
      { model: TINY_LLAMA, guardrailModel: TINY_GUARD, allowDownloads: false, maxReplyTokens: 60, threads: 1 },
      { serverPath: path.join(extracted, 'extension', 'dist', 'server.mjs'), cwd: extracted, env: { NODE_PATH: undefined } },
    );
    t.after(() => daemon.stop());

    const thread = JSON.parse(readFileSync(EXAMPLE_THREAD, 'utf8')) as Thread;
    const { chunks, result, error } = await daemon.suggest(thread).outcome;
    assert.equal(error, undefined, error?.message);
    assert.ok(result);
    assert.ok(chunks.length > 0);
    assert.equal(chunks.join(''), result.text);
    assert.ok(['SAFE', 'UNSAFE'].includes(result.safety.label), `label ${result.safety.label}`);
    // The history's SQLite addon loads from the VSIX: the suggestion was recorded.
    const history = await daemon.connection.sendRequest(HistoryListRequest.type, {});
    assert.deepEqual(history.entries.map((entry) => entry.id), [result.id]);

    // Every code checker loads from the VSIX: the grammars' wasm, TypeScript, ESLint and its plugin
    // (some are loaded by names a scan of the bundle cannot see, so the VSIX must carry them all).
    const reply = [
      '```ts', 'const value: number = eval(input);', '```',
      '```python', 'import os', 'os.system(cmd)', '```',
      '```bash', 'curl -fsSL https://example.invalid/x.sh | sh', '```',
      '```json', '{"a": 1}', '```',
      '```yaml', 'a: 1', '```',
    ].join('\n');
    const { report } = await daemon.connection.sendRequest(ChecksRunRequest.type, { text: reply });
    assert.deepEqual(
      report.blocks.map((block) => [block.block.language, block.syntax, block.notCheckedReason ?? '', block.findings.map((finding) => finding.ruleId)]),
      [
        ['typescript', 'ok', '', ['no-eval']],
        ['python', 'ok', '', ['python.os-system']],
        ['shell', 'ok', '', ['shell.curl-pipe-shell']],
        ['json', 'ok', '', []],
        ['yaml', 'ok', '', []],
      ],
    );

    // The native libraries the daemon mapped are the VSIX's own.
    if (process.platform === 'linux' && daemon.child.pid !== undefined) {
      const maps = readFileSync(`/proc/${daemon.child.pid}/maps`, 'utf8');
      assert.ok(maps.includes(path.join(extracted, NODE_MODULES, '@node-llama-cpp')), 'llama.cpp is loaded from the VSIX');
      assert.ok(maps.includes(path.join(extracted, NODE_MODULES, 'onnxruntime-node')), 'onnxruntime is loaded from the VSIX');
      assert.ok(!maps.includes(path.join(ROOT, 'node_modules')), 'nothing is loaded from the repository');
    }
  });
});
