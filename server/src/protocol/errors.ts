/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): how the
 * daemon fails. Every ResponseError it sends carries code THREADWISE_ERROR_CODE and a
 * ThreadwiseErrorData, and a DaemonStatus in `error` state names an ErrorReason.
 */

/** Why a request or an engine failed, machine-readable: clients switch on it. */
export type ErrorReason =
  | 'model-not-found'
  | 'model-invalid'
  | 'model-download-failed'
  | 'guardrail-unavailable'
  | 'invalid-thread'
  | 'prompt-too-large'
  | 'not-configured'
  /** No GitHub token, or GitHub refused it (401, or 403 without a rate limit). */
  | 'github-auth'
  /** GitHub could not be reached (offline, DNS, timeouts, 5xx after the retries). */
  | 'github-unreachable'
  /** The primary or secondary rate limit is exhausted; the message says until when. */
  | 'github-rate-limited'
  /** The repository, issue or comment does not exist or the token cannot see it. */
  | 'github-not-found'
  /** GitHub answered with something that is not the expected shape (malformed or partial). */
  | 'github-bad-response'
  /** The embedding model could not be loaded. */
  | 'embedder-unavailable'
  /** An index could not be built, read or searched (the message says which and why). */
  | 'knowledge-index'
  /** A request's parameters were malformed (the message says which). */
  | 'invalid-params'
  /** The history database could not be opened, read or written, or an export file could not be written. */
  | 'history'
  | 'internal';

/** `data` of every ResponseError the daemon sends: a machine-readable reason and what to do. */
export interface ThreadwiseErrorData {
  reason: ErrorReason;
  /** What the person can do about it, e.g. which setting to change. */
  hint?: string;
}

/** JSON-RPC error code used for all Threadwise failures (in the server-defined range). */
export const THREADWISE_ERROR_CODE = -32050;
