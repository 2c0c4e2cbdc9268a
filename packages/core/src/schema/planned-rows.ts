/**
 * What Pothos plans for a row a field returns: a `t.prismaField` or `t.prismaConnection` resolver is
 * handed it as `query`. Loading with it gives the row every column and relation its selected fields
 * read, so none of them reloads the row on its own.
 */
export interface PlannedQuery<Select = Record<string, unknown>, Include = Record<string, unknown>> {
  select?: Select;
  include?: Include;
}

/** Reads rows by id with a planned selection, in any order. */
export type FindByIds<Row, Q extends PlannedQuery<object, object> = PlannedQuery> = (ids: string[], planned: Q) => Promise<Row[]>;

/**
 * The rows of these ids read with the planned selection, keyed by id. Rows are matched back by id, so a
 * `select` gets `id` whatever the client selected.
 */
export async function plannedRowsById<Row extends { id: string }, Q extends PlannedQuery<object, object>>(
  ids: readonly string[],
  query: Q,
  find: FindByIds<Row, Q>,
): Promise<Map<string, Row>> {
  if (ids.length === 0) return new Map();
  const planned = (query.select ? { select: { ...query.select, id: true } } : query) as Q;
  const rows = await find([...ids], planned);
  return new Map(rows.map((r) => [r.id, r]));
}
