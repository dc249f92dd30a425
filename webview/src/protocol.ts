/**
 * Messages between the suggestion webview and its host in the extension, as discriminated unions
 * keyed by `type`, handled with exhaustive switches on both sides. The webview opens with `ready`;
 * the host answers with `init` and queues later posts until then.
 */

/** host → webview */
export type ToWebview =
  | { type: 'init'; threadRef: string; title: string }
  | { type: 'phase'; message: string }
  | { type: 'chunk'; text: string }
  | { type: 'done'; text: string; cancelled: boolean; safety: { label: string; score: number; unsafe: boolean }; tokensPerSecond: number; timeToFirstTokenMs: number | null }
  | { type: 'error'; message: string };

/** webview → host */
export type FromWebview = { type: 'ready' } | { type: 'stop' } | { type: 'regenerate' } | { type: 'copy'; text: string };
