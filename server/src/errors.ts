import type { ErrorReason } from './protocol';

/**
 * A failure the person can act on: a reason a client can switch on, a message that says what
 * failed, and a hint that says what to do. Anything else reaching the top is an internal error.
 */
export class ThreadwiseError extends Error {
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ThreadwiseError';
  }

  /** The message and the hint as one line for a terminal or a notification. */
  describe(): string {
    return this.hint ? `${this.message}. ${this.hint}` : this.message;
  }
}

/** Wraps anything thrown into a ThreadwiseError, keeping typed ones as they are. */
export function toThreadwiseError(error: unknown): ThreadwiseError {
  if (error instanceof ThreadwiseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ThreadwiseError('internal', `internal error: ${message}`, 'see the Threadwise log for details', { cause: error });
}
