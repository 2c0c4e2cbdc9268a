import { describe, expect, it } from 'vitest';
import { createSchema, createYoga } from 'graphql-yoga';
import { ConflictError, idempotencyOf } from '@dangjian/core';
import { generateKeyText, keyringFrom, PersonalDataVault } from '@dangjian/db';
import { useIdempotencyKeys } from './idempotency.ts';

interface Row {
  operation: string;
  inputHash: string;
  expiresAt: Date;
  response: string | null;
}

// The plugin on a minimal schema through yoga.fetch, no port and no database: `rows` stands in for the
// IdempotencyKey table, and the `create` resolver reserves the key as core's `transact` does.
function fixture(options: { waitMs?: number } = {}) {
  const rows = new Map<string, Row>();
  const id = (w: { userId_key: { userId: string; key: string } }) => `${w.userId_key.userId}\n${w.userId_key.key}`;
  const db = {
    idempotencyKey: {
      findUnique: async ({ where }: { where: { userId_key: { userId: string; key: string } } }) => rows.get(id(where)) ?? null,
      update: async ({ where, data }: { where: { userId_key: { userId: string; key: string } }; data: { response: string } }) =>
        Object.assign(rows.get(id(where))!, data),
    },
  };
  const keys = generateKeyText('test');
  const vault = new PersonalDataVault(keyringFrom(keys.dataKeys, keys.lookupKey));
  let created = 0;
  let hold: Promise<void> | null = null;
  const yoga = createYoga({
    schema: createSchema<any>({
      typeDefs:
        'type Query { ok: Boolean } type Created { id: ID! name: String! } type Mutation { create(name: String!, idempotencyKey: String): Created! }',
      resolvers: {
        Mutation: {
          create: async (_: unknown, args: { name: string }, ctx: object) => {
            const claim = idempotencyOf(ctx);
            if (claim) {
              const key = `${claim.userId}\n${claim.key}`;
              if (rows.has(key))
                throw new ConflictError('a request with this idempotency key is already being processed', { field: 'idempotencyKey' });
              rows.set(key, {
                operation: claim.operation,
                inputHash: claim.inputHash,
                expiresAt: new Date(Date.now() + 60_000),
                response: null,
              });
            }
            if (hold) await hold;
            if (claim) claim.reserved = true;
            created += 1;
            return { id: `c${created}`, name: args.name };
          },
        },
      },
    }),
    plugins: [useIdempotencyKeys(options)],
    context: ({ request }) => ({ db, vault, viewer: request.headers.get('x-user') ? { userId: request.headers.get('x-user') } : null }),
    logging: false,
  });
  const gql = async (query: string, variables: Record<string, unknown> = {}, user: string | null = 'user-a') => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(user ? { 'x-user': user } : {}) };
    const res = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as {
      data?: { create: { id: string; name: string } } | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
  };
  return { gql, rows, created: () => created, holdWith: (p: Promise<void> | null) => void (hold = p) };
}

const CREATE = 'mutation ($name: String!, $key: String) { create(name: $name, idempotencyKey: $key) { id name } }';

describe('useIdempotencyKeys', () => {
  it('answers a repeated key with the stored response, stored encrypted, and creates once', async () => {
    const { gql, rows, created } = fixture();
    const first = await gql(CREATE, { name: '张三', key: 'k1' });
    expect(first).toEqual({ data: { create: { id: 'c1', name: '张三' } } });
    expect(await gql(CREATE, { name: '张三', key: 'k1' })).toEqual(first);
    expect(created()).toBe(1);
    const row = rows.get('user-a\nk1')!;
    expect(row.operation).toBe('create');
    expect(row.response).not.toContain('张三');
    // Keys are per user; no key, no memory.
    expect((await gql(CREATE, { name: '张三', key: 'k1' }, 'user-b')).data?.create.id).toBe('c2');
    expect((await gql(CREATE, { name: '张三' })).data?.create.id).toBe('c3');
  });

  it('refuses a key used for other input, two keyed fields, and keys of the wrong length, naming idempotencyKey', async () => {
    const { gql, created } = fixture();
    await gql(CREATE, { name: 'a', key: 'k' });
    const other = await gql(CREATE, { name: 'b', key: 'k' });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(other.errors?.[0]?.message).toMatch(/different request/);
    const two = await gql('mutation { a: create(name: "a", idempotencyKey: "x") { id } b: create(name: "b", idempotencyKey: "y") { id } }');
    expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    for (const key of ['', 'k'.repeat(201)])
      expect((await gql(CREATE, { name: 'a', key })).errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'idempotencyKey',
      });
    expect(created()).toBe(1);
  });

  it('leaves an anonymous request to the field’s own authorization', async () => {
    const { gql, rows } = fixture();
    expect((await gql(CREATE, { name: 'a', key: 'k' }, null)).data?.create.id).toBe('c1');
    expect(rows.size).toBe(0);
  });

  it('makes a duplicate wait for the first request, and answers CONFLICT when the first outlasts the wait', async () => {
    const { gql, holdWith, created } = fixture({ waitMs: 300 });
    let release = () => {};
    holdWith(new Promise<void>((r) => (release = r)));
    const first = gql(CREATE, { name: 'a', key: 'slow' });
    await new Promise((r) => setTimeout(r, 50));
    const impatient = await gql(CREATE, { name: 'a', key: 'slow' });
    expect(impatient.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    const patient = gql(CREATE, { name: 'a', key: 'slow' });
    await new Promise((r) => setTimeout(r, 50));
    release();
    holdWith(null);
    expect((await first).data?.create.id).toBe('c1');
    expect((await patient).data?.create.id).toBe('c1');
    expect(created()).toBe(1);
  });
});
