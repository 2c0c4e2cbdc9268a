// Per-request loaders of dues data: every member field of a page shares one batch.

import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';
import { type DuesSettings, DEFAULT_DUES_SETTINGS, loadDuesData } from './data.ts';
import type { MemberDuesData } from './statement.ts';

/** The dues data of a member, batched over the request (four statements for a whole page). */
export function duesDataLoader(ctx: Context) {
  return requestLoader<string, MemberDuesData>(ctx, 'dues.data', async (ids) => {
    const map = await loadDuesData(ctx.db, ids);
    return ids.map((id) => map.get(id) ?? { joinedAt: new Date(0), bases: [], reductions: [], payments: [] });
  });
}

/** A department's dues settings, batched over the request. */
export function duesSettingsLoader(ctx: Context) {
  return requestLoader<string, DuesSettings>(ctx, 'dues.settings', async (ids) => {
    const rows = await ctx.db.duesSetting.findMany({ where: { organizationId: { in: [...ids] } } });
    const byId = new Map(rows.map((r) => [r.organizationId, { dueDay: r.dueDay, retainPercent: r.retainPercent }]));
    return ids.map((id) => byId.get(id) ?? DEFAULT_DUES_SETTINGS);
  });
}

/**
 * The settled months of a member among the last `MAX_WINDOW` months, batched over the request (one
 * statement for a page): enough for `unpaidMonths`, which only asks whether a due month is settled.
 */
export function settledMonthsLoader(ctx: Context, since: Date) {
  return requestLoader<string, Set<number>>(ctx, `dues.settled.${since.getTime()}`, async (ids) => {
    const rows = await ctx.db.duesMonthState.findMany({
      where: { memberId: { in: [...ids] }, settled: true, month: { gte: since } },
      select: { memberId: true, month: true },
    });
    const byMember = new Map<string, Set<number>>();
    for (const row of rows) {
      let set = byMember.get(row.memberId);
      if (!set) byMember.set(row.memberId, (set = new Set()));
      set.add(row.month.getTime());
    }
    return ids.map((id) => byMember.get(id) ?? new Set<number>());
  });
}
