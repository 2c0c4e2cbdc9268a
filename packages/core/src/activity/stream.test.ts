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

const event = (id: string, path = '/a/'): ActivityEvent => ({
  id,
  kind: 'organization.updated',
  organizationId: null,
  path,
  createdAt: new Date().toISOString(),
});

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

  it('replays the table page by page as the subscriber takes it, then live events, none twice and in order', async () => {
    const { pubsub, publish } = bus();
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      id: String(i + 1).padStart(5, '0'),
      kind: 'organization.updated',
      organizationId: null,
      path: '/a/',
      createdAt: new Date(0),
    }));
    const reads: string[] = [];
    const findMany = async ({ where, take }: { where: { AND: [unknown, { id: { gt: string } }] }; take: number }) => {
      const from = where.AND[1].id.gt;
      reads.push(from);
      return rows.filter((r) => r.id > from).slice(0, take);
    };
    const ctx = { pubsub, db: { activity: { findMany } } } as unknown as Context;
    const stream = activityStream(ctx, { after: '00000', where: async () => ({}), accept: () => true });
    const first = await stream.next();
    expect(first.value?.id).toBe('00001');
    // Published during the replay: one already in the table (skipped), one new (after the replay).
    publish('activity:added', event('00700'));
    publish('activity:added', event('01300'));
    // The second page is read only once the first is taken.
    expect(reads).toEqual(['00000']);
    const ids = [first.value!.id];
    while (ids.length < 1204) ids.push((await stream.next()).value!.id);
    expect(ids).toEqual([...rows.map((r) => r.id), '01300']);
    expect(reads).toEqual(['00000', '00500', '01000']);
    await stream.return?.();
  });

  it('keeps order behind an asynchronous verdict, and hands out what it accepted before a failure, then the failure', async () => {
    const { pubsub, publish, count } = bus();
    const ctx = { pubsub } as unknown as Context;
    const stream = activityStream(ctx, {
      where: async () => ({}),
      accept: (e) => {
        if (e.id === '03') throw new Error('verdict failed');
        return e.id === '01' ? new Promise((r) => setTimeout(() => r(true), 5)) : true;
      },
    });
    const first = stream.next();
    await new Promise((r) => setTimeout(r, 0));
    publish('activity:added', event('01'));
    publish('activity:added', event('02'));
    expect((await first).value?.id).toBe('01');
    expect((await stream.next()).value?.id).toBe('02');
    publish('activity:added', event('03'));
    // The failure stayed with this subscriber (publishing did not throw), and its listeners are gone.
    expect(count()).toBe(0);
    await expect(stream.next()).rejects.toThrow('verdict failed');
    await expect(stream.next()).resolves.toMatchObject({ done: true });
  });
});
