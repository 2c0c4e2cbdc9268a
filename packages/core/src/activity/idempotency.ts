import type { Context } from '../context.ts';
import { ConflictError } from '../errors/errors.ts';
import type { Tx } from './record.ts';

/** The optional argument every create mutation takes (`idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG)`). */
export const IDEMPOTENCY_KEY_ARG = {
  required: false,
  description:
    '幂等键 — any unique string (e.g. a UUID) chosen by the client: sending the same key again within 24 hours returns the first response instead of creating a second row; the same key with different input is an input error',
} as const;

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The key of the running request, bound to its context by the server's idempotency plugin. */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  operation: string;
  inputHash: string;
  /** True once a transaction that reserved the key has committed. */
  reserved: boolean;
}

const claims = new WeakMap<object, IdempotencyClaim>();

/** Binds a request's idempotency key to its context (the server does this before execution). */
export function bindIdempotency(ctx: object, claim: IdempotencyClaim): void {
  claims.set(ctx, claim);
}

/** The idempotency key of this request, when it sent one. */
export function idempotencyOf(ctx: object): IdempotencyClaim | undefined {
  return claims.get(ctx);
}

/**
 * Reserves the request's key inside the mutation's transaction, before its writes: the key's primary
 * key makes a concurrent request with the same key wait for this one and then fail here, so the key
 * creates at most one row. Returns a function to call once the transaction committed.
 */
export async function reserveIdempotencyKey(ctx: Context, tx: Tx): Promise<(() => void) | null> {
  const claim = idempotencyOf(ctx);
  if (!claim || claim.reserved) return null;
  const now = Date.now();
  // An expired key of this user may be reused; drop it (and, now and then, everyone's expired keys).
  await tx.idempotencyKey.deleteMany({
    where:
      Math.random() < 0.01
        ? { expiresAt: { lt: new Date(now) } }
        : { userId: claim.userId, key: claim.key, expiresAt: { lt: new Date(now) } },
  });
  const inserted = await tx.$executeRaw`
    INSERT INTO "IdempotencyKey" ("userId", "key", "operation", "inputHash", "expiresAt")
    VALUES (${claim.userId}, ${claim.key}, ${claim.operation}, ${claim.inputHash}, ${new Date(now + IDEMPOTENCY_TTL_MS)})
    ON CONFLICT DO NOTHING`;
  if (inserted === 0) {
    throw new ConflictError('a request with this idempotency key is already being processed', {
      field: 'idempotencyKey',
      idempotencyKey: claim.key,
    });
  }
  return () => {
    claim.reserved = true;
  };
}
