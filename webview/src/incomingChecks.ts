import { isArrayOf, isBoolean, isNumber, isObject, isOneOf, isOptionalString, isString } from './guards';
import type { BlockCheck, CheckFindingInfo, ChecksInfo, DraftChecks, InjectionFindingInfo, RepairCycleInfo, RepairState, SecretInfo } from './protocol';

// Shape checks for the checks of a run (`done`, `init`, a saved state), of an edited draft
// (`draftChecked`, a run snapshot's `editChecks`) and for `repairing`: only a
// value holding every field the Checks section reads, with the types it reads them as, is drawn.
// The text in it (messages, file names, excerpts) stays untrusted and is only ever set as text.

const SEVERITIES: ReadonlySet<string> = new Set<CheckFindingInfo['severity']>(['error', 'warning', 'info']);
const FINDING_KINDS: ReadonlySet<string> = new Set<CheckFindingInfo['kind']>(['syntax', 'security']);
const SYNTAX: ReadonlySet<string> = new Set<BlockCheck['syntax']>(['ok', 'error', 'not-checked']);
const SECURITY: ReadonlySet<string> = new Set<BlockCheck['security']>(['checked', 'not-checked']);

function isFinding(value: unknown): value is CheckFindingInfo {
  return (
    isObject(value) &&
    isString(value.ruleId) &&
    isOneOf(value.kind, FINDING_KINDS) &&
    isOneOf(value.severity, SEVERITIES) &&
    isNumber(value.line) &&
    isString(value.message)
  );
}

function isBlockCheck(value: unknown): value is BlockCheck {
  return (
    isObject(value) &&
    isNumber(value.index) &&
    (value.language === null || isString(value.language)) &&
    isOptionalString(value.file) &&
    isOneOf(value.syntax, SYNTAX) &&
    isOneOf(value.security, SECURITY) &&
    isOptionalString(value.notCheckedReason) &&
    isBoolean(value.failed) &&
    isArrayOf(value.findings, isFinding)
  );
}

function isSecret(value: unknown): value is SecretInfo {
  return isObject(value) && isString(value.ruleId) && isNumber(value.line) && isString(value.masked);
}

function isRepairCycle(value: unknown): value is RepairCycleInfo {
  return isObject(value) && isNumber(value.cycle) && isNumber(value.failures) && isBoolean(value.passed);
}

function isInjectionFinding(value: unknown): value is InjectionFindingInfo {
  return isObject(value) && isString(value.ruleId) && isString(value.where) && isString(value.message) && isString(value.excerpt);
}

export function isChecksInfo(value: unknown): value is ChecksInfo {
  if (!isObject(value)) return false;
  const injection = value.injection;
  return (
    isArrayOf(value.blocks, isBlockCheck) &&
    isArrayOf(value.secrets, isSecret) &&
    isNumber(value.unknownSources) &&
    isBoolean(value.passed) &&
    isNumber(value.failures) &&
    isBoolean(value.strict) &&
    isArrayOf(value.repairs, isRepairCycle) &&
    isObject(injection) &&
    isBoolean(injection.flagged) &&
    isArrayOf(injection.findings, isInjectionFinding)
  );
}

/** The checks of an edited draft (`draftChecked` less its type and runId, or a run snapshot's `editChecks`): the text checked and its checks. */
export function isDraftChecks(value: unknown): value is DraftChecks {
  return isObject(value) && isString(value.text) && isChecksInfo(value.checks);
}

/** The fields of a repair (in `repairing`, or a run snapshot's `repair`). */
export function isRepairState(value: unknown): value is RepairState {
  return isObject(value) && isNumber(value.cycle) && isNumber(value.maxCycles) && isNumber(value.failures);
}
