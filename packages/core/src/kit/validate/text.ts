import { InputError } from '../../errors/errors.ts';

/**
 * Kinds of free-text field and their limits (UTF-16 code units, after trimming). A field may set a
 * tighter `max` of its own; none may exceed its kind's. Single-line kinds refuse every control
 * character; multi-line kinds allow `\n` and `\t`.
 */
export const TEXT_KINDS = {
  /** codes and identifiers: organization codes, plugin ids, user ids, keys */
  code: { max: 64, multiline: false },
  /** names and titles: a person's or an organization's name, a topic, a post, a course */
  name: { max: 200, multiline: false },
  /** short text: a reason, a comment, a note */
  short: { max: 1000, multiline: true },
  /** long text: a description, a report, minutes */
  long: { max: 5000, multiline: true },
} as const;

/** One of the kinds of free-text field: `code`, `name`, `short`, `long`. */
export type TextKind = keyof typeof TEXT_KINDS;

/** The cap on a string argument with no declared kind (the schema guard's default). */
export const DEFAULT_TEXT_MAX = 10_000;

/** Whitespace and the zero-width characters (U+200B–U+200D, U+2060, U+FEFF) a copy-paste leaves at the ends. */
const EDGES = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g;
/** C0 and C1 control characters and DEL, NUL among them (PostgreSQL refuses NUL in text). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, but tab and line feed pass. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Trims whitespace and zero-width characters from both ends. */
export function trimText(value: string): string {
  return value.replace(EDGES, '');
}

/**
 * What no text field may hold, without trimming: control characters (`\n` and `\t` pass when
 * `multiline`), lone UTF-16 surrogates, more than `max` characters. Answers the problem, or null.
 */
export function textProblem(value: string, options: { max: number; multiline: boolean }): string | null {
  if (value.length > options.max) return `must be at most ${options.max} characters`;
  if ((options.multiline ? CONTROL_MULTILINE : CONTROL).test(value)) {
    return options.multiline
      ? 'must not contain control characters other than line feed and tab'
      : 'must not contain control characters (NUL, line breaks, tabs …)';
  }
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate (malformed text)';
  return null;
}

/** Refuses a {@link textProblem} as an `InputError` (`BAD_USER_INPUT`) naming `field` as the client wrote it. */
export function checkTextPolicy(value: string, field: string, options: { max: number; multiline: boolean }): void {
  const problem = textProblem(value, options);
  if (problem) throw new InputError(field, problem);
}

function limits(kind: TextKind, max: number | undefined): { max: number; multiline: boolean } {
  const policy = TEXT_KINDS[kind];
  return { max: Math.min(max ?? policy.max, policy.max), multiline: policy.multiline };
}

/**
 * A required free text: trimmed of whitespace and zero-width characters, then refused when empty, longer
 * than its kind (or `max`, when tighter) allows, or holding control characters or lone surrogates.
 * `null` and `undefined` pass through unchanged (an update that leaves the field alone, or a nullable
 * argument another check covers).
 */
export function requiredText(value: string, field: string, kind: TextKind, max?: number): string;
export function requiredText<T extends null | undefined>(value: string | T, field: string, kind: TextKind, max?: number): string | T;
export function requiredText(value: string | null | undefined, field: string, kind: TextKind, max?: number): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = trimText(value);
  if (text.length === 0) throw new InputError(field, 'must not be empty');
  checkTextPolicy(text, field, limits(kind, max));
  return text;
}

/** An optional free text under the same policy: absent, `null` or blank (after trimming) is `null`. */
export function optionalText(value: string | null | undefined, field: string, kind: TextKind, max?: number): string | null {
  if (value === undefined || value === null) return null;
  const text = trimText(value);
  return text.length === 0 ? null : requiredText(text, field, kind, max);
}

/**
 * A free text of an update: `undefined` (not sent) stays `undefined` — leave the field alone — while
 * `null` or blank clears it (`null`).
 */
export function patchText(value: string | null | undefined, field: string, kind: TextKind, max?: number): string | null | undefined {
  return value === undefined ? undefined : optionalText(value, field, kind, max);
}
