import type { AssessmentScheme, OrganizationKind } from '@dangjian/db';
import type { Context } from '../context.ts';
import { utcToday } from '../kit/dates.ts';
import { requestLoader } from '../loaders.ts';
import { computeCards, frozenCard, type Card } from './scorecard-compute.ts';

/**
 * Every card of a scheme in ranking order, once per request however many fields ask: the frozen cards of a
 * published scheme, else the live cards computed from current data. Callers filter by what the viewer may see.
 * The scheme must already be known to be visible to the viewer. A published scheme's cards are better
 * read a page or a card at a time (`publishedPage`, `publishedCard`): this reads them all.
 */
export function cardsOf(ctx: Context, schemeId: string): Promise<Card[]> {
  return requestLoader<string, Card[]>(ctx, 'assessment.cards', (ids) => Promise.all(ids.map((id) => loadCards(ctx, id)))).load(schemeId);
}

async function loadCards(ctx: Context, schemeId: string): Promise<Card[]> {
  const scheme = await ctx.db.assessmentScheme.findUniqueOrThrow({ where: { id: schemeId }, include: { items: true } });
  if (scheme.state === 'PUBLISHED') {
    const rows = await ctx.db.assessmentScorecard.findMany({ where: { schemeId }, orderBy: { position: 'asc' } });
    return rows.map((row) => frozenCard(row, scheme));
  }
  const enabledPlugins = await ctx.plugins.enabledFor(scheme.organizationId);
  return computeCards(ctx.db, scheme, { indicators: ctx.plugins.indicators, enabledPlugins, today: utcToday() });
}

type PublishedScheme = Pick<AssessmentScheme, 'id' | 'year' | 'coveredCount'>;

/** What a page of a published ranking is cut from: the subtree, the kinds, the window. */
export interface PublishedPageQuery {
  /** Only cards of organizations at or below this path (the viewer's, or `under` inside it). */
  path: string;
  kinds: readonly OrganizationKind[] | null;
  offset: number;
  limit: number;
}

/**
 * A page of a published scheme's frozen cards under `path`, in ranking order, and how many there are: two
 * statements on the card table alone (bench scenario 8, target p99 ≤ 50 ms). A card carries what the page
 * needs of its organization — the path (kept current when the organization moves, so visibility follows the
 * tree as it is), the kind — and its frozen place in the ranking, so the page is a range of the (scheme,
 * position) index and the count reads no organization (joining every card to its organization took 33–42 ms
 * on the embedded database at scale).
 */
export async function publishedPage(
  ctx: Context,
  scheme: PublishedScheme,
  query: PublishedPageQuery,
): Promise<{ cards: Card[]; totalCount: number }> {
  const kinds = query.kinds ? [...query.kinds] : undefined;
  // `startsWith` is a prefix match on the path (a subtree), as everywhere paths are filtered.
  const where = { schemeId: scheme.id, path: { startsWith: query.path }, ...(kinds ? { kind: { in: kinds } } : {}) };
  const [rows, totalCount] = await Promise.all([
    query.limit > 0
      ? ctx.db.assessmentScorecard.findMany({ where, orderBy: { position: 'asc' }, skip: query.offset, take: query.limit })
      : [],
    ctx.db.assessmentScorecard.count({ where }),
  ]);
  return { cards: rows.map((row) => frozenCard(row, scheme)), totalCount };
}

/**
 * One organization's frozen card under a published scheme, or null; batched per request (the cards a
 * response asks for cost one statement). The caller checks the viewer may see it.
 */
export function publishedCard(ctx: Context, scheme: PublishedScheme, organizationId: string): Promise<Card | null> {
  return requestLoader<string, Card | null>(ctx, `assessment.publishedCard:${scheme.id}`, async (orgIds) => {
    const rows = await ctx.db.assessmentScorecard.findMany({ where: { schemeId: scheme.id, organizationId: { in: [...orgIds] } } });
    const byOrganization = new Map(rows.map((row) => [row.organizationId, row]));
    return orgIds.map((id) => {
      const row = byOrganization.get(id);
      return row ? frozenCard(row, scheme) : null;
    });
  }).load(organizationId);
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
        select: { id: true, organizationId: true, year: true, state: true, coveredCount: true },
      })
    : [];
  return Promise.all(
    served.map(async (s) => {
      if (!s) return null;
      const scheme = schemes.find((x) => x.organizationId === s.department && x.year === s.year);
      if (!scheme) return null;
      if (scheme.state === 'PUBLISHED') return publishedCard(ctx, scheme, s.organization.id);
      return (await cardsOf(ctx, scheme.id)).find((c) => c.organizationId === s.organization.id) ?? null;
    }),
  );
}
