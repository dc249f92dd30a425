import type { BlockCheck, ChecksInfo, FromWebview, SourcesInfo } from '../../../webview/src/protocol';
import { waitFor } from '../../support/waitFor';
import { done, init } from './builders';
import { closeCheckingErrors } from './closePages';
import { loadWebview } from './loadWebview';
import type { LoadedWebview } from './loadWebview';

/**
 * What the checks tests share: a reply with three fenced blocks and the checks of it (a passing
 * TypeScript block, a failing Python one naming its file, a Rust one no checker reads), the pages a
 * test opens (closed, error-checked, after each test), and small DOM readers.
 */

export const REPLY = [
  'Try this:',
  '',
  '```ts',
  'const x: number = 1;',
  '```',
  '',
  '```python title="scripts/fix.py"',
  'exec(input())',
  'import pickle; pickle.loads(data)',
  '```',
  '',
  '```rust',
  'fn main() {}',
  '```',
  '',
  'Done.',
].join('\n');

export function aBlock(index: number, overrides: Partial<BlockCheck> = {}): BlockCheck {
  return { index, language: 'typescript', syntax: 'ok', security: 'checked', failed: false, findings: [], ...overrides };
}

export const tsBlock = aBlock(0);
export const pythonBlock = aBlock(1, {
  language: 'python',
  file: 'scripts/fix.py',
  failed: true,
  findings: [
    { ruleId: 'python.exec', kind: 'security', severity: 'error', line: 1, message: 'exec() runs arbitrary code' },
    { ruleId: 'python.pickle-loads', kind: 'security', severity: 'warning', line: 2, message: 'pickle.loads on untrusted data' },
  ],
});
export const rustBlock = aBlock(2, { language: 'rust', syntax: 'not-checked', security: 'not-checked', notCheckedReason: 'unknown language `rust`' });

export function checks(overrides: Partial<ChecksInfo> = {}): ChecksInfo {
  return {
    blocks: [tsBlock, pythonBlock, rustBlock],
    secrets: [],
    unknownSources: 0,
    passed: false,
    failures: 2,
    strict: false,
    repairs: [],
    injection: { flagged: false, findings: [] },
    ...overrides,
  };
}

/** The pages one test opens: `close()` (in `afterEach`) checks each logged no errors and closes it. */
export class CheckPages {
  private page: LoadedWebview | undefined;
  private readonly reloaded: LoadedWebview[] = [];

  /** A new page, the test's main one. */
  open(): LoadedWebview {
    return (this.page = loadWebview());
  }

  /** A further page of the same test (a reload), closed with the main one. */
  extra(page: LoadedWebview): LoadedWebview {
    this.reloaded.push(page);
    return page;
  }

  close(): void {
    closeCheckingErrors(this.page, this.reloaded.splice(0));
    this.page = undefined;
  }

  /** A page whose run 1 streamed and ended with `text`, `info` as its checks (absent: an older daemon). */
  async finished(text: string, info: ChecksInfo | undefined, sources?: SourcesInfo): Promise<LoadedWebview> {
    const current = this.open();
    current.send(init());
    current.send({ type: 'started', runId: 1, requestedAt: Date.now() });
    current.send({ type: 'chunk', runId: 1, text });
    current.send(done(1, text, { ...(info ? { checks: info } : {}), ...(sources ? { sources } : {}) }));
    await waitFor(() => current.document.body.dataset.status === 'done', 'the run done');
    await current.nextFrame();
    return current;
  }
}

export const rows = (current: LoadedWebview): HTMLLIElement[] => Array.from(current.document.querySelectorAll<HTMLLIElement>('#checks-blocks > li'));
export const text = (element: Element | null | undefined): string | undefined => element?.textContent ?? undefined;
export const sent = (current: LoadedWebview, kind: FromWebview['type']): FromWebview[] => current.posted.filter((message) => message.type === kind);
