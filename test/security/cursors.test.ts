import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@dangjian/core';
import { startTestServer, type GqlResult, type TestServer, globalId } from '@dangjian/testing';

/**
 * Forged pagination cursors (#20): every connection of the full schema — root and nested, core and plugins,
 * found by walking the schema so that a list added later is covered without a test of its own — must answer
 * a cursor around another department's row exactly as it answers a random one, and honour the cursors it
 * handed out itself.
 */

const ROLES: Role[] = ['ADMIN', 'SECRETARY', 'DISCIPLINE', 'AUDITOR'];
const SELECTION = '{ edges { cursor } pageInfo { startCursor endCursor } }';

interface Connection {
  coordinate: string;
  /** Builds the operation reaching the connection; `$first $last $after $before` are its page arguments. */
  query: string;
  /** Variables the route needs besides the page arguments (a parent's global ID). */
  variables: Record<string, unknown>;
}

interface Page {
  edges: { cursor: string }[];
  pageInfo: { startCursor: string | null; endCursor: string | null };
}

/** ID arguments whose type is not their name without `Id`. */
const ID_ARG_TYPES: Readonly<Record<string, string>> = { schemeId: 'AssessmentScheme' };
/** Arguments that take a plain value rather than a global ID: one that exists, so the list has rows to page. */
const KNOWN_ARGS: Readonly<Record<string, string>> = { indicatorId: JSON.stringify('core.meetings.themeDay') };
/** Required dates: a period of the last year, wherever it is asked for (`from` before `to`). */
const DATE_ARGS: Readonly<Record<string, () => string>> = {
  from: () => JSON.stringify(new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10)),
  to: () => JSON.stringify(new Date().toISOString().slice(0, 10)),
};

/** A value for a required argument the walker cannot know: syntactically valid, pointing nowhere. */
function placeholder(field: GraphQLField<unknown, unknown>): string {
  const parts: string[] = [];
  for (const arg of field.args) {
    if (!isNonNullType(arg.type) || arg.defaultValue !== undefined) continue;
    const name = getNamedType(arg.type).name;
    // An ID argument named `clueId` takes a Clue's global ID: one that exists nowhere. A few names are short
    // for a longer type (`schemeId` of an AssessmentScheme).
    const typename = ID_ARG_TYPES[arg.name] ?? arg.name.replace(/Id$/, '').replace(/^./, (c) => c.toUpperCase());
    const named = getNamedType(arg.type);
    const scalar = isEnumType(named)
      ? named.getValues()[0]!.name // an enum: its first value (e.g. the OUTGOING side of transferLetters)
      : name === 'Date'
        ? DATE_ARGS[arg.name]?.()
        : name === 'Int'
          ? '30'
          : name === 'Boolean'
            ? 'false'
            : name === 'ID' || name === 'String'
              ? JSON.stringify(globalId(typename, randomUUID()))
              : undefined;
    const value = KNOWN_ARGS[arg.name] ?? scalar ?? null;
    if (value === null)
      throw new Error(`cursor walker: no placeholder for required argument ${field.name}(${arg.name}: ${String(arg.type)})`);
    parts.push(`${arg.name}: ${value}`);
  }
  return parts.join(', ');
}

const PAGE_ARGS = 'first: $first, last: $last, after: $after, before: $before';
const PAGE_VARS = '$first: Int, $last: Int, $after: String, $before: String';

function isConnection(field: GraphQLField<unknown, unknown>): boolean {
  const names = new Set(field.args.map((a) => a.name));
  return ['first', 'last', 'after', 'before'].every((n) => names.has(n));
}

function connectionCall(field: GraphQLField<unknown, unknown>): string {
  const extra = placeholder(field);
  return `${field.name}(${PAGE_ARGS}${extra ? `, ${extra}` : ''}) ${SELECTION}`;
}

/**
 * A route from the root to a type: `node(id:)` for Node types (the parent found by the caller), or a chain
 * of fields without required arguments for the others (e.g. talentPipeline → columns).
 */
function routeTo(schema: GraphQLSchema, target: GraphQLObjectType): string[] | null {
  const query = schema.getQueryType()!;
  const queue: { type: GraphQLObjectType; path: string[] }[] = [{ type: query, path: [] }];
  const seen = new Set<string>([query.name]);
  while (queue.length) {
    const { type, path } = queue.shift()!;
    if (path.length > 3) continue;
    for (const field of Object.values(type.getFields())) {
      if (isConnection(field) || field.args.some((a) => isNonNullType(a.type))) continue;
      const next = getNamedType(field.type);
      if (!isObjectType(next) || seen.has(next.name)) continue;
      if (next === target) return [...path, field.name];
      seen.add(next.name);
      queue.push({ type: next, path: [...path, field.name] });
    }
  }
  return null;
}

