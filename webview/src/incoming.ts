import { isArrayOf, isBoolean, isNumber, isObject, isOptionalNumber, isOptionalString, isString } from './guards';
import { isChecksInfo, isDraftChecks, isRepairState } from './incomingChecks';
import type { CitationFlag, CitedSource, DraftEdit, PersistedState, PostPhase, PostState, RunSnapshot, RunStatus, SourcesInfo, ThreadInfo, ToWebview } from './protocol';

const RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>(['idle', 'waiting', 'generating', 'done', 'cancelled', 'error']);
const POST_PHASES: ReadonlySet<string> = new Set<PostPhase>(['idle', 'confirming', 'posting', 'updating']);

export function isThreadInfo(value: unknown): value is ThreadInfo {
  return isObject(value) && isString(value.title) && isString(value.ref) && (value.url === undefined || isString(value.url));
}

export function isRunSnapshot(value: unknown): value is RunSnapshot {
  return (
    isObject(value) &&
    isNumber(value.runId) &&
    isString(value.text) &&
    isString(value.status) &&
    RUN_STATUSES.has(value.status) &&
    (value.sources === undefined || isSourcesInfo(value.sources)) &&
    (value.checks === undefined || isChecksInfo(value.checks)) &&
    (value.editChecks === undefined || isDraftChecks(value.editChecks)) &&
    (value.repair === undefined || isRepairState(value.repair))
  );
}

const SOURCE_KINDS: ReadonlySet<string> = new Set<CitedSource['kind']>(['doc', 'issue', 'pull']);
const FLAG_KINDS: ReadonlySet<string> = new Set<CitationFlag['kind']>(['unknown-source', 'unknown-url']);

function isCitedSource(value: unknown): value is CitedSource {
  return (
    isObject(value) &&
    isNumber(value.number) &&
    isString(value.kind) &&
    SOURCE_KINDS.has(value.kind) &&
    isString(value.title) &&
    isOptionalNumber(value.startLine) &&
    isOptionalNumber(value.endLine) &&
    isOptionalString(value.url) &&
    isBoolean(value.openable)
  );
}

function isCitationFlag(value: unknown): value is CitationFlag {
  return isObject(value) && isString(value.kind) && FLAG_KINDS.has(value.kind) && isString(value.text) && isOptionalNumber(value.number);
}

/** Every field the Sources section and the citation marks read, with the types they read it as. */
export function isSourcesInfo(value: unknown): value is SourcesInfo {
  return (
    isObject(value) &&
    isArrayOf(value.cited, isCitedSource) &&
    isArrayOf(value.given, isNumber) &&
    isArrayOf(value.flags, isCitationFlag) &&
    isBoolean(value.noRelevantSources) &&
    isBoolean(value.indexed) &&
    isOptionalString(value.skippedReason)
  );
}

export function isDraftEdit(value: unknown): value is DraftEdit {
  return isObject(value) && isNumber(value.runId) && isString(value.text);
}

/** Fields of a posted comment; the url is checked again (https only) where it becomes a link. */
function isPostedComment(value: unknown): boolean {
  return isObject(value) && isString(value.commentId) && isString(value.url) && isString(value.body);
}

export function isPostState(value: unknown): value is PostState {
  if (!isObject(value) || !isString(value.phase) || !POST_PHASES.has(value.phase)) return false;
  if (value.comment !== undefined && !isPostedComment(value.comment)) return false;
  if (value.updated !== undefined && typeof value.updated !== 'boolean') return false;
  const error = value.error;
  return error === undefined || (isObject(error) && isString(error.message) && isOptionalString(error.hint));
}

/** Shape check only: the state was written by this script, possibly by an older version of it. */
export function isPersistedState(value: unknown): value is PersistedState {
  if (!isObject(value)) return false;
  const { thread, run, edit, editing, post } = value;
  return (
    (thread === undefined || isThreadInfo(thread)) &&
    (run === undefined || isRunSnapshot(run)) &&
    (edit === undefined || isDraftEdit(edit)) &&
    (editing === undefined || isBoolean(editing)) &&
    (post === undefined || isPostState(post))
  );
}

/**
 * Narrows a `message` event's data to `ToWebview`, or undefined for anything else (other senders,
 * a newer or older host). Checks the fields the webview reads before it trusts their types; the text
 * in them stays untrusted and is only ever rendered through the sanitizer or as text.
 */
export function parseToWebview(data: unknown): ToWebview | undefined {
  if (!isObject(data) || !isString(data.type)) return undefined;
  const message = data as ToWebview;
  switch (message.type) {
    case 'init':
      return isThreadInfo(data.thread) &&
        isRunSnapshot(data.run) &&
        (data.edit === undefined || isDraftEdit(data.edit)) &&
        (data.post === undefined || isPostState(data.post))
        ? message
        : undefined;
    case 'started':
      return isNumber(data.runId) && isNumber(data.requestedAt) ? message : undefined;
    case 'phase':
      return isNumber(data.runId) && isString(data.message) ? message : undefined;
    case 'chunk':
      return isNumber(data.runId) && isString(data.text) ? message : undefined;
    case 'done':
      return isNumber(data.runId) &&
        isString(data.text) &&
        isObject(data.safety) &&
        isObject(data.metrics) &&
        (data.sources === undefined || isSourcesInfo(data.sources)) &&
        (data.checks === undefined || isChecksInfo(data.checks))
        ? message
        : undefined;
    case 'repairing':
      return isNumber(data.runId) && isRepairState(data) ? message : undefined;
    case 'error':
      return isNumber(data.runId) && isString(data.message) ? message : undefined;
    case 'draftChecked':
      return isNumber(data.runId) && isDraftChecks(data) ? message : undefined;
    case 'copied':
      return typeof data.ok === 'boolean' ? message : undefined;
    case 'posting':
      return data.action === 'post' || data.action === 'update' ? message : undefined;
    case 'postCancelled':
      return message;
    case 'posted':
    case 'updated':
      return isPostedComment(data) ? message : undefined;
    case 'postFailed':
      return isString(data.message) && isOptionalString(data.hint) ? message : undefined;
    default:
      return undefined;
  }
}
