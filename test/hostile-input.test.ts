import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '@dangjian/core';
import { nationalIdChecksum, Prisma } from '@dangjian/db';
import { globalId, startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

/**
 * Hostile but well-typed input, sent the way a client would (HTTP, JSON variables) to every text and date
 * argument of every mutation of the full schema, found by walking the schema: a new mutation is covered
 * without a test of its own. The answer must be a typed error (`extensions.code`) or a clean success —
 * never the masked `Unexpected error.` of a server fault.
 */

/** The hostile values of a free-text argument (String); an ID gets the first three. */
const HOSTILE_TEXT: Record<string, string> = {
  nul: 'a\u0000b',
  'lone surrogate': 'a\ud800b', // JSON.stringify escapes it as "\ud800", as a client's JSON would
  '100,000 characters': 'x'.repeat(100_000),
  'only whitespace': ' \t \u3000 ',
  'only a zero-width space': '\u200b',
};
const HOSTILE_ID = Object.fromEntries(Object.entries(HOSTILE_TEXT).slice(0, 3));
const HOSTILE_DATE: Record<string, string> = { 'year 1000': '1000-01-01', 'year 9999': '9999-12-31' };
const HOSTILE_DATETIME: Record<string, string> = { 'year 1000': '1000-01-01T00:00:00.000Z', 'year 9999': '9999-12-31T23:59:59.000Z' };

let serial = 0;
/** A valid, fresh national ID (born 1990-01-01), so unrelated checks do not stop a request early. */
function nationalId(): string {
  const first17 = `11010119900101${String(100 + (serial++ % 800)).padStart(3, '0')}`;
  return first17 + nationalIdChecksum(first17);
}

/** A plausible value of a text argument that is not under test, by its name (a new field falls to the default). */
function plausibleText(name: string): string {
  const n = name.toLowerCase();
  if (n === 'nationalid') return nationalId();
  if (n.includes('phone') || n.includes('mobile')) return '13812345678';
  if (n.includes('code')) return `HOSTILE-${serial++}`;
  if (n.includes('hours') || n.includes('amount') || n.includes('score')) return '1';
  if (n.includes('business')) return '党建+科技';
  if (n.includes('pluginid')) return 'party-brand';
  return `测试${serial++}`;
}

/** A plausible date by its name: ends come after starts. */
function plausibleDate(name: string): string {
  return /end|due|to$|until|deadline/i.test(name) ? '2025-06-30' : '2024-01-02';
}

/** Whether a value goes into the request: required ones, and optional lists and input objects (the targets inside them need them). */
function carried(type: GraphQLInputType): boolean {
  return isNonNullType(type) || isListType(type) || isInputObjectType(type);
}

type Target = { path: string[]; kind: 'text' | 'id' | 'date' | 'datetime' };

describe('hostile input to every mutation (found by walking the schema)', () => {
  let server: TestServer;
  let token: string;
  let schema: GraphQLSchema;
  /** Global IDs of one existing row per GraphQL object type (by Prisma model name, or its suffix). */
  const ids = new Map<string, string>();
  let fallbackId: string;
  /** The server's error log: a hostile value must not keep a request out of the audit trail either. */
  const errorLog: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      env: { RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_PER_FIELD_PER_MINUTE: '10000000' },
      errorLog: (line) => errorLog.push(line),
    });
    token = await server.token('SZJGGW', [...ROLES], 'hostile-tester');
    const introspection = await server.gql<IntrospectionQuery>(getIntrospectionQuery(), {}, token);
    schema = buildClientSchema(introspection.data!);
    const client = server.db.client as unknown as Record<string, { findFirst(a: object): Promise<{ id: string } | null> }>;
    const rows = new Map<string, string>();
    for (const model of Object.values(Prisma.ModelName)) {
      const delegate = client[model[0]!.toLowerCase() + model.slice(1)];
      const row = await delegate?.findFirst({ select: { id: true } }).catch(() => null);
      if (row && typeof row.id === 'string') rows.set(model, row.id);
    }
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const model = rows.has(type.name) ? type.name : [...rows.keys()].find((m) => m.endsWith(type.name));
      if (model) ids.set(type.name, globalId(type.name, rows.get(model)!));
    }
    fallbackId = ids.get('Organization')!;
  });
  afterAll(() => server?.close());

  /** The object type an ID argument most likely names: `teamId` → VolunteerTeam, `id` → what the mutation returns. */
  function idFor(field: GraphQLField<unknown, unknown>, name: string): string {
    const stem = name.replace(/Ids?$/, '');
    const wanted = stem ? stem[0]!.toUpperCase() + stem.slice(1) : getNamedType(field.type).name;
    const direct = ids.get(wanted) ?? [...ids.keys()].filter((t) => t.endsWith(wanted)).map((t) => ids.get(t))[0];
    if (direct) return direct;
    const inName = [...ids.keys()].filter((t) => field.name.toLowerCase().includes(t.toLowerCase())).sort((a, b) => b.length - a.length)[0];
    return inName ? ids.get(inName)! : fallbackId;
  }

  /** A syntactically valid value for a required input, and the hostile targets found inside it. */
  function sampleValue(
    field: GraphQLField<unknown, unknown>,
    name: string,
    type: GraphQLInputType,
    path: string[],
    targets: Target[],
  ): unknown {
    if (isNonNullType(type)) return sampleValue(field, name, type.ofType, path, targets);
    if (isListType(type)) return [sampleValue(field, name, type.ofType, [...path, '0'], targets)];
    if (isEnumType(type)) return type.getValues()[0]!.value;
    if (isInputObjectType(type)) {
      const object: Record<string, unknown> = {};
      for (const f of Object.values(type.getFields()) as GraphQLInputField[]) {
        const value = sampleValue(field, f.name, f.type, [...path, f.name], targets);
        if (carried(f.type)) object[f.name] = value;
      }
      return object;
    }
    if (!isScalarType(type)) throw new Error(`unexpected input type ${String(type)}`);
    switch (type.name) {
      case 'String':
        targets.push({ path, kind: 'text' });
        return plausibleText(name);
      case 'ID':
        targets.push({ path, kind: 'id' });
        return idFor(field, name);
      case 'Date':
        targets.push({ path, kind: 'date' });
        return plausibleDate(name);
      case 'DateTime':
        targets.push({ path, kind: 'datetime' });
        return `${plausibleDate(name)}T08:00:00.000Z`;
      case 'Int':
        return /year/i.test(name) ? 2024 : 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'Decimal':
        return '1.00';
      case 'JSON':
        return {};
      case 'File':
        // JSON cannot carry a file: the upload itself is refused as BAD_USER_INPUT (test/data covers real uploads).
        return 'not-a-file';
      default:
        throw new Error(`the hostile-input test does not know the scalar ${type.name}: teach it a plausible value`);
    }
  }

  /** Sets the value at `path` in the variables, creating the enclosing objects an optional field needs. */
  function withValue(variables: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
    const copy = structuredClone(variables);
    let node: Record<string, unknown> = copy;
    for (const key of path.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
    return copy;
  }

  it('answers every hostile value with a typed error or a clean success, never a masked one', { timeout: 600_000 }, async () => {
    const mutation = schema.getMutationType()!;
    const cases: { label: string; query: string; variables: Record<string, unknown> }[] = [];
    let argumentCount = 0;
    for (const field of Object.values(mutation.getFields())) {
      const args = field.args as readonly GraphQLArgument[];
      /** Fresh plausible values (a new code, a new national ID) for every request, so requests do not collide. */
      const plausible = (targets: Target[] = []) => {
        const values: Record<string, unknown> = {};
        for (const arg of args) {
          const value = sampleValue(field, arg.name, arg.type, [arg.name], targets);
          if (carried(arg.type)) values[arg.name] = value;
        }
        return values;
      };
      const targets: Target[] = [];
      plausible(targets);
      argumentCount += targets.length;
      const signature = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const named = getNamedType(field.type);
      const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
      const query = `mutation${signature ? `(${signature})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`;
      for (const target of targets) {
        const values =
          target.kind === 'date'
            ? HOSTILE_DATE
            : target.kind === 'datetime'
              ? HOSTILE_DATETIME
              : target.kind === 'id'
                ? HOSTILE_ID
                : HOSTILE_TEXT;
        for (const [what, value] of Object.entries(values)) {
          cases.push({
            label: `${field.name}(${target.path.join('.')}) with ${what}`,
            query,
            variables: withValue(plausible(), target.path, value),
          });
        }
      }
    }
    const failures: string[] = [];
    const answered: GqlResult[] = [];
    // A few requests at a time against the one server: fast, and still one transaction per mutation.
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < cases.length) {
          const c = cases[next++]!;
          const result = await server.gql(c.query, c.variables, token);
          answered.push(result);
          const masked = (result.errors ?? []).filter(
            (e) => !e.extensions?.code || e.message === 'Unexpected error.' || e.extensions.code === 'INTERNAL_SERVER_ERROR',
          );
          if (masked.length > 0) failures.push(`${c.label}: ${masked.map((e) => e.message).join('; ')}`);
          else if (!result.errors && !result.data) failures.push(`${c.label}: neither data nor errors`);
        }
      }),
    );
    console.info(
      `hostile input: ${Object.keys(mutation.getFields()).length} mutations, ${argumentCount} text/ID/date arguments, ${cases.length} requests`,
    );
    expect(failures, failures.join('\n')).toEqual([]);
    expect(errorLog.filter((line) => line.startsWith('audit:'))).toEqual([]);
    expect(answered.length).toBe(cases.length);
  });
});
