import os from 'node:os';
import path from 'node:path';
import { ThreadwiseError } from '../errors';
import { pickDefaultModel } from './defaultModel';
import { downloadFile, isCompleteDownload } from './download/downloadFile';
import type { DownloadProgress } from './download/downloadFile';
import { hfDownloadUrl, hfEndpoint, localPathFor, parseHfUri } from './download/hfUri';

export interface LocateOptions {
  /** `<storage>/models`. */
  modelsDir: string;
  allowDownloads: boolean;
  onDownloadProgress?(progress: DownloadProgress, uri: string): void;
  log?(message: string): void;
  signal?: AbortSignal;
}

export interface LocatedModel {
  path: string;
  /** The `hf:` URI it came from, when it did. */
  uri?: string;
}

/**
 * Turns the `threadwise.model` setting into a local GGUF path: a path is taken as it is (checked
 * when loading); an `hf:` URI is served from the models folder, downloaded first when missing; an
 * empty setting means the default Llama 3 model for this machine's memory.
 */
export async function locateChatModel(setting: string, options: LocateOptions): Promise<LocatedModel> {
  let uri = setting.trim();
  if (uri === '') {
    const choice = pickDefaultModel();
    options.log?.(`no threadwise.model set: using ${choice.label} (${choice.reason})`);
    uri = choice.uri;
  }
  if (!uri.startsWith('hf:')) return { path: expandHome(uri) };

  const ref = parseHfUri(uri);
  const destination = localPathFor(ref, options.modelsDir);
  if (await isCompleteDownload(destination)) return { path: destination, uri };
  if (!options.allowDownloads) {
    throw new ThreadwiseError(
      'model-not-found',
      `the model ${uri} is not downloaded yet and downloads are turned off`,
      'allow downloads, or set threadwise.model (--model in the CLI) to a local GGUF file',
    );
  }
  options.log?.(`downloading ${uri} to ${destination}`);
  const downloaded = await downloadFile({
    url: hfDownloadUrl(ref, hfEndpoint()),
    destination,
    onProgress: (progress) => options.onDownloadProgress?.(progress, uri),
    signal: options.signal,
  });
  options.log?.(`downloaded ${uri}: ${downloaded.sizeBytes} bytes, sha256 ${downloaded.sha256}`);
  return { path: downloaded.path, uri };
}

function expandHome(file: string): string {
  if (file === '~' || file.startsWith('~/')) return path.join(os.homedir(), file.slice(1));
  return path.resolve(file);
}
