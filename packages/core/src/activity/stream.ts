import type { Prisma } from '@dangjian/db';
import type { Context } from '../context.ts';
import type { ActivityEvent } from './pubsub.ts';

/** The lowest UUIDv7 (as stored: lowercase, hyphenated) of a millisecond; ids of later rows sort after it. */
export function uuidv7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/** The millisecond a UUIDv7 was made. */
export function uuidv7Time(id: string): number {
  return parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

/** How many ids the stream remembers to drop duplicates at seams (replay → live, catch-up → live). */
const SEEN_LIMIT = 10_000;
const PAGE = 500;

export interface ActivityStreamOptions {
  /** Replay rows after this activity id first (a reconnecting client's last seen activity). */
  after?: string | null;
  /** The feed's where for this viewer (subtree, roles, enabled plugins), evaluated at each replay. */
  where: () => Promise<Prisma.ActivityWhereInput>;
  /** Whether a live event is for this viewer (the same rules as `where`, in memory). */
  accept: (event: ActivityEvent) => boolean | Promise<boolean>;
}

type Item = { live: ActivityEvent } | { gap: string };

/**
 * Activities for one subscriber, in order and without holes the bus could cause:
 * 1. listens to the live bus first (buffering), so nothing published during the replay is lost;
 * 2. replays committed rows after `after` from the activity table;
 * 3. streams live events, skipping any already replayed;
 * 4. on `bus:gap` (Redis was unreachable, a publish failed) reads the table again from the gap's start.
 * Ids are UUIDv7, so their order is creation order.
 */
export function activityStream(ctx: Context, options: ActivityStreamOptions): AsyncIterableIterator<ActivityEvent> {
  const control: Control = { ended: false, wake: null, stops: [] };
  const body = streamBody(ctx, options, control);
  // A generator waiting for an event takes a return() only when it next yields, so a subscriber who
  // leaves would keep its listeners until the next event reached it: end the wait first.
  const end = () => {
    if (control.ended) return;
    control.ended = true;
    for (const stop of control.stops) void Promise.resolve(stop()).catch(() => {});
    control.wake?.();
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => body.next(),
    return: (value?: unknown) => {
      end();
      return body.return(value as undefined);
    },
    throw: (error?: unknown) => {
      end();
      return body.throw(error);
    },
  };
}

interface Control {
  ended: boolean;
  wake: (() => void) | null;
  stops: (() => unknown)[];
}

async function* streamBody(ctx: Context, options: ActivityStreamOptions, control: Control): AsyncGenerator<ActivityEvent> {
  const queue: Item[] = [];
  const push = (item: Item) => {
    queue.push(item);
    const wake = control.wake;
    control.wake = null;
    wake?.();
  };
  const stops = control.stops;
  // Registered at once, before the table is read; each event is queued directly, no iterator per subscriber.
  stops.push(ctx.pubsub.listen('activity:added', (event) => push({ live: event })));
  stops.push(ctx.pubsub.listen('bus:gap', (gap) => push({ gap: gap.since })));

  const seen = new Set<string>();
  const remember = (id: string) => {
    seen.add(id);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value!);
  };
  const after = options.after ?? null;
  // Without `after`, a catch-up never reaches back before the subscription began.
  const floor = after ?? uuidv7Floor(Date.now() - 1);

  /** Committed rows for this viewer with ids above `from` that were not yet sent. */
  async function* fromTable(from: string): AsyncGenerator<ActivityEvent> {
    let cursor = from;
    while (true) {
      const rows = await ctx.db.activity.findMany({
        where: { AND: [await options.where(), { id: { gt: cursor } }] },
        orderBy: { id: 'asc' },
        take: PAGE,
        select: { id: true, kind: true, organizationId: true, path: true, createdAt: true },
      });
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        remember(row.id);
        yield { ...row, createdAt: row.createdAt.toISOString() };
      }
      if (rows.length < PAGE) return;
      cursor = rows[rows.length - 1]!.id;
    }
  }

  try {
    if (after) yield* fromTable(after);
    while (true) {
      while (queue.length === 0) {
        if (control.ended) return;
        await new Promise<void>((resolve) => (control.wake = resolve));
      }
      const item = queue.shift()!;
      if ('gap' in item) {
        const since = uuidv7Floor(Date.parse(item.gap));
        yield* fromTable(since > floor ? since : floor);
        continue;
      }
      const event = item.live;
      if (seen.has(event.id) || (after && event.id <= after)) continue;
      // Usually answered at once (enablement cached): no turn of the event loop per subscriber then.
      const verdict = options.accept(event);
      if (!(verdict === true || (verdict !== false && (await verdict)))) continue;
      remember(event.id);
      yield event;
    }
  } finally {
    if (!control.ended) {
      control.ended = true;
      await Promise.allSettled(stops.map(async (stop) => stop()));
    }
  }
}

/**
 * A stream opened on the first `next()`: checks that `open` makes (authentication, arguments) fail the
 * first read, as they would inside a generator, while a `return()` still reaches the opened stream at once.
 */
export function openOnFirstRead<T>(open: () => Promise<AsyncIterableIterator<T>>): AsyncIterableIterator<T> {
  let opened: Promise<AsyncIterableIterator<T>> | null = null;
  let closed = false;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      if (closed) return { done: true, value: undefined };
      opened ??= open();
      return (await opened).next();
    },
    async return(value?: unknown) {
      closed = true;
      const stream = await opened?.catch(() => null);
      await stream?.return?.(value);
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      closed = true;
      const stream = await opened?.catch(() => null);
      await stream?.return?.();
      throw error;
    },
  };
}
