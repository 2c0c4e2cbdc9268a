import { describe, expect, it } from 'vitest';
import type { Context } from '../context.ts';
import type { ActivityEvent, PubSub } from './pubsub.ts';
import { activityStream } from './stream.ts';

/** A bus with `listen` only: the stream must not need anything else for live events. */
function bus() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pubsub = {
    listen(topic: string, listener: (payload: unknown) => void) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  } as unknown as PubSub;
  const publish = (topic: string, payload: unknown) => {
    for (const listener of [...(listeners.get(topic) ?? [])]) listener(payload);
  };
  const count = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);
  return { pubsub, publish, count };
}

const event = (id: string, path = '/a/'): ActivityEvent => ({ id, kind: 'organization.updated', organizationId: null, path, createdAt: new Date().toISOString() });

describe('activityStream', () => {
  it('streams accepted live events once each, answering a synchronous verdict without waiting', async () => {
    const { pubsub, publish } = bus();
    const ctx = { pubsub } as unknown as Context;
    const stream = activityStream(ctx, { where: async () => ({}), accept: (e) => e.path.startsWith('/a/') });
    const first = stream.next();
    await new Promise((r) => setTimeout(r, 0));
    publish('activity:added', event('01'));
    publish('activity:added', event('02', '/b/'));
    publish('activity:added', event('01'));
    publish('activity:added', event('03'));
    expect((await first).value?.id).toBe('01');
    expect((await stream.next()).value?.id).toBe('03');
    await stream.return?.();
  });

  it('lets go of its listeners at once when the subscriber leaves while it waits for an event', async () => {
    const { pubsub, count } = bus();
    const ctx = { pubsub } as unknown as Context;
    const stream = activityStream(ctx, { where: async () => ({}), accept: async () => true });
    const pending = stream.next();
    await new Promise((r) => setTimeout(r, 0));
    expect(count()).toBe(2); // activity:added and bus:gap
    await stream.return?.();
    expect(count()).toBe(0);
    await expect(pending).resolves.toMatchObject({ done: true });
  });
});
