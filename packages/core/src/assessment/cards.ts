import { type AssessmentScheme, type OrganizationKind, Prisma } from '@dangjian/db';
import type { Context } from '../context.ts';
import { utcToday } from '../kit/dates.ts';
import { requestLoader } from '../loaders.ts';
import { computeCards, frozenCard, type Card } from './scorecard-compute.ts';

/**
 * Every card of a scheme, once per request however many fields ask: the frozen cards of a published
 * scheme, else the live cards computed from current data. Callers filter by what the viewer may see.
 * The scheme must already be known to be visible to the viewer. A published scheme's cards are better
 * read a page or a card at a time (`publishedPage`, `publishedCard`): this reads them all.
 */
export function cardsOf(ctx: Context, schemeId: string): Promise<Card[]> {
  return requestLoader<string, Card[]>(ctx, 'assessment.cards', (ids) => Promise.all(ids.map((id) => loadCards(ctx, id)))).load(schemeId);
}

async function loadCards(ctx: Context, schemeId: string): Promise<Card[]> {
  const scheme = await ctx.db.assessmentScheme.findUniqueOrThrow({ where: { id: schemeId }, include: { items: true } });
  if (scheme.state === 'PUBLISHED') {
    const rows = await ctx.db.assessmentScorecard.findMany({ where: { schemeId }, include: WITH_ORGANIZATION, orderBy: RANKED });
    return frozenCards(ctx, scheme, rows);
  }
  const enabledPlugins = await ctx.plugins.enabledFor(scheme.organizationId);
  return computeCards(ctx.db, scheme, { indicators: ctx.plugins.indicators, enabledPlugins, today: utcToday() });
}

const WITH_ORGANIZATION = { organization: { select: { path: true, parentId: true, kind: true } } } as const;
/** Rank, then path: the order of the live ranking (equal totals share a rank). Served by (schemeId, rank). */
const RANKED = [{ rank: 'asc' }, { organization: { path: 'asc' } }] satisfies Prisma.AssessmentScorecardOrderByWithRelationInput[];

type FrozenRow = Prisma.AssessmentScorecardGetPayload<{ include: typeof WITH_ORGANIZATION }>;
type PublishedScheme = Pick<AssessmentScheme, 'id' | 'year'>;

/** What a page of a published ranking is cut from: the subtree, the kinds, the window. */
export interface PublishedPageQuery {
  /** Only cards of organizations at or below this path (the viewer's, or `under` inside it). */
  path: string;
  kinds: readonly OrganizationKind[] | null;
  offset: number;
  limit: number;
}

/** A frozen row as the page statement returns it, with the counts it carries. */
type PageRow = Omit<FrozenRow, 'organization'> &
  FrozenRow['organization'] & { totalCount: number; coveredCount: number; siblingCount: number };

/**
 * A page of a published scheme's frozen cards under `path`, in rank order, and how many there are: one SQL
 * statement (bench scenario 8, target p99 ≤ 50 ms: seven statements through Prisma before, page and count
 * each with the subtree as a sub-select). The cards join their organization by path prefix (visibility
 * follows the current tree) through an index holding path, parent and kind, so the ranking of thousands
 * of cards reads no organization row; the count is over the same narrow rows; the page's cards, the
 * covered count and each page card's sibling count are read for the page alone.
 */
