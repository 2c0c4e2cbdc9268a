import type { ProtectedField } from '@dangjian/db';
import type { Context } from '../context.ts';

/** The stored form of a national ID: AES-256-GCM ciphertext, and the keyed hash lookups and uniqueness use. */
export function sealNationalId(ctx: Context, nationalId: string, field: ProtectedField): { nationalId: string; nationalIdHash: string } {
  return {
    nationalId: ctx.vault.encrypt(nationalId, field),
    nationalIdHash: ctx.vault.lookupHash(nationalId),
  };
}

/** The clear national ID of a stored value (null stays null). */
export function openNationalId(ctx: Context, stored: string | null, field: ProtectedField): string | null {
  return stored === null ? null : ctx.vault.decrypt(stored, field);
}

/** The `nationalIdHash` to look a national ID up by, in any table that stores one. */
export function nationalIdLookup(ctx: Context, nationalId: string): string {
  return ctx.vault.lookupHash(nationalId);
}
