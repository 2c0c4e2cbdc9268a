import { InputError } from '../../errors/errors.ts';

/**
 * Parses a number of hours written with at most one decimal place (`"2.5"`, `" 12 "`, `"8.50"`) into
 * tenths of an hour: more than 0 and at most `maxHours`. The columns are DECIMAL(n,1); a second
 * decimal would be rounded away silently, so it is refused instead.
 */
export function parseTenthsOfHours(text: string, field: string, maxHours: number): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new InputError(field, 'must be a positive number of hours');
  const decimals = (match[2] ?? '').replace(/0+$/, '');
  if (decimals.length > 1) throw new InputError(field, 'must have at most one decimal place');
  // Compared as tenths of whole digits, so a run of digits never turns into a rounded float.
  if (match[1]!.replace(/^0+/, '').length > String(maxHours).length) throw new InputError(field, `must be at most ${maxHours}`);
  const tenths = Number(match[1]) * 10 + Number(decimals || '0');
  if (tenths <= 0) throw new InputError(field, 'must be more than 0');
  if (tenths > maxHours * 10) throw new InputError(field, `must be at most ${maxHours}`);
  return tenths;
}
