/** Type guards for what reaches the suggestion page (host messages, a saved state). */

export type Fields = Record<string, unknown>;

export const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
export const isString = (value: unknown): value is string => typeof value === 'string';
export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
export const isOptionalString = (value: unknown): value is string | undefined => value === undefined || isString(value);
export const isOptionalNumber = (value: unknown): value is number | undefined => value === undefined || isNumber(value);
export const isArrayOf = <T>(value: unknown, check: (item: unknown) => item is T): value is T[] => Array.isArray(value) && value.every(check);

/** `value` is a string of `values`. */
export const isOneOf = <T extends string>(value: unknown, values: ReadonlySet<string>): value is T => isString(value) && values.has(value);
