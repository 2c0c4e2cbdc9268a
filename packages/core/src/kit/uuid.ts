import { randomBytes } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562: 48-bit Unix milliseconds, version 7, variant 10, random rest) as Prisma's
 * `@default(uuid(7))` makes one client-side — for rows written by raw SQL, which Prisma's default never sees.
 */
export function uuidv7(ms: number = Date.now()): string {
  const bytes = randomBytes(16);
  let t = Math.max(0, Math.floor(ms));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
