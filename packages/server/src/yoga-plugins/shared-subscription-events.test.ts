import { describe, expect, it } from 'vitest';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { createPubSub, createYoga } from 'graphql-yoga';
import { isViewerIndependent, useSharedSubscriptionEvents, VIEWER_INDEPENDENT } from './shared-subscription-events.ts';

const same = { [VIEWER_INDEPENDENT]: true };

function fixture() {
  const pubsub = createPubSub<{ tick: [{ n: number }] }>();
  const calls = { shared: 0, perViewer: 0 };
  const Owner = new GraphQLObjectType({ name: 'Owner', fields: { name: { type: GraphQLString, extensions: same } } });
  const Tick = new GraphQLObjectType({
    name: 'Tick',
    fields: {
      n: {
        type: GraphQLString,
        extensions: same,
        resolve: (tick: { n: number }) => {
          calls.shared++;
          return String(tick.n);
        },
      },
      seenBy: {
        type: GraphQLString,
        resolve: (_tick, _args, ctx: { viewer: string }) => {
          calls.perViewer++;
          return ctx.viewer;
        },
      },
      owner: { type: Owner, extensions: same, resolve: () => ({ name: 'o' }) },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        ticked: { type: Tick, extensions: same, subscribe: () => pubsub.subscribe('tick'), resolve: (tick: unknown) => tick },
        tickedUnmarked: { type: Tick, subscribe: () => pubsub.subscribe('tick'), resolve: (tick: unknown) => tick },
      },
    }),
  });
  const yoga = createYoga({ schema, plugins: [useSharedSubscriptionEvents()], logging: false });
  const subscribe = async (query: string, viewer: string) => {
    const { subscribe, contextFactory, parse: parseDoc } = yoga.getEnveloped({});
    const document = parseDoc(query);
    const result = (await subscribe({
      schema,
      document,
      contextValue: { ...(await contextFactory()), viewer },
    })) as AsyncIterableIterator<ExecutionResult>;
    return result[Symbol.asyncIterator]();
  };
  return { pubsub, calls, schema, subscribe };
}

describe('isViewerIndependent', () => {
  const { schema } = fixture();
  const decide = (query: string, operationName?: string) => isViewerIndependent(schema, parse(query), operationName);

  it('holds when every selected field is marked, through fragments and __typename', () => {
    expect(decide('subscription { ticked { n __typename owner { name } } }')).toBe(true);
    expect(decide('subscription { ticked { ...F ... on Tick { n } } } fragment F on Tick { owner { name } }')).toBe(true);
  });

  it('fails for an unmarked field anywhere, an unmarked root field, or a query', () => {
    expect(decide('subscription { ticked { n seenBy } }')).toBe(false);
    expect(decide('subscription { ticked { ...F } } fragment F on Tick { seenBy }')).toBe(false);
    expect(decide('subscription { tickedUnmarked { n } }')).toBe(false);
    expect(decide('query { ok }')).toBe(false);
  });

  it('decides for the named operation', () => {
    const query = 'subscription A { ticked { n } } subscription B { ticked { seenBy } }';
    expect(decide(query, 'A')).toBe(true);
    expect(decide(query, 'B')).toBe(false);
  });
});

describe('useSharedSubscriptionEvents', () => {
  it('executes an event once for all subscribers of a viewer-independent operation, and hands each the result', async () => {
    const { pubsub, calls, subscribe } = fixture();
    const subscribers = await Promise.all([1, 2, 3].map((i) => subscribe('subscription { ticked { n } }', `viewer ${i}`)));
    const next = subscribers.map((s) => s.next());
    await new Promise((r) => setTimeout(r, 10));
    pubsub.publish('tick', { n: 7 });
    const results = await Promise.all(next);
    expect(results.map((r) => r.value)).toEqual([1, 2, 3].map(() => ({ data: { ticked: { n: '7' } } })));
    expect(calls.shared).toBe(1);
    await Promise.all(subscribers.map((s) => s.return?.()));
  });

  it('executes per subscriber when a field depends on the viewer', async () => {
    const { pubsub, calls, subscribe } = fixture();
    const subscribers = await Promise.all([1, 2].map((i) => subscribe('subscription { ticked { n seenBy } }', `viewer ${i}`)));
    const next = subscribers.map((s) => s.next());
    await new Promise((r) => setTimeout(r, 10));
    pubsub.publish('tick', { n: 1 });
    const results = await Promise.all(next);
    expect(results.map((r) => r.value)).toEqual([
      { data: { ticked: { n: '1', seenBy: 'viewer 1' } } },
      { data: { ticked: { n: '1', seenBy: 'viewer 2' } } },
    ]);
    expect(calls).toEqual({ shared: 2, perViewer: 2 });
    await Promise.all(subscribers.map((s) => s.return?.()));
  });

  it('ends the source stream at once when the subscriber leaves while waiting', async () => {
    const { subscribe } = fixture();
    const subscriber = await subscribe('subscription { ticked { n } }', 'v');
    const pending = subscriber.next();
    await subscriber.return?.();
    await expect(pending).resolves.toMatchObject({ done: true });
  });
});
