/**
 * The manifest of an index generation: which sources it holds, their content hashes (the
 * change-data-capture key: a source is re-chunked and re-embedded only when its hash changes) and
 * which chunk labels each one produced.
 */
export const MANIFEST_FORMAT = 1;

export interface ManifestSource {
  /** sha256 of the source's bytes (docs) or of its cleaned text (issues). */
  hash: string;
  /** Labels of its chunks. */
  labels: number[];
  /** Docs: size and modification time when hashed; an equal pair skips re-reading the file. */
  size?: number;
  mtimeMs?: number;
  /** Docs: the commit the file was indexed at. */
  commitSha?: string | null;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** `owner/name` or `local:<folder>`. */
  key: string;
  embeddingModel: string;
  dimensions: number;
  /** Grows by one with every committed update. */
  generation: number;
  /** ISO-8601 time of the commit. */
  updatedAt: string;
  /** The next free chunk label. */
  nextLabel: number;
  /** The folder the docs came from, when there is one. */
  folder: string | null;
  sources: Record<string, ManifestSource>;
}

export function emptyManifest(key: string, embeddingModel: string, dimensions: number, folder: string | null): Manifest {
  return { format: MANIFEST_FORMAT, key, embeddingModel, dimensions, generation: 0, updatedAt: new Date(0).toISOString(), nextLabel: 0, folder, sources: {} };
}

export function parseManifest(value: unknown): Manifest {
  const manifest = value as Partial<Manifest> | null;
  if (
    !manifest ||
    typeof manifest !== 'object' ||
    manifest.format !== MANIFEST_FORMAT ||
    typeof manifest.key !== 'string' ||
    typeof manifest.embeddingModel !== 'string' ||
    !Number.isInteger(manifest.dimensions) ||
    !Number.isInteger(manifest.generation) ||
    !Number.isInteger(manifest.nextLabel) ||
    typeof manifest.sources !== 'object' ||
    manifest.sources === null
  ) {
    throw new Error('the index manifest is damaged or from another Threadwise version');
  }
  for (const source of Object.values(manifest.sources)) {
    if (!source || typeof source.hash !== 'string' || !Array.isArray(source.labels)) throw new Error('the index manifest has a damaged source entry');
  }
  return { ...manifest, folder: typeof manifest.folder === 'string' ? manifest.folder : null } as Manifest;
}

/** Docs and issues in a manifest, for health reports. */
export function countSources(manifest: Manifest): { files: number; issues: number; chunks: number } {
  let files = 0;
  let issues = 0;
  let chunks = 0;
  for (const [id, source] of Object.entries(manifest.sources)) {
    if (id.startsWith('doc:')) files++;
    else issues++;
    chunks += source.labels.length;
  }
  return { files, issues, chunks };
}