export async function publishedPage(
  ctx: Context,
  scheme: PublishedScheme,
  query: PublishedPageQuery,
): Promise<{ cards: Card[]; totalCount: number }> {
  const kinds = query.kinds ? [...query.kinds] : null;
  // The scheme's cards of organizations under the path, of the kinds (`^@`, starts with, needs no escaping
  // of the path as LIKE would).
  const matching = Prisma.sql`c."schemeId" = ${scheme.id} AND o.path ^@ ${query.path}
    AND (${kinds}::"OrganizationKind"[] IS NULL OR o.kind = ANY (${kinds}::"OrganizationKind"[]))`;
  const rows =
    query.limit > 0
      ? await ctx.db.$queryRaw<PageRow[]>`
          WITH matched AS MATERIALIZED (
            SELECT c.id, c.rank, o.path, o."parentId", o.kind
              FROM "AssessmentScorecard" c JOIN "Organization" o ON o.id = c."organizationId"
             WHERE ${matching}
          ), page AS (
            SELECT * FROM matched ORDER BY rank, path OFFSET ${query.offset} LIMIT ${query.limit}
          )
          SELECT c.*, page.path, page."parentId", page.kind,
                 (SELECT count(*) FROM matched)::int AS "totalCount",
                 (SELECT count(*) FROM "AssessmentScorecard" a WHERE a."schemeId" = ${scheme.id})::int AS "coveredCount",
                 (SELECT count(*) FROM "AssessmentScorecard" s JOIN "Organization" so ON so.id = s."organizationId"
                   WHERE s."schemeId" = ${scheme.id}
                     AND (so."parentId" = page."parentId" OR (page."parentId" IS NULL AND so."parentId" IS NULL)))::int AS "siblingCount"
            FROM page JOIN "AssessmentScorecard" c ON c.id = page.id
           ORDER BY page.rank, page.path`
      : [];
  // Past the last card (or no page asked for) the page is empty and carries no count: count alone.
  const totalCount =
    rows[0]?.totalCount ??
    Number(
      (
        await ctx.db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM "AssessmentScorecard" c JOIN "Organization" o ON o.id = c."organizationId"
           WHERE ${matching}`
      )[0]?.n ?? 0,
    );
  const cards = rows.map(({ path, parentId, kind, totalCount: _t, coveredCount, siblingCount, ...row }) =>
    frozenCard({ ...row, organization: { path, parentId, kind } }, scheme.year, coveredCount, siblingCount),
  );
  return { cards, totalCount };
}

/**
 * One organization's frozen card under a published scheme, or null; batched per request (the cards a
 * response asks for cost one statement plus the counts). The caller checks the viewer may see it.
 */
export function publishedCard(ctx: Context, scheme: PublishedScheme, organizationId: string): Promise<Card | null> {
  return requestLoader<string, Card | null>(ctx, `assessment.publishedCard:${scheme.id}`, async (orgIds) => {
    const rows = await ctx.db.assessmentScorecard.findMany({
      where: { schemeId: scheme.id, organizationId: { in: [...orgIds] } },
      include: WITH_ORGANIZATION,
    });
    const cards = await frozenCards(ctx, scheme, rows);
    return orgIds.map((id) => cards.find((c) => c.organizationId === id) ?? null);
  }).load(organizationId);
}

/** Frozen rows as cards, with the scheme's covered count and each card's sibling count (two statements). */
async function frozenCards(ctx: Context, scheme: PublishedScheme, rows: readonly FrozenRow[]): Promise<Card[]> {
  if (rows.length === 0) return [];
  const parents = [...new Set(rows.map((r) => r.organization.parentId).filter((p) => p !== null))];
  const withoutParent = rows.some((r) => r.organization.parentId === null);
  const [covered, siblings] = await Promise.all([
    ctx.db.assessmentScorecard.count({ where: { schemeId: scheme.id } }),
    ctx.db.$queryRaw<{ parentId: string | null; n: number }[]>`
      SELECT o."parentId", count(*)::int AS n
        FROM "AssessmentScorecard" c JOIN "Organization" o ON o.id = c."organizationId"
       WHERE c."schemeId" = ${scheme.id}
         AND (o."parentId" = ANY(${parents}::text[]) OR (${withoutParent}::boolean AND o."parentId" IS NULL))
       GROUP BY o."parentId"`,
  ]);
  const siblingCount = new Map(siblings.map((s) => [s.parentId, Number(s.n)]));
  return rows.map((row) => frozenCard(row, scheme.year, covered, siblingCount.get(row.organization.parentId) ?? 0));
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
        select: { id: true, organizationId: true, year: true, state: true },
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
