import { randomUUID } from 'node:crypto';
import { createPubSub } from '@graphql-yoga/subscription';
import type { PubSub, PubSubTopics } from '@dangjian/core';
import { Redis, type RedisOptions } from 'ioredis';

/** The event bus and a way to close what it opened. */
export interface EventBus {
  pubsub: PubSub;
  /** What the metrics report: the Redis connection and how often it failed (all zero in process). */
  state(): EventBusState;
  close(): Promise<void>;
}

export interface EventBusState {
  /** True while the Redis subscription is live; null without Redis. */
  redisConnected: boolean | null;
  /** Losses of the Redis subscription. */
  outages: number;
  /** `bus:gap` events this process's listeners heard (own outages and other processes' failed publishes): each makes open subscriptions catch up from the table. */
  gaps: number;
  /** Publishes to Redis that failed (the event reached this process's listeners only). */
  publishFailures: number;
}

export interface EventBusOptions {
  /**
   * Prefix of every Redis channel, so that several deployments (or parallel test runs) can share one
   * Redis without hearing each other. @default 'dangjian:'
   */
  channelPrefix?: string;
  /** Where connection trouble (once per outage, not per retry) and a failing listener are reported. */
  log?: (message: string) => void;
  /** Told when an event has reached every listener it had when dispatched (metrics: fan-out duration). */
  onFanout?: (topic: string, seconds: number, listeners: number) => void;
}

/** Topics every process listens to from the start, so a new subscriber never waits for a SUBSCRIBE. */
const TOPICS: readonly (keyof PubSubTopics)[] = ['activity:added', 'plugins:changed', 'bus:gap', 'sessions:revoked'];

/** How far before an outage began the catch-up looks, for writes that committed around that moment. */
const GAP_MARGIN_MS = 2000;

type Listener = (event: CustomEvent) => void;

/** How many listeners an event reaches before the dispatch yields to the event loop. */
export const DISPATCH_CHUNK = 500;

interface Dispatch {
  event: CustomEvent;
  /** The topic's listeners when the event was dispatched, and the live set (a listener removed since is skipped). */
  snapshot: Listener[];
  live: Set<Listener>;
  next: number;
  /** performance.now() when dispatched. */
  startedAt: number;
}

/**
 * Listeners per topic in Sets. Node's own EventTarget looks for a duplicate on every addEventListener by
 * walking the topic's list, so 10k subscriptions cost 50M comparisons to open (a third of the time it took
 * to connect 10k sockets, profiled); a Set makes each add and remove O(1).
 *
 * An event reaches its listeners `DISPATCH_CHUNK` at a time, the next chunk after the event loop has had
 * a turn. Handed to 10k subscribers at once, every subscriber's delivery advanced through its promise
 * reactions in lockstep: nothing was written to a socket until all had reached that step, the heap held
 * all 10k deliveries in flight (the young-generation collections copying them were a third of the
 * fan-out's CPU, profiled), and no HTTP request was served until the last subscriber was written to.
 * Events keep their order: one queue for all topics, every listener of one event before any of the next
 * (so a session revocation published during a 10k fan-out waits for it, about half a second here).
 */
