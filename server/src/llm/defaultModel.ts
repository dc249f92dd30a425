import os from 'node:os';

export interface DefaultModelChoice {
  /** `hf:` URI of the GGUF file. */
  uri: string;
  label: string;
  /** Approximate download size, for messages. */
  approxBytes: number;
  /** Why this one was picked, for the log. */
  reason: string;
}

const GIB = 1024 ** 3;
/** The 8B Q4_K_M file is ~4.9 GB; with its KV cache, VS Code and the OS it wants about this much RAM. */
const MIN_MEMORY_FOR_8B = 12 * GIB;

export const LLAMA_3_1_8B: Omit<DefaultModelChoice, 'reason'> = {
  uri: 'hf:bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf',
  label: 'Llama 3.1 8B Instruct (Q4_K_M)',
  approxBytes: 4.92e9,
};

export const LLAMA_3_2_3B: Omit<DefaultModelChoice, 'reason'> = {
  uri: 'hf:bartowski/Llama-3.2-3B-Instruct-GGUF/Llama-3.2-3B-Instruct-Q4_K_M.gguf',
  label: 'Llama 3.2 3B Instruct (Q4_K_M)',
  approxBytes: 2.02e9,
};

/** The Llama 3 instruct model used when `threadwise.model` is empty: 8B where it fits in memory, 3B otherwise. */
export function pickDefaultModel(totalMemoryBytes = os.totalmem()): DefaultModelChoice {
  const gib = (totalMemoryBytes / GIB).toFixed(1);
  if (totalMemoryBytes >= MIN_MEMORY_FOR_8B) {
    return { ...LLAMA_3_1_8B, reason: `${gib} GiB of memory fits the 8B model` };
  }
  return { ...LLAMA_3_2_3B, reason: `${gib} GiB of memory is under the 12 GiB the 8B model wants` };
}
