/**
 * What the peer servers share: the GraphQL schema subset the benchmark queries use (same names and
 * shapes as ours, so one query text serves every contender but PostGraphile), the SQL behind it,
 * written by hand against the tables Prisma created, and resolver sets with and without DataLoader.
 */
import { createRequire } from 'node:module';
import DataLoader from 'dataloader';
import pg from 'pg';

const require = createRequire(import.meta.url);
/** The graphql module every package in this process must share (one "realm"). */
export const graphqlPath = require.resolve('graphql');

export const typeDefs = /* GraphQL */ `
  enum OrganizationKind { WORKING_COMMITTEE COMMITTEE GENERAL_BRANCH BRANCH TEMPORARY_BRANCH GROUP }
  enum CadrePost { SECRETARY DEPUTY_SECRETARY FULL_TIME_DEPUTY_SECRETARY ORGANIZATION_MEMBER PROPAGANDA_MEMBER DISCIPLINE_MEMBER COMMITTEE_MEMBER }
  input OrganizationFilter { kind: [OrganizationKind!] under: ID overdueTerm: Boolean }
  input MemberFilter { under: ID inArrears: Boolean arrearsMonths: Int = 3 }
  input UpdateOrganizationInput { name: String agency: String }
  type Cadre { post: CadrePost! fullTime: Boolean! }
  type Member { id: ID! name: String! cadrePosts: [Cadre!]! }
  type MemberEdge { node: Member! }
  type MemberConnection { edges: [MemberEdge!]! totalCount: Int! }
  type Organization {
    id: ID!
    name: String!
    kind: OrganizationKind!
    code: String!
    children: [Organization!]!
    members(first: Int): MemberConnection!
    subtreeMemberCount: Int!
  }
  type OrganizationEdge { node: Organization! }
  type OrganizationConnection { edges: [OrganizationEdge!]! totalCount: Int! }
  type Activity { id: ID! kind: String! summary: String! }
  type Query {
    organization(id: ID!): Organization
    organizations(first: Int, filter: OrganizationFilter): OrganizationConnection!
    members(first: Int, filter: MemberFilter): MemberConnection!
  }
  type Mutation { updateOrganization(id: ID!, input: UpdateOrganizationInput!): Organization! }
  type Subscription { activityAdded(under: ID): Activity! }
`;

export interface OrgRow {
  id: string;
  name: string;
  kind: string;
  code: string;
  path: string;
  parentId: string | null;
}
interface MemberRow {
  id: string;
  name: string;
  organizationId: string;
}
interface CadreRow {
  memberId: string;
  post: string;
  fullTime: boolean;
}

export function createPool(): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required');
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  pool.on('error', () => {});
  return pool;
}

/** Relay global IDs as Pothos writes them: base64 of `Type:id`. */
export function decodeGlobalId(type: string, globalId: string): string {
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  if (!decoded.startsWith(`${type}:`)) throw new Error(`not a ${type} ID`);
  return decoded.slice(type.length + 1);
}
export const encodeGlobalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

const ORG_COLUMNS = `id, name, kind::text AS kind, code, path, "parentId"`;
const today = () => new Date().toISOString().slice(0, 10);
const monthStart = (offset: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
};

function group<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** The per-request data access a resolver set needs. */
export interface Loaders {
  orgById(id: string): Promise<OrgRow | null>;
  children(org: OrgRow): Promise<OrgRow[]>;
  members(org: OrgRow, first: number): Promise<MemberRow[]>;
  cadres(member: MemberRow): Promise<CadreRow[]>;
  subtreeMemberCount(org: OrgRow): Promise<number>;
}

const SQL = {
  orgById: `SELECT ${ORG_COLUMNS} FROM "Organization" WHERE id = $1`,
  children: `SELECT ${ORG_COLUMNS} FROM "Organization" WHERE "parentId" = ANY($1::text[]) ORDER BY code`,
  members: `SELECT id, name, "organizationId" FROM (
      SELECT id, name, "organizationId", row_number() OVER (PARTITION BY "organizationId" ORDER BY name, id) AS rn
        FROM "Member" WHERE "organizationId" = ANY($1::text[])) t
     WHERE rn <= $2 ORDER BY "organizationId", rn`,
  cadres: `SELECT "memberId", post::text AS post, "fullTime" FROM "Cadre" WHERE "memberId" = ANY($1::text[])
     ORDER BY "endDate" DESC NULLS FIRST, "startDate" DESC`,
  subtreeMemberCount: `SELECT p.path, count(m.id)::int AS n FROM unnest($1::text[]) AS p(path)
       LEFT JOIN "Organization" o ON o.path LIKE p.path || '%'
       LEFT JOIN "Member" m ON m."organizationId" = o.id GROUP BY p.path`,
};

