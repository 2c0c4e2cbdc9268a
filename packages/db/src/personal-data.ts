// Personal data at rest (PIPL; 等保2.0 三级 数据保密性): national ID numbers are stored as AES-256-GCM
// ciphertext carrying the id of the key that wrote them, so keys can be rotated without a flag day, plus
// a keyed hash (HMAC-SHA-256) that answers "is this ID already registered?" without decrypting anything.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** One data-encryption key. */
export interface DataKey {
  /** Short name stored with every value it encrypts, e.g. `2026a`. */
  readonly id: string;
  readonly key: Buffer;
}

/** The keys in force: `current` encrypts; every key (current first) decrypts; `lookup` keys the hashes. */
export interface DataKeyring {
  readonly current: DataKey;
  readonly retired: readonly DataKey[];
  readonly lookup: Buffer;
}

/** A value could not be decrypted: wrong or missing key, or it was altered. Never carries the value. */
export class PersonalDataError extends Error {
  override readonly name = 'PersonalDataError';
}

/** Where a value is stored; bound into the ciphertext so a value copied into another column fails to decrypt. */
export type ProtectedField =
  | 'Member.nationalId'
  | 'Talent.nationalId'
  | 'DevelopmentRecord.nationalId'
  | 'IdempotencyKey.response'
  | 'ReminderSetting.webhookSecret';

function decodeKey(text: string, what: string): Buffer {
  const key = Buffer.from(text.trim(), /^[0-9a-f]{64}$/i.test(text.trim()) ? 'hex' : 'base64');
  if (key.length !== KEY_BYTES) throw new RangeError(`${what} must be 32 bytes (base64 or 64 hex digits), got ${key.length} bytes`);
  return key;
}

/**
 * Parses `DANGJIAN_DATA_KEYS`: comma-separated `<key id>:<base64 or hex of 32 bytes>`, the first being the
 * key that encrypts, the others retired keys still accepted for reading until `dangjian keys rotate` ran.
 */
export function parseDataKeys(spec: string): DataKey[] {
  const keys = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      if (colon < 0) throw new RangeError(`"${entry.slice(0, 8)}…" is not <key id>:<key>`);
      const id = entry.slice(0, colon);
      if (!KEY_ID.test(id)) throw new RangeError(`key id "${id}" must be 1–32 letters, digits, _ or -`);
      return { id, key: decodeKey(entry.slice(colon + 1), `key "${id}"`) };
    });
  if (keys.length === 0) throw new RangeError('no key given');
  const ids = new Set<string>();
  for (const { id } of keys) {
    if (ids.has(id)) throw new RangeError(`key id "${id}" appears twice`);
    ids.add(id);
  }
  return keys;
}

/** Parses `DANGJIAN_LOOKUP_KEY` (32 bytes, base64 or hex). It cannot be rotated without re-hashing every row. */
export function parseLookupKey(text: string): Buffer {
  return decodeKey(text, 'the lookup key');
}

/** Builds a keyring from `DANGJIAN_DATA_KEYS` and `DANGJIAN_LOOKUP_KEY` values. */
export function keyringFrom(dataKeys: string, lookupKey: string): DataKeyring {
  const [current, ...retired] = parseDataKeys(dataKeys);
  return { current: current!, retired, lookup: parseLookupKey(lookupKey) };
}

/** Fresh random keys in the environment-variable format (development, tests, `dangjian keys generate`). */
export function generateKeyText(id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`): {
  dataKeys: string;
  lookupKey: string;
} {
  return {
    dataKeys: `${id}:${randomBytes(KEY_BYTES).toString('base64')}`,
    lookupKey: randomBytes(KEY_BYTES).toString('base64'),
  };
}

/** Upper-cases and trims an ID the way people type it, so the lookup hash matches however it was entered. */
function normalize(value: string): string {
  return value.trim().toUpperCase();
}

/** Encrypts, decrypts and hashes protected values with one keyring. */
export class PersonalDataVault {
  readonly #keys = new Map<string, Buffer>();

  constructor(readonly keyring: DataKeyring) {
    for (const key of [keyring.current, ...keyring.retired]) this.#keys.set(key.id, key.key);
  }

  /** Id of the key new values are written with. */
  get currentKeyId(): string {
    return this.keyring.current.id;
  }

  /** `v1.<key id>.<iv>.<ciphertext‖tag>` (base64url), a fresh random IV each time. */
  encrypt(plain: string, field: ProtectedField): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.current.key, iv);
    cipher.setAAD(Buffer.from(field));
    // IDs are stored the way they are compared (upper-case, trimmed); anything else exactly as given.
    const text = field.endsWith('.nationalId') ? normalize(plain) : plain;
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT_VERSION}.${this.keyring.current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(stored: string, field: ProtectedField): string {
    const parts = stored.split('.');
    if (parts.length !== 4 || parts[0] !== FORMAT_VERSION)
      throw new PersonalDataError(`${field} holds a value that is not ${FORMAT_VERSION} ciphertext`);
    const key = this.#keys.get(parts[1]!);
    if (!key) throw new PersonalDataError(`${field} was encrypted with key "${parts[1]}", which is not configured`);
    const iv = Buffer.from(parts[2]!, 'base64url');
    const body = Buffer.from(parts[3]!, 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new PersonalDataError(`${field} holds a truncated value`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(field));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new PersonalDataError(`${field} failed authentication (altered, or encrypted for another column)`);
    }
  }

  /** Keyed hash for exact lookups; the same for every table, so a talent's ID can be matched to a member's. */
  lookupHash(plain: string): string {
    return createHmac('sha256', this.keyring.lookup)
      .update(`national-id:${normalize(plain)}`)
      .digest('hex');
  }

  /** Keyed hash of any text for `purpose` (e.g. a request's input): comparable, not reversible by guessing. */
  keyedDigest(purpose: string, text: string): string {
    return createHmac('sha256', this.keyring.lookup).update(`${purpose}:${text}`).digest('hex');
  }

  /** The key id a stored value names, or null for something that is not ciphertext (a legacy plain value). */
  static keyIdOf(stored: string): string | null {
    const parts = stored.split('.');
    return parts.length === 4 && parts[0] === FORMAT_VERSION ? parts[1]! : null;
  }
}
