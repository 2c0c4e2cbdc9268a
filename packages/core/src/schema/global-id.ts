import { decodeGlobalID } from '@pothos/plugin-relay';
import { InputError } from '../errors/errors.ts';

/**
 * Decodes a Relay global ID and checks its type, so an ID of the wrong kind is a field-naming input
 * error rather than a confusing "not found".
 */
export function decodeId(typename: string, globalId: string, field: string): string {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw new InputError(field, `is not a valid ID`);
  }
  if (decoded.typename !== typename || !decoded.id) throw new InputError(field, `must be the ID of a ${typename}`);
  return decoded.id;
}
