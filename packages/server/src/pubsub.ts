import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PubSub, PubSubTopics } from '@dangjian/core';
import { Redis } from 'ioredis';

/** The event bus and a way to close what it opened. */
export interface EventBus {
  pubsub: PubSub;
  close(): Promise<void>;
}

/**
 * In-process by default; with a Redis URL every server process publishes to and hears from Redis,
 * so a subscriber on one process sees activities written through another.
 */
export function createEventBus(redisUrl: string | null): EventBus {
  if (!redisUrl) return { pubsub: createPubSub<PubSubTopics>(), close: async () => {} };
  const options = { lazyConnect: false, maxRetriesPerRequest: 3, connectTimeout: 5000 };
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  // Reconnection is ioredis's job; an unhandled 'error' event would crash the process instead.
  publishClient.on('error', () => {});
  subscribeClient.on('error', () => {});
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<PubSubTopics>({ eventTarget }),
    async close() {
      // Subscriptions ended just before this send their UNSUBSCRIBE asynchronously; QUIT is queued after
      // whatever was sent, so give them a moment to go out rather than reject on a closed connection.
      const pending = () =>
        [publishClient, subscribeClient].reduce((n, c) => n + ((c as unknown as { commandQueue?: { length: number } }).commandQueue?.length ?? 0), 0);
      const until = Date.now() + 1000;
      await new Promise((resolve) => setTimeout(resolve, 20));
      while (pending() > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
