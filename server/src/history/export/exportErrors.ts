import { ThreadwiseError } from '../../errors';

const KEEP_HINT = 'the file was left as it was: export with disposition `replace` to overwrite it, or choose another file';

/**
 * An existing export file that cannot be appended to or merged with: the message names the file,
 * where in it (`line 12`, `row 5`, or nothing for the whole file) and what is wrong. The file is
 * never touched when this is thrown.
 */
export function existingFileError(file: string, where: string | null, problem: string, cause?: unknown): ThreadwiseError {
  const at = where === null ? '' : `, ${where}`;
  return new ThreadwiseError('history', `${file}${at}: ${problem}`, KEEP_HINT, cause === undefined ? undefined : { cause });
}

/** The output path itself cannot be written (its folder is missing, it is a folder…). */
export function outPathError(out: string, problem: string, hint: string): ThreadwiseError {
  return new ThreadwiseError('history', `cannot export to ${out}: ${problem}`, hint);
}

/** A record whose value does not fit its column (a non-integer in an int column, an unparsable timestamp). */
export function recordValueError(id: string, column: string, problem: string): ThreadwiseError {
  return new ThreadwiseError('history', `cannot export record ${id}: column ${column} ${problem}`, 'the record in the history is malformed; clear it or export as JSONL, which keeps records as they are');
}

/** Why a thrown value failed, in words, for wrapping a library's error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
