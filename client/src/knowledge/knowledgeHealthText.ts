import type { KnowledgeHealth } from '../../../server/src/protocol';

/**
 * Words for the knowledge indexes' health (status item tooltip, notifications). Pure, so it can be
 * tested without VS Code.
 */
export function indexName(health: Pick<KnowledgeHealth, 'key'>): string {
  return health.key.startsWith('local:') ? health.key.slice('local:'.length) : health.key;
}

/** "octo/widgets: 12 files, 3 issues, 140 chunks, updated 2026-11-21 10:04" (or its state). */
export function healthLine(health: KnowledgeHealth, formatTime: (iso: string) => string = (iso) => iso): string {
  const name = indexName(health);
  const counts = `${health.files} ${health.files === 1 ? 'file' : 'files'}, ${health.issues} ${health.issues === 1 ? 'issue' : 'issues'}, ${health.chunks} ${health.chunks === 1 ? 'chunk' : 'chunks'}`;
  switch (health.state) {
    case 'indexing': {
      const p = health.progress;
      const step = p && p.total > 0 ? `${p.phase} ${p.done}/${p.total}` : (p?.phase ?? 'starting');
      return `${name}: indexing (${step})`;
    }
    case 'empty':
      return `${name}: not indexed yet`;
    case 'error':
      return `${name}: ${counts}; last update failed: ${health.lastError ?? 'unknown error'}`;
    case 'ready':
      return `${name}: ${counts}${health.lastUpdated ? `, updated ${formatTime(health.lastUpdated)}` : ''}`;
  }
}
