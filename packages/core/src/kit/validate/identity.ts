import { isValidNationalId } from '@dangjian/db';
import { InputError } from '../../errors/errors.ts';
import { isMainlandMobile } from '../../schema/member-rules.ts';

/** A national ID (居民身份证号码), trimmed and upper-cased, checked for format, birth date and check character. */
export function checkNationalId(value: string, field: string): string {
  const id = value.trim().toUpperCase();
  if (!isValidNationalId(id))
    throw new InputError(field, 'is not a valid 18-character national ID (format, birth date or check character)');
  return id;
}

/** An 11-digit mainland mobile number, trimmed; `null` and `undefined` pass through unchanged. */
export function checkPhone<T extends null | undefined>(value: string | T, field: string): string | T {
  if (value === undefined || value === null) return value;
  const phone = value.trim();
  if (!isMainlandMobile(phone)) throw new InputError(field, 'must be an 11-digit mainland mobile number, e.g. 13812345678');
  return phone;
}
