/**
 * The history of suggestions in a real extension host with the real daemon and the tiny models:
 * Suggest Reply and Regenerate record suggestions (the panel reports the one it replaced as
 * discarded), the History view lists and filters them, the explain panel and the metrics dashboard
 * render them, exports write them, and Clear deletes them.
 *
 * The file sorts after suggestReply.test.ts on purpose: that suite checks that the extension is not
 * active before its first command, and index.ts runs the files in name order. The suite works on
 * the examples thread (acme/yamlette#42), which no other suite suggests on, and clears that
 * repository's records first, so its counts are its own whatever ran before.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import * as vscode from 'vscode';
import type { ThreadwiseApi } from '../../client/src/extension';
import type { HistoryApi } from '../../client/src/history/historyFeature';
import type { HistoryEntryNode } from '../../client/src/history/historyTreeModel';
import { escapeHtml, formatMs, formatNumber } from '../../client/src/history/htmlText';
import type { HistoryEntry, HistoryRecord, Suggestion } from '../../server/src/protocol';
import { waitFor as pollFor } from '../support/waitFor';
import { extension, setSettings, tinyModelSettings, waitFor } from './support';

const REPO = 'acme/yamlette';
const KEY = `${REPO}#42`;
const TITLE = 'Parser crashes on empty document with a BOM';
/** The explain page's stage headings, in the order the daemon runs them. */
const STAGES = ['Thread', 'Retrieval', 'Prompt', 'Model', 'Generation', 'Checks', 'Guardrail', 'Reply', 'Outcome'];

