import type { PubSub } from '@dangjian/core';
import type { PrismaClient } from '@dangjian/db';

/** Which users' sessions were revoked, kept in memory so checking a token costs no query. */
export interface RevocationList {
  /** True when `userId`'s token issued at `issuedAt` (ms; null = unknown, treated as old) is void. */
  isRevoked(userId: string, issuedAt: number | null): boolean;
  stop(): void;
}

/**
 * Loads the revocations once, then follows `sessions:revoked` on the bus (every process hears a revocation
 * made on any of them, through Redis when configured) and reloads the table after a bus gap, so a
 * revocation published while Redis was down still takes effect. No periodic polling: the in-process bus
 * loses nothing, and the Redis bus reports every outage as a gap.
 */
export async function createRevocationList(
  db: PrismaClient,
  pubsub: PubSub,
  onRevoked: (userId: string, revokedBefore: number) => void,
): Promise<RevocationList> {
  const revoked = new Map<string, number>();
  const apply = (userId: string, before: number) => {
    if ((revoked.get(userId) ?? 0) >= before) return;
    revoked.set(userId, before);
    onRevoked(userId, before);
  };
  const reload = async () => {
    for (const row of await db.sessionRevocation.findMany({ select: { userId: true, revokedBefore: true } }))
      apply(row.userId, row.revokedBefore.getTime());
  };
  await reload();
  let stopped = false;
  const events = pubsub.subscribe('sessions:revoked')[Symbol.asyncIterator]();
  const gaps = pubsub.subscribe('bus:gap')[Symbol.asyncIterator]();
  void (async () => {
    while (!stopped) {
      const next = await events.next();
      if (next.done) return;
      apply(next.value.userId, next.value.revokedBefore);
    }
  })();
  const quietReload = () => reload().catch(() => {}); // the database may be down too; the next gap retries
  void (async () => {
    while (!stopped) {
      const next = await gaps.next();
      if (next.done) return;
      await quietReload();
    }
  })();
  return {
    isRevoked: (userId, issuedAt) => {
      const before = revoked.get(userId);
      return before !== undefined && (issuedAt === null || issuedAt <= before);
    },
    stop() {
      stopped = true;
      void events.return?.();
      void gaps.return?.();
    },
  };
}
