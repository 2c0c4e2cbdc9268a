import type { Context } from '../context.ts';
import { utcToday } from '../kit/dates.ts';
import { requestLoader } from '../loaders.ts';
import { computeCards, frozenCard, type Card } from './scorecard-compute.ts';

/**
 * Every card of a scheme, once per request however many fields ask: the frozen cards of a published
 * scheme, else the live cards computed from current data. Callers filter by what the viewer may see.
 * The scheme must already be known to be visible to the viewer.
 */
export function cardsOf(ctx: Context, schemeId: string): Promise<Card[]> {
  return requestLoader<string, Card[]>(ctx, 'assessment.cards', (ids) => Promise.all(ids.map((id) => loadCards(ctx, id)))).load(schemeId);
}

async function loadCards(ctx: Context, schemeId: string): Promise<Card[]> {
  const scheme = await ctx.db.assessmentScheme.findUniqueOrThrow({ where: { id: schemeId }, include: { items: true } });
  if (scheme.state === 'PUBLISHED') {
    const rows = await ctx.db.assessmentScorecard.findMany({
      where: { schemeId },
      include: { organization: { select: { path: true, parentId: true, kind: true } } },
      orderBy: [{ rank: 'asc' }, { organization: { path: 'asc' } }],
    });
    const siblings = new Map<string | null, number>();
    for (const row of rows) siblings.set(row.organization.parentId, (siblings.get(row.organization.parentId) ?? 0) + 1);
    return rows.map((row) => frozenCard(row, scheme.year, rows.length, siblings.get(row.organization.parentId) ?? 0));
  }
  const enabledPlugins = await ctx.plugins.enabledFor(scheme.organizationId);
  return computeCards(ctx.db, scheme, { indicators: ctx.plugins.indicators, enabledPlugins, today: utcToday() });
}

/**
 * The card of the organization a cadre served in during `year` (the latest post that overlapped it) under
 * the department's scheme of that year — the published one if any, else the first created — or null.
 * The caller filters by what the viewer may see.
 */
export async function cadreYearCard(ctx: Context, memberId: string, year: number): Promise<Card | null> {
  const post = await ctx.db.cadre.findFirst({
    where: {
      memberId,
      startDate: { lte: new Date(Date.UTC(year, 11, 31)) },
      OR: [{ endDate: null }, { endDate: { gte: new Date(Date.UTC(year, 0, 1)) } }],
    },
    orderBy: { startDate: 'desc' },
    select: { organization: { select: { id: true, path: true } } },
  });
  if (!post) return null;
  const department = post.organization.path.split('/')[1]!;
  const scheme = await ctx.db.assessmentScheme.findFirst({
    where: { organizationId: department, year },
    orderBy: [{ state: 'desc' }, { createdAt: 'asc' }],
    select: { id: true },
  });
  if (!scheme) return null;
  return (await cardsOf(ctx, scheme.id)).find((c) => c.organizationId === post.organization.id) ?? null;
}
