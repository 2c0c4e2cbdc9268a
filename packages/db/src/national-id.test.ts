import { describe, expect, it } from 'vitest';
import { birthDateFromNationalId, isValidNationalId, nationalIdChecksum } from './national-id.ts';

describe('nationalIdChecksum', () => {
  it('matches the worked example of GB 11643-1999', () => {
    expect(nationalIdChecksum('11010519491231002')).toBe('X');
  });

  it('computes digit check characters', () => {
    expect(nationalIdChecksum('33010619850312123')).toBe('1');
    expect(nationalIdChecksum('33010219900101002')).toBe('0');
  });

  it('rejects input that is not 17 digits', () => {
    expect(() => nationalIdChecksum('3301061985031212')).toThrow(RangeError);
    expect(() => nationalIdChecksum('3301061985031212A')).toThrow(RangeError);
  });
});

describe('isValidNationalId', () => {
  it('accepts IDs whose check character was computed by nationalIdChecksum', () => {
    expect(isValidNationalId('330106198503121231')).toBe(true);
    expect(isValidNationalId('11010519491231002X')).toBe(true);
    expect(isValidNationalId('330102199001010020')).toBe(true);
  });

  it('accepts a lower-case x as typed by users', () => {
    expect(isValidNationalId('11010519491231002x')).toBe(true);
  });

  it('rejects a wrong check character', () => {
    expect(isValidNationalId('330106198503121232')).toBe(false);
    expect(isValidNationalId('110105194912310021')).toBe(false);
  });

  it('rejects impossible birth dates even with a matching checksum', () => {
    const first17 = '33010619990230123';
    expect(isValidNationalId(first17 + nationalIdChecksum(first17))).toBe(false);
    const month13 = '33010619851312123';
    expect(isValidNationalId(month13 + nationalIdChecksum(month13))).toBe(false);
  });

  it('accepts 29 February only in leap years', () => {
    const leap = '33010620000229123';
    const common = '33010619990229123';
    expect(isValidNationalId(leap + nationalIdChecksum(leap))).toBe(true);
    expect(isValidNationalId(common + nationalIdChecksum(common))).toBe(false);
  });

  it('rejects wrong lengths', () => {
    expect(isValidNationalId('')).toBe(false);
    expect(isValidNationalId('33010619850312123')).toBe(false);
    expect(isValidNationalId('3301061985031212311')).toBe(false);
    // The old 15-digit format has no check character and is out of scope.
    expect(isValidNationalId('330106850312123')).toBe(false);
  });

  it('rejects letters other than a final X', () => {
    expect(isValidNationalId('33010619850312A231')).toBe(false);
    expect(isValidNationalId('33010619850312123Y')).toBe(false);
    expect(isValidNationalId('X30106198503121231')).toBe(false);
  });
});

describe('birthDateFromNationalId', () => {
  it('returns the embedded date at UTC midnight', () => {
    expect(birthDateFromNationalId('330106198503121231')).toEqual(new Date(Date.UTC(1985, 2, 12)));
  });

  it('returns null for invalid IDs', () => {
    expect(birthDateFromNationalId('330106198503121232')).toBeNull();
    expect(birthDateFromNationalId('not an id')).toBeNull();
  });
});