/** Every connection field of the schema with the operation that reaches it. */
function connectionsOf(schema: GraphQLSchema, nodeIds: Map<string, string[]>): { found: Connection[]; unreachable: string[] } {
  const found: Connection[] = [];
  const unreachable: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType() || type === schema.getSubscriptionType())
      continue;
    for (const field of Object.values(type.getFields())) {
      if (!isConnection(field)) continue;
      const coordinate = `${type.name}.${field.name}`;
      const call = connectionCall(field);
      if (type === schema.getQueryType()) {
        found.push({ coordinate, query: `query (${PAGE_VARS}) { ${call} }`, variables: {} });
      } else if (type.getInterfaces().some((i) => i.name === 'Node')) {
        const ids = nodeIds.get(type.name);
        if (ids)
          found.push({
            coordinate,
            query: `query ($ids: [ID!]!, ${PAGE_VARS}) { nodes(ids: $ids) { ... on ${type.name} { ${call} } } }`,
            variables: { ids },
          });
        else unreachable.push(coordinate);
      } else {
        const route = routeTo(schema, type);
        if (!route) unreachable.push(coordinate);
        else
          found.push({
            coordinate,
            query: `query (${PAGE_VARS}) { ${route.map((f) => `${f} {`).join(' ')} ${call} ${'}'.repeat(route.length)} }`,
            variables: {},
          });
      }
    }
  }
  return { found, unreachable };
}

/** Every connection object in a response (a route through a list reaches several). */
function pagesIn(value: unknown): Page[] {
  if (Array.isArray(value)) return value.flatMap(pagesIn);
  if (value === null || typeof value !== 'object') return [];
  if ('edges' in value && 'pageInfo' in value) return [value as Page];
  return Object.values(value).flatMap(pagesIn);
}

/** The raw Pothos cursor (base64 of `GPC:S:<id>`) an attacker builds around a row id. */
function handMadeCursor(id: string): string {
  return Buffer.from(`GPC:S:${id}`).toString('base64');
}

/** The Pothos cursor inside one of ours: what a client learns about the format by looking at it. */
function unsealed(cursor: string): string {
  return cursor.slice(0, cursor.lastIndexOf('~'));
}

