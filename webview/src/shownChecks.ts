import { finalText } from './posting';
import type { ChecksInfo, PersistedState } from './protocol';

/** The checks the Checks section shows and the draft's marks follow, and how they relate to the draft on screen. */
export interface ShownChecks {
  info: ChecksInfo;
  /** `reply`: the run's checks, of the generated text; `edit`: the host's checks of the person's edited draft. */
  of: 'reply' | 'edit';
  /** The draft on screen is exactly the text these checks ran on: the block marks apply and no note is needed. */
  current: boolean;
}

/**
 * Which checks a finished run shows (none while it runs, after a failure, or from an older daemon
 * that reported none): the checks of the text on screen when there are some (the run's when the
 * draft is the generated text, else the edit's when they ran on this very text); otherwise the
 * latest ones, marked as not current (the person edited the draft since they ran).
 */
export function shownChecks(state: PersistedState): ShownChecks | undefined {
  const run = state.run;
  if (run === undefined || (run.status !== 'done' && run.status !== 'cancelled')) return undefined;
  const text = finalText(state);
  const edit = run.editChecks;
  if (run.checks && text === run.text) return { info: run.checks, of: 'reply', current: true };
  if (edit && edit.text === text) return { info: edit.checks, of: 'edit', current: true };
  if (edit) return { info: edit.checks, of: 'edit', current: false };
  return run.checks ? { info: run.checks, of: 'reply', current: false } : undefined;
}
