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
  /** A further check that SQL cannot express, applied to live events (after `accept`) and replayed rows alike. */
  refine?: (event: ActivityEvent) => boolean | Promise<boolean>;
}

type Item = { live: ActivityEvent } | { gap: string };
type Waiter = { resolve(result: IteratorResult<ActivityEvent>): void; reject(error: unknown): void };

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true });

/**
 * Activities for one subscriber, in order and without holes the bus could cause:
 * 1. listens to the live bus first (buffering), so nothing published during the replay is lost;
 * 2. replays committed rows after `after` from the activity table;
 * 3. streams live events, skipping any already replayed;
 * 4. on `bus:gap` (Redis was unreachable, a publish failed) reads the table again from the gap's start.
 * Ids are UUIDv7, so their order is creation order.
 *
 * Written as a state machine rather than an async generator: a live event accepted synchronously (the
 * usual case) settles the waiting `next()` inside the bus's dispatch, in one promise reaction, where the
 * generator took several, each with its garbage. This runs once per subscriber for every event (at 10k
 * subscribers: 0.56 → 0.48 s of CPU per event, bench/RESULTS.md).
 */
export function activityStream(ctx: Context, options: ActivityStreamOptions): AsyncIterableIterator<ActivityEvent> {
  const after = options.after ?? null;
  const { refine } = options;
  const accept = refine ? refined(options.accept, refine) : options.accept;
  const queue: Item[] = [];
  // Accepted events the consumer has not asked for yet, and consumers waiting for one.
  const ready: ActivityEvent[] = [];
  const waiters: Waiter[] = [];
  const stops: (() => unknown)[] = [];
  const seen = new Set<string>();
  let started = false;
  // No more input: the listeners are gone. What is `ready` is still handed out, then `failure`, then done.
  let closed = false;
  // A table read or an asynchronous verdict in progress; later items wait behind it, in order.
  let busy = false;
  let failure: { error: unknown } | null = null;
  let whenTaken: (() => void) | null = null;
  let floor = '';

  const remember = (id: string) => {
    seen.add(id);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value!);
  };

  const emit = (event: ActivityEvent) => {
    if (closed) return;
    const waiter = waiters.shift();
    if (waiter) waiter.resolve({ value: event, done: false });
    else ready.push(event);
  };

  const close = () => {
    if (closed) return;
    closed = true;
    queue.length = 0;
    for (const stop of stops) void Promise.resolve(stop()).catch(() => {});
    whenTaken?.();
  };

  const fail = (error: unknown) => {
    if (closed) return;
    close();
    const waiter = waiters.shift();
    if (waiter) waiter.reject(error);
    else failure = { error };
    for (const rest of waiters.splice(0)) rest.resolve(DONE);
  };

  /** Committed rows for this viewer with ids above `from` not yet sent; a page at a time, as they are taken. */
  async function readTable(from: string): Promise<void> {
    let cursor = from;
    while (!closed) {
      const rows = await ctx.db.activity.findMany({
        where: { AND: [await options.where(), { id: { gt: cursor } }] },
        orderBy: { id: 'asc' },
        take: PAGE,
        select: { id: true, kind: true, organizationId: true, path: true, createdAt: true },
      });
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        const event = { ...row, createdAt: row.createdAt.toISOString() };
        if (refine && !(await refine(event))) continue;
        remember(row.id);
        emit(event);
      }
      if (rows.length < PAGE) return;
      cursor = rows[rows.length - 1]!.id;
      // A long replay is read no faster than the subscriber takes it.
      while (ready.length > 0 && !closed) await new Promise<void>((resolve) => (whenTaken = resolve));
      whenTaken = null;
    }
  }

  const run = (step: Promise<void>) => {
    busy = true;
    step.then(
      () => {
        busy = false;
        drain();
      },
      (error: unknown) => {
        busy = false;
        fail(error);
      },
    );
  };

  // Runs inside the bus's dispatch: nothing here may throw into it.
  function drain() {
    while (!busy && !closed && queue.length > 0) {
      const item = queue.shift()!;
      if ('gap' in item) {
        const since = uuidv7Floor(Date.parse(item.gap));
        run(readTable(since > floor ? since : floor));
        return;
      }
      const event = item.live;
      if (seen.has(event.id) || (after && event.id <= after)) continue;
      let verdict: boolean | Promise<boolean>;
      try {
        // Usually answered at once (enablement cached).
        verdict = accept(event);
      } catch (error) {
        fail(error);
        return;
      }
      if (verdict === true) {
        remember(event.id);
        emit(event);
      } else if (verdict !== false) {
        run(
          verdict.then((accepted) => {
            if (!accepted) return;
            remember(event.id);
            emit(event);
          }),
        );
        return;
      }
    }
  }

  const push = (item: Item) => {
    if (closed) return;
    queue.push(item);
    drain();
  };

  // On the first read, as a generator would: a stream never read holds no listeners.
  const start = () => {
    started = true;
    stops.push(ctx.pubsub.listen('activity:added', (event) => push({ live: event })));
    stops.push(ctx.pubsub.listen('bus:gap', (gap) => push({ gap: gap.since })));
    // Without `after`, a catch-up never reaches back before the subscription began.
    floor = after ?? uuidv7Floor(Date.now() - 1);
    if (after) run(readTable(after));
  };

  const end = (): Promise<IteratorResult<ActivityEvent>> => {
    started = true;
    close();
    ready.length = 0;
    failure = null;
    for (const waiter of waiters.splice(0)) waiter.resolve(DONE);
    return Promise.resolve(DONE);
  };

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (!started) start();
      const event = ready.shift();
      if (event) {
        if (ready.length === 0) whenTaken?.();
        return Promise.resolve({ value: event, done: false });
      }
      if (failure) {
        const { error } = failure;
        failure = null;
        return Promise.reject(error);
      }
      if (closed) return Promise.resolve(DONE);
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    return: end,
    throw(error?: unknown) {
      void end();
      return Promise.reject(error);
    },
  };
}

/** `accept`, then `refine` for what it accepted; answered at once when both answer at once. */
function refined(
  accept: ActivityStreamOptions['accept'],
  refine: NonNullable<ActivityStreamOptions['refine']>,
): ActivityStreamOptions['accept'] {
  return (event) => {
    const verdict = accept(event);
    if (verdict === false) return false;
    if (verdict === true) return refine(event);
    return verdict.then((accepted) => accepted && refine(event));
  };
}

/**
 * A stream opened on the first `next()`: checks that `open` makes (authentication, arguments) fail the
 * first read, as they would inside a generator, while a `return()` still reaches the opened stream at once.
 */
export function openOnFirstRead<T>(open: () => Promise<AsyncIterableIterator<T>>): AsyncIterableIterator<T> {
  let opened: Promise<AsyncIterableIterator<T>> | null = null;
  // Once open, reads go straight to the stream: no extra promise per event and subscriber.
  let stream: AsyncIterableIterator<T> | null = null;
  let closed = false;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (closed) return Promise.resolve({ done: true, value: undefined });
      if (stream) return stream.next();
      opened ??= open().then((s) => (stream = s));
      return opened.then((s) => (closed ? { done: true as const, value: undefined } : s.next()));
    },
    async return(value?: unknown) {
      closed = true;
      const opening = await opened?.catch(() => null);
      await opening?.return?.(value);
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      closed = true;
      const opening = await opened?.catch(() => null);
      await opening?.return?.();
      throw error;
    },
  };
}
