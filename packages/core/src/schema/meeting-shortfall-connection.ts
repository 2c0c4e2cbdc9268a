import type { MeetingKind } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { MAX_PAGE_SIZE } from '../builder.ts';
import { InputError } from '../errors/errors.ts';
import { CADENCE } from './meeting-cadence.ts';
import { queryShortfalls, type ShortfallKey } from './meeting-shortfall-sql.ts';
import { shortfallPeriod, withOrganizations, type MeetingShortfallRef, type Row } from './meeting-shortfalls.ts';
import type { MeetingKindRef } from './meeting.ts';

/** Page size when `first` is not given. */
const DEFAULT_PAGE_SIZE = 20;

/** Shortfalls of one kind in the whole period and subtree. */
interface KindCount {
  kind: MeetingKind;
  count: number;
}

/** What the connection's own fields read besides edges and pageInfo. */
interface ShortfallConnection {
  totalCount: number;
  countsByKind: KindCount[];
}

/** A cursor's raw text (sealed by the sealed-cursors plugin before it leaves): `<kind position>:<branch code>`. */
const cursorOf = (key: ShortfallKey): string => `${key.ord}:${key.code}`;

function keyOf(cursor: string): ShortfallKey {
  const colon = cursor.indexOf(':');
  const ord = Number(cursor.slice(0, colon));
  if (colon < 1 || !Number.isInteger(ord) || ord < 1 || ord > CADENCE.length) throw new InputError('after', 'is not a cursor of this list');
  return { ord, code: cursor.slice(colon + 1) };
}

/** `meetingShortfallConnection`: the shortfalls of a subtree, paged in the database, with counts. */
export function registerMeetingShortfallConnection(builder: Builder, refs: { Kind: MeetingKindRef; Shortfall: MeetingShortfallRef }) {
  const KindCountRef = builder.objectRef<KindCount>('MeetingShortfallKindCount').implement({
    description: '分类统计 — how many (branch, kind) shortfalls there are of one kind of meeting',
    fields: (t) => ({
      kind: t.field({ type: refs.Kind, description: '类别 — the kind of meeting', resolve: (row) => row.kind }),
      count: t.exposeInt('count', { description: '未达标数 — branches short of this kind in the period' }),
    }),
  });

  builder.queryField('meetingShortfallConnection', (t) =>
    t.connection(
      {
        type: refs.Shortfall,
        description:
          '三会一课未达标（分页） — branches in your subtree short of the required cadence in a period, one row per ' +
          '(branch, kind), branches by code and kinds in the order 支部党员大会, 支部委员会, 党小组会, 党课, 主题党日; ' +
          'with the total and the counts per kind. Rules as for `meetingShortfalls`. Forward paging only (`first`/`after`).',
        authScopes: { authenticated: true },
        args: {
          under: t.arg.id({
            required: false,
            description: '党组织 — check branches in this organization and below it (default: your own)',
          }),
          from: t.arg({ type: 'Date', required: true, description: '起始日期 — first day of the period' }),
          to: t.arg({ type: 'Date', required: true, description: '截止日期 — last day of the period; days after today are not counted' }),
        },
        resolve: async (_root, args, ctx, info) => {
          if (args.last != null || args.before != null)
            throw new InputError(args.last != null ? 'last' : 'before', 'only forward paging (first/after) is supported');
          const first = args.first ?? DEFAULT_PAGE_SIZE;
          if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE)
            throw new InputError('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
          const after = args.after ? keyOf(args.after) : null;
          const period = await shortfallPeriod(ctx, args);
          // One row more than the page tells whether another page follows.
          const { rows, counts } = period
            ? await queryShortfalls(ctx, { ...period, after, limit: first + 1 })
            : { rows: [], counts: new Map<MeetingKind, number>() };
          const page = rows.slice(0, first);
          const nodes: Row[] = await withOrganizations(ctx, page, info, ['edges', 'node', 'organization']);
          const countsByKind = CADENCE.map(([kind]) => ({ kind, count: counts.get(kind) ?? 0 }));
          const connection: ShortfallConnection = { totalCount: countsByKind.reduce((n, c) => n + c.count, 0), countsByKind };
          return {
            ...connection,
            edges: nodes.map((node, i) => ({ cursor: cursorOf(page[i]!.key), node })),
            pageInfo: {
              hasNextPage: rows.length > first,
              hasPreviousPage: after !== null,
              startCursor: page.length ? cursorOf(page[0]!.key) : null,
              endCursor: page.length ? cursorOf(page[page.length - 1]!.key) : null,
            },
          };
        },
      },
      {
        name: 'MeetingShortfallConnection',
        description: '三会一课未达标分页 — a page of meeting shortfalls, with the total and the counts per kind',
        fields: (t) => ({
          totalCount: t.int({
            description: '未达标总数 — (branch, kind) shortfalls in the whole period and subtree, not just this page',
            resolve: (c) => (c as unknown as ShortfallConnection).totalCount,
          }),
          countsByKind: t.field({
            type: [KindCountRef],
            description: '分类统计 — shortfalls per kind of meeting with a cadence, in cadence order, zeros included',
            resolve: (c) => (c as unknown as ShortfallConnection).countsByKind,
          }),
        }),
      },
      { name: 'MeetingShortfallEdge', description: '三会一课未达标 — one shortfall with its cursor' },
    ),
  );
}
