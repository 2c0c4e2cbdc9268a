import { describe, expect, it } from 'vitest';
import { generateKeyText, keyringFrom, parseDataKeys, PersonalDataError, PersonalDataVault } from './personal-data.ts';

const ID = '11010119900307123X';
const vaultOf = (keys: string, lookup: string) => new PersonalDataVault(keyringFrom(keys, lookup));

describe('PersonalDataVault', () => {
  const a = generateKeyText('a');
  const b = generateKeyText('b');

  it('round-trips with a fresh IV each time, naming its key, and never shows the value', () => {
    const vault = vaultOf(a.dataKeys, a.lookupKey);
    const one = vault.encrypt(ID.toLowerCase(), 'Member.nationalId');
    const two = vault.encrypt(ID, 'Member.nationalId');
    expect(one).not.toBe(two);
    expect(one).toMatch(/^v1\.a\.[\w-]{16}\.[\w-]+$/);
    expect(one).not.toContain('19900307');
    expect(vault.decrypt(one, 'Member.nationalId')).toBe(ID);
    expect(PersonalDataVault.keyIdOf(one)).toBe('a');
    expect(PersonalDataVault.keyIdOf(ID)).toBeNull();
  });

  it('binds a value to its column and detects any altered byte', () => {
    const vault = vaultOf(a.dataKeys, a.lookupKey);
    const sealed = vault.encrypt(ID, 'Member.nationalId');
    expect(() => vault.decrypt(sealed, 'Talent.nationalId')).toThrow(PersonalDataError);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body.writeUInt8(body.readUInt8(body.length - 1) ^ 1, body.length - 1);
    expect(() => vault.decrypt([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'Member.nationalId')).toThrow(
      /failed authentication/,
    );
  });

  it('reads values of a retired key after rotation, and refuses a key it does not have', () => {
    const before = vaultOf(a.dataKeys, a.lookupKey);
    const after = vaultOf(`${b.dataKeys},${a.dataKeys}`, a.lookupKey);
    const old = before.encrypt(ID, 'Member.nationalId');
    expect(after.decrypt(old, 'Member.nationalId')).toBe(ID);
    expect(after.encrypt(ID, 'Member.nationalId')).toMatch(/^v1\.b\./);
    expect(() => vaultOf(b.dataKeys, a.lookupKey).decrypt(old, 'Member.nationalId')).toThrow(/key "a", which is not configured/);
  });

  it('hashes the normalized ID with the lookup key only', () => {
    const one = vaultOf(a.dataKeys, a.lookupKey);
    const sameLookup = vaultOf(b.dataKeys, a.lookupKey);
    expect(one.lookupHash(` ${ID.toLowerCase()} `)).toBe(one.lookupHash(ID));
    expect(sameLookup.lookupHash(ID)).toBe(one.lookupHash(ID));
    expect(vaultOf(a.dataKeys, b.lookupKey).lookupHash(ID)).not.toBe(one.lookupHash(ID));
  });

  it('keeps other protected text exactly as given', () => {
    const vault = vaultOf(a.dataKeys, a.lookupKey);
    const json = JSON.stringify({ name: '张三', nationalId: 'x' });
    expect(vault.decrypt(vault.encrypt(json, 'IdempotencyKey.response'), 'IdempotencyKey.response')).toBe(json);
  });

  it('parses key lists strictly', () => {
    expect(parseDataKeys(`k1:${'00'.repeat(32)}, k2:${Buffer.alloc(32, 1).toString('base64')}`).map((k) => k.id)).toEqual(['k1', 'k2']);
    expect(() => parseDataKeys('k1:abc')).toThrow(/32 bytes/);
    expect(() => parseDataKeys(`k1:${'00'.repeat(32)},k1:${'11'.repeat(32)}`)).toThrow(/twice/);
    expect(() => parseDataKeys(`bad id:${'00'.repeat(32)}`)).toThrow(/key id/);
    expect(() => parseDataKeys('')).toThrow(/no key/);
  });
});