suite('History of suggestions', () => {
  let api: ThreadwiseApi;
  let history: HistoryApi;
  /** The suggestion Suggest Reply made, then the one Regenerate made (set by the first two tests). */
  let first: Suggestion | undefined;
  let second: Suggestion | undefined;
  const both = (): [Suggestion, Suggestion] => {
    assert.ok(first && second, 'the Suggest Reply and Regenerate tests did not record their suggestions');
    return [first, second];
  };

  /** The entries of REPO the History view shows, read through its provider as VS Code reads them. */
  async function rows(): Promise<HistoryEntryNode[] | undefined> {
    const roots = await history.view.provider.getChildren();
    const repo = roots.find((node) => node.kind === 'repo' && node.repo === REPO);
    if (!repo) return undefined;
    return (await history.view.provider.getChildren(repo)).filter((node): node is HistoryEntryNode => node.kind === 'entry');
  }

  /** Polls the view (it reloads a short while after the daemon's change notification) until its rows under REPO are `ids`. */
  async function rowsAre(ids: string[], what: string): Promise<HistoryEntryNode[]> {
    return pollFor(async () => {
      const shown = await rows();
      return shown && shown.map((node) => node.entry.id).join() === ids.join() ? shown : undefined;
    }, what, 20_000);
  }

  async function entriesOfRepo(): Promise<HistoryEntry[]> {
    return (await history.client.list({ repo: REPO })).entries;
  }

  suiteSetup(async function () {
    this.timeout(120_000);
    await setSettings(tinyModelSettings());
    await vscode.commands.executeCommand('threadwise.showLog');
    await waitFor(() => extension().isActive, 'activation');
    api = extension().exports;
    assert.ok(api.history, 'the extension API has no history (client/src/extension.ts must expose registerHistoryFeature’s result)');
    history = api.history;
    await api.whenDaemonRunning(60_000);
    await history.client.clear(REPO);
  });

  suiteTeardown(() => {
    // The webview panels this suite opened (the suggestion panel is closed by its own test).
    const labels = new Set([`Explain #42`, `Metrics: ${REPO}`, 'Threadwise Metrics', `Reply: ${KEY}`]);
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && labels.has(tab.label));
    return vscode.window.tabGroups.close(tabs).then(() => undefined);
  });

  test('Suggest Reply on the examples thread records the suggestion, pending, made by vscode', async function () {
    this.timeout(120_000);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs with the examples folder open');
    first = await api.suggestReply(vscode.Uri.joinPath(folder.uri, 'parser-crash.thread.json'));
    assert.ok(first, 'no suggestion');
    assert.equal(first.threadRef, KEY);

    // Recorded before the reply came back: the list has it at once.
    const entries = await entriesOfRepo();
    assert.equal(entries.length, 1);
    const entry = entries[0];
    assert.ok(entry);
    assert.deepEqual(
      { id: entry.id, createdAt: entry.createdAt, origin: entry.origin, repo: entry.repo, number: entry.number, kind: entry.kind, title: entry.title, outcome: entry.outcome, modelName: entry.modelName, cancelled: entry.cancelled },
      { id: first.id, createdAt: first.createdAt, origin: 'vscode', repo: REPO, number: 42, kind: 'issue', title: TITLE, outcome: null, modelName: first.model.name, cancelled: false },
    );
    assert.equal(entry.timeToFirstTokenMs, first.timings.timeToFirstTokenMs);
    assert.equal(entry.tokensPerSecond, first.timings.tokensPerSecond);

    const [row] = await rowsAre([first.id], 'the History view to show the suggestion');
    assert.ok(row);
    const item = history.view.provider.getTreeItem(row);
    assert.equal(item.label, `#42 ${TITLE}`);
    assert.match(String(item.description), new RegExp(`^pending · .+ · ${escapeRegExp(first.model.name)}$`));
    assert.equal(item.command?.command, 'threadwise.explainSuggestion');
  });

  test('Regenerate discards the suggestion on screen and records the new one, pending, newest first', async function () {
    this.timeout(120_000);
    assert.ok(first, 'the Suggest Reply test did not record a suggestion');
    second = await api.regenerate(KEY);
    assert.notEqual(second.id, first.id);

    const entries = await pollFor(async () => {
      const listed = await entriesOfRepo();
      return listed.length === 2 && listed[1]?.outcome === 'discarded' ? listed : undefined;
    }, 'the first suggestion to be reported discarded', 20_000);
    assert.deepEqual(entries.map((entry) => [entry.id, entry.outcome, entry.origin]), [[second.id, null, 'vscode'], [first.id, 'discarded', 'vscode']]);
    const record = await history.client.record(first.id);
    assert.ok(record.outcome);
    assert.equal(record.outcome.outcome, 'discarded');
    assert.equal(record.outcome.editDistance, null);
    assert.equal(record.outcome.finalLength, null);

    const shown = await pollFor(async () => {
      const nodes = await rowsAre([second?.id ?? '', first?.id ?? ''], 'the History view to show both, newest first');
      return nodes.every((node, index) => node.entry.outcome === (index === 0 ? null : 'discarded')) ? nodes : undefined;
    }, 'the History view to show the outcome', 20_000);
    assert.deepEqual(shown.map((node) => String(history.view.provider.getTreeItem(node).description).split(' · ')[0]), ['pending', 'discarded']);
    const repoNode = (await history.view.provider.getChildren()).find((node) => node.kind === 'repo' && node.repo === REPO);
    assert.ok(repoNode);
    assert.equal(history.view.provider.getTreeItem(repoNode).description, '2');
  });

  test('Explain opens a static page of the record: the stages in dataflow order, the thread, the model file', async () => {
    const [discarded] = both();
    const record: HistoryRecord = await history.client.record(discarded.id);
    const panel = await history.explain(discarded.id);
    assert.equal(panel.panel.title, 'Explain #42');
    assert.equal(panel.panel.webview.options.enableScripts, false);
    const html = panel.html;
    assert.doesNotMatch(html, /<script/i);
    let from = 0;
    STAGES.forEach((title, index) => {
      const at = html.indexOf(`<span class="step">${index + 1}</span> ${title}`, from);
      assert.ok(at > from, `stage ${index + 1} ${title} is missing or out of order`);
      from = at;
    });
    assert.ok(html.includes(`<h1>#42 ${escapeHtml(TITLE)}</h1>`), 'the thread title is not the heading');
    assert.ok(record.suggestion.model.file.endsWith('tiny-llama.gguf'), record.suggestion.model.file);
    assert.ok(html.includes(`<dt>File</dt><dd><code>${escapeHtml(record.suggestion.model.file)}</code></dd>`), 'the model file is not shown');
    assert.ok(html.includes(`<code>${escapeHtml(discarded.id)}</code>`));
    assert.ok(html.includes('<dt>Outcome</dt><dd>discarded</dd>'), 'the outcome is not shown');

    assert.equal(await history.explain(discarded.id), panel, 'asking again opens a second panel');
    assert.equal(history.explainPanels.get(discarded.id), panel);
    await assert.rejects(history.explain('no-such-suggestion'), (error: Error & { reason?: string }) => error.reason === 'invalid-params');
  });

  test('the metrics dashboard plots the recorded speed, check failures and acceptance', async function () {
    this.timeout(60_000);
    const [older, newer] = both();
    await vscode.commands.executeCommand('threadwise.showMetrics');
    assert.ok(history.metrics.html?.includes('<svg class="line-chart"'), 'the dashboard of all repositories plots nothing');

    // Scoped to the suite's repository (what "Change repository…" picks), then shown by the command again.
    await history.metrics.show(REPO);
    await vscode.commands.executeCommand('threadwise.showMetrics');
    assert.equal(history.metrics.repo, REPO);
    const metrics = history.metrics.metrics;
    assert.ok(metrics);
    assert.deepEqual(metrics, await history.client.metrics({ repo: REPO }));
    assert.equal(metrics.total, 2);
    assert.deepEqual(metrics.acceptance, { posted: 0, edited: 0, copied: 0, discarded: 1, pending: 1 });
    for (const s of [older, newer]) assert.ok(s.timings.timeToFirstTokenMs !== null, `suggestion ${s.id} has no time to first token`);
    assert.deepEqual(
      metrics.speed,
      [older, newer].map((s) => ({ createdAt: s.createdAt, timeToFirstTokenMs: s.timings.timeToFirstTokenMs, tokensPerSecond: s.timings.tokensPerSecond, modelName: s.model.name })),
    );

    const html = history.metrics.html ?? '';
    assert.doesNotMatch(html, /<script/i);
    assert.ok(html.includes(`<strong>${REPO}</strong>`));
    assert.match(html, /<svg class="line-chart"[^>]*><title id="ttft-title">Time to first token over time<\/title>/);
    assert.match(html, /<svg class="line-chart"[^>]*><title id="tps-title">Tokens per second over time<\/title>/);
    assert.match(html, /<svg class="(?:bar-chart|empty-chart)"[^>]*><title id="rules-title">Check failure rate by rule<\/title>/);
    assert.match(html, /<svg class="stacked-bar"[^>]*><title id="acceptance-title">What happened to the suggestions<\/title>/);
    // The numbers under the plots: per model, 2 suggestions, median, 90th percentile, latest.
    const ttft = [older, newer].map((s) => s.timings.timeToFirstTokenMs ?? 0);
    const tps = [older, newer].map((s) => s.timings.tokensPerSecond);
    const model = escapeHtml(older.model.name);
    assert.ok(html.includes(speedRow(model, ttft, (v) => formatMs(v))), `no time-to-first-token row ${speedRow(model, ttft, (v) => formatMs(v))}`);
    assert.ok(html.includes(speedRow(model, tps, (v) => `${formatNumber(v)} tokens/s`)), 'no tokens/s row');
    const failing = metrics.rules.filter((rule) => rule.failures > 0);
    for (const rule of metrics.rules) assert.equal(rule.checked, 2);
    if (failing.length === 0) assert.ok(html.includes('No check has failed yet.'));
    for (const rule of failing) {
      const rate = (rule.failures / rule.checked) * 100;
      assert.ok(html.includes(escapeHtml(`${rule.rule}: failed in ${rule.failures} of 2 suggestions (${formatNumber(rate)}%)`)), `rule ${rule.rule} is not plotted`);
    }
    assert.ok(html.includes('Discarded: 1 (50%)') && html.includes('Pending: 1 (50%)') && html.includes('Posted as is: 0 (0%)'), 'the acceptance legend');
    assert.ok(html.includes('<tr><td>Discarded</td><td>1</td><td>50%</td></tr><tr><td>Pending</td><td>1</td><td>50%</td></tr>'), 'the acceptance table');
  });

  test('exports the records as JSONL, CSV and Parquet', async () => {
    const ids = both()
      .map((s) => s.id)
      .sort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadwise-history-export-'));
    const exported = async (format: 'jsonl' | 'csv' | 'parquet'): Promise<Buffer> => {
      const out = path.join(dir, `history.${format}`);
      const result = await history.client.export({ format, out, repo: REPO, disposition: 'replace' });
      const bytes = fs.readFileSync(out);
      assert.deepEqual(result, { path: out, format, exported: 2, rows: 2, bytes: bytes.length });
      return bytes;
    };

    const lines = (await exported('jsonl')).toString('utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const records = lines.map((line) => JSON.parse(line) as HistoryRecord);
    assert.deepEqual(records.map((r) => r.id).sort(), ids);
    assert.deepEqual(new Set(records.map((r) => `${r.origin} ${r.thread.repo}#${r.thread.number}`)), new Set([`vscode ${KEY}`]));
    assert.equal(records.find((r) => r.id === first?.id)?.outcome?.outcome, 'discarded');

    const rowsOfCsv = parseCsv<Record<string, string>>((await exported('csv')).toString('utf8'), { columns: true });
    assert.equal(rowsOfCsv.length, 2);
    assert.deepEqual(rowsOfCsv.map((row) => row['id']).sort(), ids);
    assert.deepEqual(rowsOfCsv.map((row) => [row['repo'], row['origin']]), [[REPO, 'vscode'], [REPO, 'vscode']]);
    assert.equal(rowsOfCsv.find((row) => row['id'] === first?.id)?.['outcome'], 'discarded');

    const parquet = await exported('parquet');
    assert.equal(parquet.subarray(0, 4).toString('latin1'), 'PAR1');
    assert.equal(parquet.subarray(-4).toString('latin1'), 'PAR1');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the History view filters by outcome, says so, and clears the filter', async () => {
    const [discarded, pending] = both();
    await history.view.setFilter({ outcome: 'discarded' });
    assert.deepEqual(history.view.filter, { outcome: 'discarded' });
    assert.equal(history.view.view.description, 'Filtered: discarded');
    await rowsAre([discarded.id], 'only the discarded suggestion');

    await history.view.setFilter({ outcome: 'pending' });
    assert.equal(history.view.view.description, 'Filtered: pending');
    await rowsAre([pending.id], 'only the pending suggestion');

    // The Clear Filter button's command (shown while the `threadwise.history.filtered` context key is set).
    await vscode.commands.executeCommand('threadwise.history.clearFilter');
    assert.deepEqual(history.view.filter, {});
    assert.equal(history.view.view.description, undefined);
    await rowsAre([pending.id, discarded.id], 'both suggestions again');
  });

  test('closing the suggestion panel discards the suggestion on screen', async () => {
    const [, shown] = both();
    const tab = vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === `Reply: ${KEY}`);
    assert.ok(tab, `no tab "Reply: ${KEY}"`);
    await vscode.window.tabGroups.close(tab);
    await pollFor(async () => (await history.client.record(shown.id)).outcome?.outcome === 'discarded', 'the shown suggestion to be reported discarded', 20_000);
    assert.deepEqual((await entriesOfRepo()).map((entry) => entry.outcome), ['discarded', 'discarded']);
  });

  test('clearing the repository deletes its records and the view drops it', async () => {
    both();
    assert.deepEqual(await history.client.clear(REPO), { deleted: 2 });
    assert.deepEqual(await entriesOfRepo(), []);
    assert.ok(!(await history.client.repositories()).some((repo) => repo.repo === REPO));
    await pollFor(async () => (await rows()) === undefined, `the History view to drop ${REPO}`, 20_000);
  });
});

/** The table row of a speed plot for one model with two points: `<td>model</td><td>2</td>` then median, 90th percentile, latest. */
function speedRow(model: string, [older, newer]: number[], format: (value: number) => string): string {
  const a = older ?? 0;
  const b = newer ?? 0;
  const [low, high] = a <= b ? [a, b] : [b, a];
  return `<tr><td>${model}</td><td>2</td><td>${format(low + (high - low) * 0.5)}</td><td>${format(low + (high - low) * 0.9)}</td><td>${format(b)}</td></tr>`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
