import path from 'node:path';
import type { KnowledgeSource } from '../../protocol';
import { blobUrl } from '../ingest/webLinks';
import type { ChunkRecord } from '../store/chunkRecord';

/** Where an index's docs live and how to link them. */
export interface SourceContext {
  /** The docs folder on this machine, or null (an index read without its folder, e.g. on another machine). */
  folder: string | null;
  repo: string | null;
  /** GitHub's web root (`https://github.com`), or null when no links can be made. */
  webUrl: string | null;
}

/** A stored chunk as a source the client can show and open (without its prompt number). */
export function sourceOf(record: ChunkRecord, context: SourceContext, score: number): Omit<KnowledgeSource, 'number'> {
  if (record.kind !== 'doc') {
    return {
      chunkId: record.chunkId,
      kind: record.kind,
      title: `#${record.issueNumber ?? '?'} ${record.title ?? ''}`.trim(),
      headingPath: [],
      ...(record.issueNumber !== undefined ? { issueNumber: record.issueNumber } : {}),
      url: record.url ?? null,
      text: record.text,
      score,
    };
  }
  const shownPath = record.repoPath ?? record.file ?? '';
  const source: Omit<KnowledgeSource, 'number'> = {
    chunkId: record.chunkId,
    kind: 'doc',
    title: [shownPath, ...record.headingPath].filter((part) => part !== '').join(' › '),
    headingPath: record.headingPath,
    path: shownPath,
    commitSha: record.commitSha ?? null,
    url: blobUrl(context.webUrl, context.repo, record.commitSha, record.repoPath, record.startLine, record.endLine),
    text: record.text,
    score,
  };
  if (record.startLine !== undefined) source.startLine = record.startLine;
  if (record.endLine !== undefined) source.endLine = record.endLine;
  if (context.folder !== null && record.file) source.localPath = path.join(context.folder, ...record.file.split('/'));
  return source;
}