describe('security: pagination cursors of every connection (#20)', () => {
  let server: TestServer;
  let viewer: string;
  let foreigner: string;
  /** Parents of the nested connections (several, so that each list has rows on one of them). */
  const nodeIds = new Map<string, string[]>();

  beforeAll(async () => {
    server = await startTestServer();
    viewer = await server.token('SZJGGW-MZJ', ROLES, 'mzj-admin');
    foreigner = await server.token('SZJGGW-KX', ROLES, 'kx-admin');
    const db = server.db.client;
    // A parent of each nested connection inside the viewer's department (and one in the foreign one, so its
    // rows exist to forge cursors around).
    const mzj = await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ' } });
    const member = await db.member.findFirstOrThrow({ where: { organization: { path: { startsWith: mzj.path } }, dues: { some: {} } } });
    const branch = await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-SHJZ' } });
    nodeIds.set('Organization', [globalId('Organization', mzj.id), globalId('Organization', branch.id)]);
    nodeIds.set('Member', [globalId('Member', member.id)]);
    // Two activities of the viewer's department and two of the foreign one, written as the feed writes them.
    for (const org of [mzj, await db.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-KX' } })]) {
      for (const n of [1, 2])
        await db.activity.create({
          data: { kind: 'organization.updated', organizationId: org.id, path: org.path, summary: `${org.name} 更新 ${n}` },
        });
    }
    for (const code of ['SZJGGW-MZJ', 'SZJGGW-KX']) {
      const org = await db.organization.findUniqueOrThrow({ where: { code } });
      const people = await db.member.findMany({
        where: { organization: { path: { startsWith: org.path } } },
        take: 3,
        orderBy: { id: 'asc' },
      });
      const team = await db.volunteerTeam.create({ data: { organizationId: org.id, name: `${code} 志愿服务队`, level: 'SQUAD' } });
      await db.volunteerTeamMember.createMany({
        data: people.map((p) => ({ teamId: team.id, memberId: p.id, joinedOn: new Date('2025-01-01') })),
      });
      if (code === 'SZJGGW-MZJ') nodeIds.set('VolunteerTeam', [globalId('VolunteerTeam', team.id)]);
    }
  });
  afterAll(() => server?.close());

  const page = (c: Connection, vars: Record<string, unknown>, token: string) =>
    server.gql(c.query, { ...c.variables, ...vars }, token) as Promise<GqlResult>;

  it('finds every connection of the schema and reaches each one', () => {
    const { found, unreachable } = connectionsOf(server.app.schema, nodeIds);
    // Unreachable means the walker has no parent object for a nested list: give it one above.
    expect(unreachable).toEqual([]);
    expect(found.length).toBeGreaterThanOrEqual(31);
  });

  it('answers a foreign, random, malformed, other-viewer or other-list cursor identically, and honours its own', async () => {
    const { found } = connectionsOf(server.app.schema, nodeIds);
    const members = found.find((c) => c.coordinate === 'Query.members')!;
    const organizations = found.find((c) => c.coordinate === 'Query.organizations')!;
    const own = pagesIn((await page(members, { first: 2 }, viewer)).data)[0]!;
    const ownOrganizations = pagesIn((await page(organizations, { first: 2 }, viewer)).data)[0]!;
    const honoured: string[] = [];
    for (const c of found) {
      const first = await page(c, { first: 2 }, viewer);
      // A placeholder parent (a required ID the walker cannot know) answers NOT_FOUND; nothing else may fail.
      expect(
        (first.errors ?? []).filter((e) => e.extensions?.code !== 'NOT_FOUND'),
        c.coordinate,
      ).toEqual([]);
      const pages = pagesIn(first.data);
      const index = Math.max(
        0,
        pages.findIndex((p) => p.edges.length === 2),
      );
      const mine = pages[index];
      const theirs = pagesIn((await page(c, { first: 2 }, foreigner)).data).find((p) => p.edges.length > 0);
      const foreignRow = theirs
        ? unsealed(theirs.edges[0]!.cursor)
        : handMadeCursor((await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-KX' } })).id);
      const otherList = c.coordinate === 'Query.members' ? ownOrganizations.edges[0]!.cursor : own.edges[0]!.cursor;
      for (const [direction, sizeArg] of [
        ['after', 'first'],
        ['before', 'last'],
      ] as const) {
        const ask = (cursor: string) => page(c, { [sizeArg]: 2, [direction]: cursor }, viewer);
        const random = await ask(handMadeCursor(randomUUID()));
        const label = `${c.coordinate}(${direction})`;
        expect(random.errors?.[0]?.extensions, label).toMatchObject({ code: 'BAD_USER_INPUT', field: direction });
        for (const [what, cursor] of [
          ['a hand-made cursor around a foreign row', foreignRow],
          ['a cursor another department was given', theirs?.edges[0]?.cursor],
          [
            'a hand-made cursor with our own seal moved onto it',
            // A list paged by position (Pothos' array connection: `arrayconnection:<offset>`) gives both
            // viewers the same raw cursor for the first row, and a position names no row: nothing to move.
            mine?.edges[0] && foreignRow !== unsealed(mine.edges[0].cursor)
              ? `${foreignRow}~${mine.edges[0].cursor.split('~').pop()}`
              : undefined,
          ],
          ['a cursor of another list', otherList],
          ['garbage', 'not-a-cursor'],
        ] as const) {
          if (cursor === undefined) continue;
          expect(await ask(cursor), `${label}: ${what}`).toEqual(random);
        }
      }
      if (mine && mine.edges.length === 2) {
        const next = await page(c, { first: 1, after: mine.edges[0]!.cursor }, viewer);
        expect(next.errors, c.coordinate).toBeUndefined();
        expect(
          pagesIn(next.data)[index]!.edges.map((e) => e.cursor),
          c.coordinate,
        ).toEqual([mine.edges[1]!.cursor]);
        const previous = await page(c, { last: 1, before: mine.edges[1]!.cursor }, viewer);
        expect(previous.errors, c.coordinate).toBeUndefined();
        expect(
          pagesIn(previous.data)[index]!.edges.map((e) => e.cursor),
          c.coordinate,
        ).toEqual([mine.edges[0]!.cursor]);
        honoured.push(c.coordinate);
      }
    }
    // The viewer's own cursors page forward and back on every list that has two rows for it: the core lists at least.
    expect(honoured).toEqual(
      expect.arrayContaining([
        'Query.members',
        'Query.meetings',
        'Query.organizations',
        'Query.cadres',
        'Query.activities',
        'Organization.members',
        'Organization.descendants',
        'Member.dues',
        'VolunteerTeam.members',
      ]),
    );
  });
});