function createListenerRegistry(log: (message: string) => void, onFanout?: EventBusOptions['onFanout']) {
  const listeners = new Map<string, Set<Listener>>();
  const fnOf = (callback: Listener | { handleEvent: Listener }) => ('handleEvent' in callback ? callback.handleEvent : callback);
  const queue: Dispatch[] = [];
  let running = false;
  const run = () => {
    let budget = DISPATCH_CHUNK;
    while (queue.length > 0 && budget > 0) {
      const dispatch = queue[0]!;
      while (dispatch.next < dispatch.snapshot.length && budget > 0) {
        const listener = dispatch.snapshot[dispatch.next++]!;
        if (!dispatch.live.has(listener)) continue;
        budget--;
        try {
          listener(dispatch.event);
        } catch (error) {
          // A listener's bug is reported; it neither reaches the publisher nor keeps the event from the rest.
          log(
            `event bus: a ${dispatch.event.type} listener failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          );
        }
      }
      if (dispatch.next >= dispatch.snapshot.length) {
        queue.shift();
        onFanout?.(dispatch.event.type, (performance.now() - dispatch.startedAt) / 1000, dispatch.snapshot.length);
      }
    }
    if (queue.length > 0) setImmediate(run);
    else running = false;
  };
  return {
    listeners,
    add(topic: string, callback: Listener | { handleEvent: Listener } | null) {
      if (!callback) return;
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(fnOf(callback));
    },
    /** Removes the listener; answers whether the topic has none left. */
    remove(topic: string, callback: Listener | { handleEvent: Listener } | null): boolean {
      const set = listeners.get(topic);
      if (callback) set?.delete(fnOf(callback));
      if (set?.size === 0) listeners.delete(topic);
      return !listeners.has(topic);
    },
    /** The first chunk is reached before this returns, unless earlier events are still being dispatched. */
    dispatch(topic: string, detail: unknown) {
      const set = listeners.get(topic);
      if (!set) return;
      // As with EventTarget, a listener added while this event is dispatched does not receive it.
      queue.push({ event: new CustomEvent(topic, { detail }), snapshot: [...set], live: set, next: 0, startedAt: performance.now() });
      if (running) return;
      running = true;
      run();
    },
  };
}

/** The in-process event target. */
function createLocalTarget(log: (message: string) => void, onFanout?: EventBusOptions['onFanout']) {
  const registry = createListenerRegistry(log, onFanout);
  return {
    addEventListener: registry.add,
    removeEventListener: (topic: string, callback: Listener | { handleEvent: Listener } | null) => void registry.remove(topic, callback),
    dispatchEvent(event: CustomEvent) {
      registry.dispatch(event.type, event.detail);
      return true;
    },
  };
}

/**
 * An event target over Redis pub/sub that never rejects into the void and knows when it may have
 * missed something:
 * - this process's own listeners get an event at once, as in memory; Redis carries it to the other
 *   processes only (a message names the process it came from, which skips it when it comes back). So
 *   a subscriber on the process where a mutation ran waits for no Redis round trip, and none behind
 *   the rest of that request's work, and still hears the event while Redis is unreachable;
 * - publishing while Redis is unreachable drops the message (the activity is committed and in the
 *   table) and remembers when; once the publish connection is back, a `bus:gap` goes out to the other
 *   processes;
 * - when this process's subscribe connection comes back after a loss, it re-subscribes, and then
 *   tells its own listeners `bus:gap` with the time the loss began, so they catch up from the table.
 */
function createResilientRedisTarget(
  publishClient: Redis,
  subscribeClient: Redis,
  prefix: string,
  log: (m: string) => void,
  onFanout?: EventBusOptions['onFanout'],
) {
  const registry = createListenerRegistry(log, onFanout);
  const listeners = registry.listeners;
  const channelOf = (topic: string) => `${prefix}${topic}`;
  const counts = { outages: 0, gaps: 0, publishFailures: 0 };
  const dispatchLocal = (topic: string, detail: unknown) => {
    if (topic === 'bus:gap') counts.gaps++;
    registry.dispatch(topic, detail);
  };
  // A message is `<origin>\n<JSON detail>`.
  const origin = randomUUID();
  const messageOf = (detail: unknown) => `${origin}\n${detail === undefined ? '' : JSON.stringify(detail)}`;

  subscribeClient.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(prefix)) return;
    const cut = message.indexOf('\n');
    // Not in our format, or our own: this process's listeners had it when it was published.
    if (cut < 0 || message.slice(0, cut) === origin) return;
    let detail: unknown;
    try {
      detail = cut === message.length - 1 ? null : JSON.parse(message.slice(cut + 1));
    } catch {
      return; // not ours
    }
    dispatchLocal(channel.slice(prefix.length), detail);
  });

  // The fixed topics plus any other topic someone listens to: a command queued before the connection is ready
  // would reach Redis ahead of ioredis's ready check and fail it ("only subscriber commands may be used").
  const subscribeAll = () => subscribeClient.subscribe(...new Set([...TOPICS, ...listeners.keys()].map(channelOf)));
  let subscribed = false;
  let lostAt: number | null = null;
  subscribeClient.on('close', () => {
    if (subscribed && lostAt === null) {
      lostAt = Date.now();
      counts.outages++;
      log('event bus: lost the Redis subscription; events will be caught up from the activity table');
    }
  });
  subscribeClient.on('ready', () => {
    // ioredis re-subscribes on its own too, but only after 'ready'; this reply proves the server has it.
    subscribeAll().then(
      () => {
        subscribed = true;
        if (lostAt !== null) {
          const since = new Date(lostAt - GAP_MARGIN_MS).toISOString();
          lostAt = null;
          log('event bus: Redis subscription restored');
          dispatchLocal('bus:gap', { since });
        }
      },
      () => {}, // lost again; the next 'ready' retries
    );
  });

  let publishFailedAt: number | null = null;
  publishClient.on('ready', () => {
    if (publishFailedAt === null) return;
    const since = new Date(publishFailedAt - GAP_MARGIN_MS).toISOString();
    publishFailedAt = null;
    // The other processes may have missed what this one failed to publish (its own listeners had it).
    publishClient.publish(channelOf('bus:gap'), messageOf({ since })).catch(() => {});
  });

  return {
    state: (): EventBusState => ({ redisConnected: subscribed && lostAt === null && subscribeClient.status === 'ready', ...counts }),
    addEventListener(topic: string, callback: Listener | { handleEvent: Listener } | null) {
      registry.add(topic, callback);
      // Before 'ready', subscribeAll (run on 'ready') picks the topic up from `listeners`.
      if (!TOPICS.includes(topic as keyof PubSubTopics) && subscribeClient.status === 'ready')
        subscribeClient.subscribe(channelOf(topic)).catch(() => {});
    },
    removeEventListener(topic: string, callback: Listener | { handleEvent: Listener } | null) {
      if (registry.remove(topic, callback) && !TOPICS.includes(topic as keyof PubSubTopics)) {
        if (subscribeClient.status === 'ready') subscribeClient.unsubscribe(channelOf(topic)).catch(() => {});
      }
    },
    dispatchEvent(event: CustomEvent) {
      const failed = () => {
        counts.publishFailures++;
        publishFailedAt ??= Date.now();
      };
      // Out to the other processes before this one's listeners run: they cannot hold it up or change it.
      if (publishClient.status !== 'ready') failed();
      else publishClient.publish(channelOf(event.type), messageOf(event.detail)).catch(failed);
      dispatchLocal(event.type, event.detail);
      return true;
    },
  };
}

type Target = {
  addEventListener(topic: string, callback: Listener): void;
  removeEventListener(topic: string, callback: Listener): void;
  dispatchEvent(event: CustomEvent): boolean;
};

/** yoga's pubsub over `target`, with `listen` for fan-out without an iterator per listener. */
function busOver(target: Target): PubSub {
  const pubsub = createPubSub<PubSubTopics>({ eventTarget: target as never });
  return Object.assign(pubsub, {
    listen<K extends keyof PubSubTopics>(topic: K, listener: (payload: PubSubTopics[K][0]) => void): () => void {
      const handler: Listener = (event) => listener(event.detail as PubSubTopics[K][0]);
      target.addEventListener(topic, handler);
      return () => target.removeEventListener(topic, handler);
    },
  });
}

/**
 * In-process by default; with a Redis URL every server process publishes to and hears from Redis,
 * so a subscriber on one process sees activities written through another. Redis being down never
 * fails a mutation: the activity is committed, and subscribers catch up from the table (`bus:gap`).
 */
export function createEventBus(redisUrl: string | null, options: EventBusOptions = {}): EventBus {
  const log = options.log ?? ((m: string) => console.error(m));
  if (!redisUrl) {
    return {
      pubsub: busOver(createLocalTarget(log, options.onFanout)),
      state: () => ({ redisConnected: null, outages: 0, gaps: 0, publishFailures: 0 }),
      close: async () => {},
    };
  }
  const base: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 5000,
    // Reconnect soon after Redis returns (ioredis's default backs off to 2 s too; keep it explicit).
    retryStrategy: (times) => Math.min(times * 100, 1000),
  };
  // Publishing fails at once while disconnected rather than queueing stale messages for later.
  // Named for CLIENT LIST (an operator sees which connections are whose): `<prefix>publish` / `<prefix>subscribe`.
  const prefix = options.channelPrefix ?? 'dangjian:';
  const publishClient = new Redis(redisUrl, {
    ...base,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: `${prefix}publish`,
  });
  const subscribeClient = new Redis(redisUrl, { ...base, maxRetriesPerRequest: null, connectionName: `${prefix}subscribe` });
  // Reconnection is ioredis's job; an unhandled 'error' event would crash the process instead.
  let reported = false;
  const onError = (error: Error) => {
    if (!reported) log(`event bus: Redis unreachable (${error.message}); retrying`);
    reported = true;
  };
  publishClient.on('error', onError);
  subscribeClient.on('error', onError);
  subscribeClient.on('ready', () => (reported = false));
  const eventTarget = createResilientRedisTarget(publishClient, subscribeClient, prefix, log, options.onFanout);
  return {
    pubsub: busOver(eventTarget),
    state: eventTarget.state,
    async close() {
      // QUIT when connected (pending replies drain first); a client that is down is just dropped — a
      // queued QUIT would wait for Redis forever.
      const quit = (client: Redis) =>
        client.status === 'ready'
          ? Promise.race([client.quit().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())])
          : undefined;
      await Promise.all([quit(publishClient), quit(subscribeClient)]);
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
