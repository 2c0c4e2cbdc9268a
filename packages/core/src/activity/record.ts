import type { Prisma } from '@dangjian/db';
import type { Context } from '../context.ts';
import type { ActivityEvent } from './pubsub.ts';
import { reserveIdempotencyKey } from './idempotency.ts';

/** A Prisma client bound to one interactive transaction. */
export type Tx = Prisma.TransactionClient;

/** What a mutation says happened; the organization's path is copied so feeds filter by subtree. */
export interface ActivityInput {
  /** `<area>.<event>`, e.g. `member.transferred` or `party-brand.approved`. */
  kind: string;
  organization: { id: string; path: string };
  subjectType?: string;
  subjectId?: string;
  summary: string;
  data?: Prisma.InputJsonValue;
}

/** Records activities inside a transaction; they are published only once it has committed. */
export type RecordActivity = ((activity: ActivityInput) => Promise<void>) & {
  /** Records many activities in one statement (a publication's thousands of cards), published the same way. */
  many: (activities: readonly ActivityInput[]) => Promise<void>;
};

/**
 * Runs a mutation's writes and its activities in one transaction, then publishes the activities.
 * Nothing is half-written: any throw rolls back both the change and its activity records.
 */
export async function transact<T>(
  ctx: Context,
  work: (tx: Tx, record: RecordActivity) => Promise<T>,
  options: { timeout?: number } = {},
): Promise<T> {
  const events: ActivityEvent[] = [];
  let reserved = null as (() => void) | null;
  const result = await ctx.db.$transaction(
    async (tx) => {
      const row = (activity: ActivityInput) => ({
        kind: activity.kind,
        organizationId: activity.organization.id,
        path: activity.organization.path,
        actorId: ctx.viewer?.userId ?? null,
        subjectType: activity.subjectType ?? null,
        subjectId: activity.subjectId ?? null,
        summary: activity.summary,
        data: activity.data,
      });
      const select = { id: true, kind: true, organizationId: true, path: true, createdAt: true } as const;
      const record: RecordActivity = Object.assign(
        async (activity: ActivityInput) => {
          const created = await tx.activity.create({ data: row(activity), select });
          events.push({ ...created, createdAt: created.createdAt.toISOString() });
        },
        {
          many: async (activities: readonly ActivityInput[]) => {
            if (activities.length === 0) return;
            const created = await tx.activity.createManyAndReturn({ data: activities.map(row), select });
            for (const c of created) events.push({ ...c, createdAt: c.createdAt.toISOString() });
          },
        },
      );
      // A create mutation's idempotency key is taken in the same transaction as what it creates.
      reserved = await reserveIdempotencyKey(ctx, tx);
      return work(tx, record);
    },
    // A batch import is one transaction of many thousand rows: its caller asks for a longer timeout.
    { maxWait: 10_000, timeout: options.timeout ?? 30_000 },
  );
  reserved?.();
  for (const event of events) ctx.pubsub.publish('activity:added', event);
  return result;
}
