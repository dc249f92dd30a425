import assert from 'node:assert/strict';
import type { LoadedPage } from './loadWebview';

/** What closing needs of a page of either bundle. */
type ClosablePage = Pick<LoadedPage<unknown, unknown, unknown>, 'errors' | 'close'>;

/**
 * A test's end (its `afterEach`): every page it reloaded (`reloaded`), then its main `page`, must
 * have logged no errors; each is closed after its check. A page that logged errors fails the test.
 */
export function closeCheckingErrors(page: ClosablePage | undefined, reloaded: readonly ClosablePage[] = []): void {
  for (const extra of reloaded) {
    assert.deepEqual(extra.errors, [], 'the reloaded page logged errors');
    extra.close();
  }
  assert.deepEqual(page?.errors ?? [], [], 'the page logged errors');
  page?.close();
}
