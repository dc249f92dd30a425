import { open, stat } from 'node:fs/promises';
import { ThreadwiseError } from '../errors';

const GGUF_MAGIC = 'GGUF';

/**
 * Checks that `file` exists and starts like a GGUF file before llama.cpp sees it, so the common
 * mistakes (wrong path, a folder, an HTML error page saved as .gguf) get a precise message.
 * Returns the file's size in bytes.
 */
export async function assertGgufFile(file: string): Promise<number> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ThreadwiseError('model-not-found', `the model path ${file} is not a file`, MODEL_HINT);
    size = info.size;
  } catch (error) {
    if (error instanceof ThreadwiseError) throw error;
    throw new ThreadwiseError('model-not-found', `model file not found at ${file}`, MODEL_HINT, { cause: error });
  }
  const handle = await open(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead < 4 || magic.toString('latin1') !== GGUF_MAGIC) {
      throw new ThreadwiseError('model-invalid', `${file} is not a GGUF model file`, MODEL_HINT);
    }
  } finally {
    await handle.close();
  }
  return size;
}

const MODEL_HINT = 'set threadwise.model (or --model in the CLI) to a GGUF file, or leave it empty to download the default Llama 3 model';
