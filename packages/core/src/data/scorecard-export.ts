// 考核得分表导出 — the cards of an assessment scheme, one row per organization of the subtree: total, rank,
// veto and each item's points. The cards are the API's (`scorecards`): frozen once the scheme is published,
// else computed live; a department's cards are one per organization, so they are computed whole as the
// query does, and only the organizations' names are read page by page.

import { formatHundredths, toHundredths } from '../assessment/points.ts';
import type { Card } from '../assessment/scorecard-compute.ts';
import { requireViewer } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { InputError, NotFoundError } from '../errors/errors.ts';
import { decodeId } from '../schema/global-id.ts';
import { visibleCards } from '../schema/scorecard.ts';
import type { ExportPages } from './export.ts';
import type { Cell } from './rows.ts';

const PAGE = 1000;
const POINTS = '0.00';

/** Points in hundredths as an Excel number with the exact two decimals. */
const points = (hundredths: number | null): number | null => (hundredths === null ? null : Number(formatHundredths(hundredths)));

/**
 * The cards of scheme `scheme` (a global ID) for the organizations under `path`, highest total first.
 * A scheme of another department answers NOT_FOUND, as a missing one. Each item's column holds its points,
 * `不适用` when it does not apply to the organization, or `否决` when it vetoed the card.
 */
export async function scorecardExport(ctx: Context, path: string, options: { scheme: string | null }): Promise<ExportPages> {
  requireViewer(ctx);
  if (!options.scheme) throw new InputError('scheme', 'is required: the global ID of an assessment scheme');
  const cards = await visibleCards(ctx, options.scheme, 'scheme');
  if (!cards) throw new NotFoundError('AssessmentScheme', options.scheme);
  const items = await ctx.db.assessmentItem.findMany({
    where: { schemeId: decodeId('AssessmentScheme', options.scheme, 'scheme') },
    orderBy: { position: 'asc' },
    select: { id: true, name: true, maxPoints: true },
  });
  // Cards come in ranking order, as `scorecards` lists them (live: computed in it; published: the frozen one).
  const ranked = cards.filter((c) => c.organizationPath.startsWith(path));
  const itemCell = (card: Card, itemId: string): Cell => {
    const item = card.items.find((i) => i.itemId === itemId);
    if (!item) return null;
    if (item.notApplicable) return '不适用';
    if (item.vetoed) return '否决';
    return points(item.points);
  };
  async function* pages(): AsyncGenerator<Cell[][]> {
    for (let at = 0; at < ranked.length; at += PAGE) {
      const page = ranked.slice(at, at + PAGE);
      const organizations = await ctx.db.organization.findMany({
        where: { id: { in: page.map((c) => c.organizationId) } },
        select: { id: true, code: true, name: true },
      });
      const byId = new Map(organizations.map((o) => [o.id, o]));
      yield page.map((card) => [
        byId.get(card.organizationId)?.code ?? null,
        byId.get(card.organizationId)?.name ?? null,
        points(card.total),
        points(card.maxPoints),
        card.rank,
        card.siblingRank,
        card.vetoed ? '是' : '否',
        card.published ? '已发布' : '实时计算',
        ...items.map((item) => itemCell(card, item.id)),
      ]);
    }
  }
  const fixed = ['组织代码', '组织名称', '总分', '满分', '排名', '同级排名', '一票否决', '状态'];
  const formats: Record<number, string> = { 2: POINTS, 3: POINTS, 4: '0', 5: '0' };
  for (let i = 0; i < items.length; i++) formats[fixed.length + i] = POINTS;
  return {
    headers: [...fixed, ...items.map((item) => `${item.name}（${formatHundredths(toHundredths(item.maxPoints))}分）`)],
    formats,
    pages: pages(),
  };
}
