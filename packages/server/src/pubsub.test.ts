import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '@dangjian/core';
import { createEventBus, DISPATCH_CHUNK } from './pubsub.ts';

const event = (id: string): ActivityEvent => ({
  id,
  kind: 'organization.updated',
  organizationId: null,
  path: '/a/',
  createdAt: new Date(0).toISOString(),
});
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('in-process event bus', () => {
  it('reaches a chunk of listeners at once and the rest on later turns, every listener in publish order', async () => {
    const { pubsub } = createEventBus(null);
    const count = DISPATCH_CHUNK * 2 + 7;
    const got: string[][] = Array.from({ length: count }, () => []);
    const log: string[] = [];
    const stops = got.map((list, i) =>
      pubsub.listen('activity:added', (e) => {
        list.push(e.id);
        log.push(`${e.id}:${i}`);
      }),
    );
    pubsub.publish('activity:added', event('A'));
    pubsub.publish('activity:added', event('B'));
    // The first chunk had A before publish returned; nobody has B while A is still on its way.
    expect(log).toHaveLength(DISPATCH_CHUNK);
    expect(log.every((entry) => entry.startsWith('A:'))).toBe(true);
    while (log.length < count * 2) await turn();
    expect(got.every((list) => list.join() === 'A,B')).toBe(true);
    expect(log.findIndex((entry) => entry.startsWith('B:'))).toBe(count);
    for (const stop of stops) stop();
  });

  it('skips a listener removed before its chunk and does not give the event to one added during it', async () => {
    const { pubsub } = createEventBus(null);
    const heard = new Set<number>();
    const stops = Array.from({ length: DISPATCH_CHUNK + 10 }, (_, i) => pubsub.listen('activity:added', () => heard.add(i)));
    let late = 0;
    pubsub.publish('activity:added', event('A'));
    stops[DISPATCH_CHUNK + 3]!();
    pubsub.listen('activity:added', () => late++);
    await turn();
    await turn();
    expect(heard.size).toBe(DISPATCH_CHUNK + 9);
    expect(heard.has(DISPATCH_CHUNK + 3)).toBe(false);
    expect(late).toBe(0);
    pubsub.publish('activity:added', event('B'));
    await turn();
    expect(late).toBe(1);
  });

  it('reports a listener that throws, and still hands the event to the others; the publisher never sees it', () => {
    const logged: string[] = [];
    const { pubsub } = createEventBus(null, { log: (message) => logged.push(message) });
    const heard: string[] = [];
    pubsub.listen('activity:added', (e) => heard.push(`first ${e.id}`));
    pubsub.listen('activity:added', () => {
      throw new Error('listener bug');
    });
    pubsub.listen('activity:added', (e) => heard.push(`last ${e.id}`));
    expect(() => pubsub.publish('activity:added', event('A'))).not.toThrow();
    expect(heard).toEqual(['first A', 'last A']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/activity:added listener failed: Error: listener bug/);
  });
});
