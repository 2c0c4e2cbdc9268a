import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';
import { plannedRowsById, type FindByIds } from './planned-rows.ts';

/**
 * A to-many relation paged per parent in SQL. Prisma pages a nested relation in memory: for
 * `children { members(first: 10) }` it reads every member of every child and slices afterwards (a
 * nested read of 588 branches read 8,553 members to show 5,880). This reads, for all parents of a
 * request at once, only the ids of each parent's page (one LATERAL ... LIMIT per parent over the
 * (foreign key, order) index), then the rows of those ids with the selection Pothos planned.
 */
export interface RelatedPageSpec {
  /** Table of the related rows, as in the database. */
  table: string;
  /** Column pointing at the parent. */
  foreignKey: string;
  /** Ascending sort columns, none nullable, ending with the unique `id` (the cursor column). */
  orderBy: readonly string[];
  /** A further SQL condition on the related rows (alias `t`), written by the code, never from input. */
  where?: string;
}

/** What `t.prismaConnection` hands its resolver: the planned selection and Prisma's page arguments. */
export interface PageQuery {
  take: number;
  skip: number;
  cursor?: { id?: string };
  select?: Record<string, unknown>;
  include?: Record<string, unknown>;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The statement giving each parent's page of ids, parents in `$1`, page size in `$2`, cursor id in `$3`. */
export function pageIdsSql(spec: RelatedPageSpec, backward: boolean, withCursor: boolean): string {
  const columns = spec.orderBy.map((c) => `t.${quote(c)}`).join(', ');
  const cursorColumns = spec.orderBy.map((c) => `c.${quote(c)}`).join(', ');
  const direction = backward ? 'DESC' : 'ASC';
  const after = withCursor
    ? `AND (${columns}) ${backward ? '<' : '>'} (SELECT ${cursorColumns} FROM ${quote(spec.table)} c WHERE c."id" = $3)`
    : '';
  const order = spec.orderBy.map((c) => `t.${quote(c)} ${direction}`).join(', ');
  return `SELECT p.parent, r.id
    FROM unnest($1::text[]) WITH ORDINALITY AS p(parent, n)
    CROSS JOIN LATERAL (
      SELECT t."id" AS id, row_number() OVER (ORDER BY ${order}) AS n FROM ${quote(spec.table)} t
       WHERE t.${quote(spec.foreignKey)} = p.parent ${spec.where ? `AND ${spec.where} ` : ''}${after}
       ORDER BY ${order}
       LIMIT $2
    ) r
    ORDER BY p.n, r.n`;
}

/**
 * The page of `parentId`'s related rows that `query` asks for, in the relation's order (a backward page
 * too: Pothos slices the extra row off either end). Every parent resolved with the same query in this
 * request shares the two statements.
 */
export function relatedPage<Row extends { id: string }>(
  ctx: Context,
  name: string,
  spec: RelatedPageSpec,
  query: PageQuery,
  parentId: string,
  findByIds: FindByIds<Row>,
): Promise<Row[]> {
  const { take, skip: _skip, cursor, ...selection } = query;
  return requestLoader<string, Row[]>(ctx, `relatedPage:${name}:${JSON.stringify(query)}`, async (parents) => {
    const backward = take < 0;
    const params: unknown[] = [[...parents], Math.abs(take)];
    if (cursor) params.push(String(cursor.id));
    const pairs =
      Math.abs(take) === 0
        ? []
        : await ctx.db.$queryRawUnsafe<{ parent: string; id: string }[]>(pageIdsSql(spec, backward, cursor !== undefined), ...params);
    const byId = await plannedRowsById([...new Set(pairs.map((p) => p.id))], selection, findByIds);
    const pages = new Map<string, Row[]>(parents.map((p) => [p, []]));
    for (const { parent, id } of pairs) {
      const row = byId.get(id);
      if (row) pages.get(parent)!.push(row);
    }
    return parents.map((p) => (backward ? pages.get(p)!.reverse() : pages.get(p)!));
  }).load(parentId);
}
