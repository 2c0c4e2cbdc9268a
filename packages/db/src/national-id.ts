// 居民身份证号码 (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit sequence
// (odd = male, even = female) and one ISO 7064 MOD 11-2 check character.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const FORMAT = /^\d{17}[\dX]$/;

/** Computes the check character ('0'–'9' or 'X') for the first 17 digits of a national ID. */
export function nationalIdChecksum(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`expected 17 digits, got "${first17}"`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** Birth date embedded in a national ID (UTC midnight), or null when the ID is not valid. */
export function birthDateFromNationalId(id: string): Date | null {
  const normalized = id.toUpperCase();
  if (!FORMAT.test(normalized)) return null;
  const date = parseBirthDate(normalized.slice(6, 14));
  if (!date) return null;
  return nationalIdChecksum(normalized.slice(0, 17)) === normalized[17] ? date : null;
}

/** True for an 18-character ID with a real embedded birth date and a correct check character (a lower-case 'x' is accepted as people type it). */
export function isValidNationalId(id: string): boolean {
  return birthDateFromNationalId(id) !== null;
}

function parseBirthDate(yyyymmdd: string): Date | null {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  // 18-digit IDs were introduced in 1999 for people then living; nobody on record was born before 1900.
  if (year < 1900 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 19990230 over into March; a round trip catches impossible calendar dates.
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}