/** Batched: one statement per level of the query, whatever the number of rows. */
export function dataLoaders(pool: pg.Pool): Loaders {
  const byId = new DataLoader<string, OrgRow | null>(async (ids) => {
    const { rows } = await pool.query<OrgRow>(`SELECT ${ORG_COLUMNS} FROM "Organization" WHERE id = ANY($1::text[])`, [ids]);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
  const children = new DataLoader<string, OrgRow[]>(async (ids) =>
    group(ids, (await pool.query<OrgRow>(SQL.children, [ids])).rows, (r) => r.parentId!),
  );
  const members = new Map<number, DataLoader<string, MemberRow[]>>();
  const membersFirst = (first: number) => {
    let loader = members.get(first);
    if (!loader) {
      loader = new DataLoader(async (ids) =>
        group(ids, (await pool.query<MemberRow>(SQL.members, [ids, first])).rows, (r) => r.organizationId),
      );
      members.set(first, loader);
    }
    return loader;
  };
  const cadres = new DataLoader<string, CadreRow[]>(async (ids) =>
    group(ids, (await pool.query<CadreRow>(SQL.cadres, [ids])).rows, (r) => r.memberId),
  );
  const counts = new DataLoader<string, number>(async (paths) => {
    const { rows } = await pool.query<{ path: string; n: number }>(SQL.subtreeMemberCount, [paths]);
    const map = new Map(rows.map((r) => [r.path, r.n]));
    return paths.map((p) => map.get(p) ?? 0);
  });
  return {
    orgById: (id) => byId.load(id),
    children: (org) => children.load(org.id),
    members: (org, first) => membersFirst(first).load(org.id),
    cadres: (member) => cadres.load(member.id),
    subtreeMemberCount: (org) => counts.load(org.path),
  };
}

/** Naive: one statement per parent row (the N+1 pattern). */
export function naiveLoaders(pool: pg.Pool): Loaders {
  return {
    orgById: async (id) => (await pool.query<OrgRow>(SQL.orgById, [id])).rows[0] ?? null,
    children: async (org) =>
      (await pool.query<OrgRow>(`SELECT ${ORG_COLUMNS} FROM "Organization" WHERE "parentId" = $1 ORDER BY code`, [org.id])).rows,
    members: async (org, first) =>
      (
        await pool.query<MemberRow>(
          `SELECT id, name, "organizationId" FROM "Member" WHERE "organizationId" = $1 ORDER BY name, id LIMIT $2`,
          [org.id, first],
        )
      ).rows,
    cadres: async (member) =>
      (
        await pool.query<CadreRow>(
          `SELECT "memberId", post::text AS post, "fullTime" FROM "Cadre" WHERE "memberId" = $1 ORDER BY "endDate" DESC NULLS FIRST, "startDate" DESC`,
          [member.id],
        )
      ).rows,
    subtreeMemberCount: async (org) => (await pool.query<{ n: number }>(SQL.subtreeMemberCount, [[org.path]])).rows[0]?.n ?? 0,
  };
}

/** The resolver-side context every peer builds per request. */
export interface PeerContext {
  loaders: Loaders;
}

/** A tiny in-process pub/sub for the subscription peers. */
export function createPubSub<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    publish(value: T) {
      for (const l of listeners) l(value);
    },
    subscribe(): AsyncIterableIterator<T> {
      const queue: T[] = [];
      let wake: (() => void) | null = null;
      let done = false;
      const listener = (value: T) => {
        queue.push(value);
        wake?.();
      };
      listeners.add(listener);
      const iterator: AsyncIterableIterator<T> = {
        async next() {
          while (!done && queue.length === 0) await new Promise<void>((r) => (wake = r));
          wake = null;
          if (done) return { done: true, value: undefined };
          return { done: false, value: queue.shift()! };
        },
        async return() {
          done = true;
          listeners.delete(listener);
          wake?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  };
}

export interface ActivityEvent {
  id: string;
  kind: string;
  summary: string;
  path: string;
}

/**
 * Resolvers over a set of loaders. Scalar fields of rows resolve by default. `loadersFor` builds the
 * per-request loaders; subscriptions receive the published activity as is.
 */
export function resolvers(pool: pg.Pool, pubsub?: ReturnType<typeof createPubSub<ActivityEvent>>) {
  const pathOf = async (ctx: PeerContext, under: string | null | undefined): Promise<string> => {
    if (!under) return '/';
    const org = await ctx.loaders.orgById(decodeGlobalId('Organization', under));
    if (!org) throw new Error('organization not found');
    return org.path;
  };
  return {
    Query: {
      organization: (_: unknown, args: { id: string }, ctx: PeerContext) => ctx.loaders.orgById(decodeGlobalId('Organization', args.id)),
      organizations: async (
        _: unknown,
        args: { first?: number | null; filter?: { kind?: string[] | null; under?: string | null; overdueTerm?: boolean | null } | null },
        ctx: PeerContext,
      ) => {
        const f = args.filter ?? {};
        const path = await pathOf(ctx, f.under);
        const where = [`path LIKE $1 || '%'`];
        const params: unknown[] = [path];
        if (f.kind?.length) {
          params.push(f.kind);
          where.push(`kind::text = ANY($${params.length}::text[])`);
        }
        if (f.overdueTerm) {
          params.push(today());
          where.push(`"termEnd" < $${params.length}::date`);
        }
        const first = Math.min(args.first ?? 20, 100);
        return {
          edges: async () => {
            const { rows } = await pool.query<OrgRow>(
              `SELECT ${ORG_COLUMNS} FROM "Organization" WHERE ${where.join(' AND ')} ORDER BY depth, code LIMIT ${first}`,
              params,
            );
            return rows.map((node) => ({ node }));
          },
          totalCount: async () =>
            (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Organization" WHERE ${where.join(' AND ')}`, params)).rows[0]!
              .n,
        };
      },
      members: async (
        _: unknown,
        args: {
          first?: number | null;
          filter?: { under?: string | null; inArrears?: boolean | null; arrearsMonths?: number | null } | null;
        },
        ctx: PeerContext,
      ) => {
        const f = args.filter ?? {};
        const path = await pathOf(ctx, f.under);
        const params: unknown[] = [path];
        let arrears = '';
        if (f.inArrears !== null && f.inArrears !== undefined) {
          const months = f.arrearsMonths ?? 3;
          // The window is the last `months` due months: with the default due date (the month's end) the
          // current month is not owed yet, so it ends with last month — as ours does (issue 25).
          const unpaid = Array.from({ length: months }, (_, i) => {
            params.push(monthStart(i - months), monthStart(i - months + 1));
            const month = `$${params.length - 1}::date`;
            return `(m."joinedAt" < $${params.length}::date AND NOT EXISTS (SELECT 1 FROM "DuesPayment" d WHERE d."memberId" = m.id AND d.month = ${month}))`;
          });
          arrears = ` AND ${f.inArrears ? '' : 'NOT '}(${unpaid.join(' OR ')})`;
        }
        const from = `FROM "Member" m JOIN "Organization" o ON o.id = m."organizationId" WHERE o.path LIKE $1 || '%'${arrears}`;
        const first = Math.min(args.first ?? 20, 100);
        return {
          edges: async () =>
            (
              await pool.query<MemberRow>(`SELECT m.id, m.name, m."organizationId" ${from} ORDER BY m.name, m.id LIMIT ${first}`, params)
            ).rows.map((node) => ({ node })),
          totalCount: async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params)).rows[0]!.n,
        };
      },
    },
    Mutation: {
      updateOrganization: async (_: unknown, args: { id: string; input: { name?: string | null; agency?: string | null } }) => {
        const id = decodeGlobalId('Organization', args.id);
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const { rows } = await client.query<OrgRow>(
            `UPDATE "Organization" SET name = COALESCE($2, name), agency = COALESCE($3, agency), "updatedAt" = now() WHERE id = $1 RETURNING ${ORG_COLUMNS}`,
            [id, args.input.name ?? null, args.input.agency ?? null],
          );
          const org = rows[0];
          if (!org) throw new Error('organization not found');
          const activity = await client.query<{ id: string }>(
            `INSERT INTO "Activity" (id, kind, "organizationId", path, summary) VALUES (gen_random_uuid()::text, 'organization.updated', $1, $2, $3) RETURNING id`,
            [org.id, org.path, `修改党组织 ${org.name}`],
          );
          await client.query('COMMIT');
          pubsub?.publish({ id: activity.rows[0]!.id, kind: 'organization.updated', summary: `修改党组织 ${org.name}`, path: org.path });
          return org;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      },
    },
    Subscription: {
      activityAdded: {
        subscribe: async function* (_: unknown, args: { under?: string | null }, ctx: PeerContext) {
          if (!pubsub) throw new Error('no subscriptions here');
          const path = await pathOf(ctx, args.under);
          for await (const event of pubsub.subscribe()) if (event.path.startsWith(path)) yield { activityAdded: event };
        },
      },
    },
    Organization: {
      id: (org: OrgRow) => encodeGlobalId('Organization', org.id),
      children: (org: OrgRow, _: unknown, ctx: PeerContext) => ctx.loaders.children(org),
      members: (org: OrgRow, args: { first?: number | null }, ctx: PeerContext) => ({
        edges: async () => (await ctx.loaders.members(org, Math.min(args.first ?? 20, 100))).map((node) => ({ node })),
        totalCount: async () =>
          (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Member" WHERE "organizationId" = $1`, [org.id])).rows[0]!.n,
      }),
      subtreeMemberCount: (org: OrgRow, _: unknown, ctx: PeerContext) => ctx.loaders.subtreeMemberCount(org),
    },
    Member: {
      id: (m: MemberRow) => encodeGlobalId('Member', m.id),
      cadrePosts: (m: MemberRow, _: unknown, ctx: PeerContext) => ctx.loaders.cadres(m),
    },
  };
}

/** Prints the line the benchmark runner waits for. */
export function ready(name: string, url: string): void {
  console.log(`peer ${name}: ready at ${url}`);
}
