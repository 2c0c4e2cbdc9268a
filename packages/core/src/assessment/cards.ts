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
 * Batched per request: a list of assessments costs two statements plus one card computation per scheme.
 * The caller filters by what the viewer may see.
 */
export function cadreYearCard(ctx: Context, memberId: string, year: number): Promise<Card | null> {
  return requestLoader<string, Card | null>(ctx, 'assessment.cadreYearCard', (keys) => loadCadreYearCards(ctx, keys)).load(
    `${memberId}:${year}`,
  );
}

async function loadCadreYearCards(ctx: Context, keys: readonly string[]): Promise<(Card | null)[]> {
  const wanted = keys.map((key) => {
    const at = key.lastIndexOf(':');
    return { memberId: key.slice(0, at), year: Number(key.slice(at + 1)) };
  });
  const posts = await ctx.db.cadre.findMany({
    where: { memberId: { in: [...new Set(wanted.map((w) => w.memberId))] } },
    orderBy: { startDate: 'desc' },
    select: { memberId: true, startDate: true, endDate: true, organization: { select: { id: true, path: true } } },
  });
  const served = wanted.map(({ memberId, year }) => {
    const from = Date.UTC(year, 0, 1);
    const to = Date.UTC(year, 11, 31);
    const post = posts.find(
      (p) => p.memberId === memberId && p.startDate.getTime() <= to && (p.endDate === null || p.endDate.getTime() >= from),
    );
    return post ? { organization: post.organization, department: post.organization.path.split('/')[1]!, year } : null;
  });
  const pairs = served.filter((s) => s !== null);
  const schemes = pairs.length
    ? await ctx.db.assessmentScheme.findMany({
        where: { OR: pairs.map((s) => ({ organizationId: s.department, year: s.year })) },
        orderBy: [{ state: 'desc' }, { createdAt: 'asc' }],
        select: { id: true, organizationId: true, year: true },
      })
    : [];
  return Promise.all(
    served.map(async (s) => {
      if (!s) return null;
      const scheme = schemes.find((x) => x.organizationId === s.department && x.year === s.year);
      if (!scheme) return null;
      return (await cardsOf(ctx, scheme.id)).find((c) => c.organizationId === s.organization.id) ?? null;
    }),
  );
}
