import { createHash } from 'node:crypto';
import type { AssessmentItem, AssessmentScheme, OrganizationKind, Prisma, PrismaClient } from '@dangjian/db';
import { type IndicatorOrganization, indicatorMemo, type OwnedIndicator } from './indicator.ts';
import { acceptedOnTimeShares } from './indicators/tasks.ts';
import { toHundredths } from './points.ts';
import { cardTotal, ranks, scoreItem, type Rule } from './rules.ts';
import { idsOnPath } from '../schema/organization-rules.ts';
import { ruleOf, yearPeriod } from './scheme-rules.ts';

/** One item of a card, as computed live and as frozen at publication (points and values in hundredths). */
export interface CardItem {
  itemId: string;
  position: number;
  category: string;
  name: string;
  source: string;
  indicatorId: string | null;
  rule: Rule;
  maxPoints: number;
  /** The raw value (indicator value, manual value, task share), hundredths of its unit; null when not applicable. */
  value: number | null;
  points: number | null;
  notApplicable: boolean;
  notApplicableReason: string | null;
  vetoed: boolean;
  manualReason: string | null;
  manualEvidence: string | null;
}

/** A scorecard: one organization under one scheme. */
export interface Card {
  schemeId: string;
  organizationId: string;
  organizationPath: string;
  parentId: string | null;
  kind: OrganizationKind;
  year: number;
  items: CardItem[];
  total: number;
  /** Sum of the max points of the applicable items. */
  maxPoints: number;
  vetoed: boolean;
  rank: number;
  siblingRank: number;
  coveredCount: number;
  siblingCount: number;
  published: boolean;
  publishedAt: Date | null;
  hash: string | null;
}

/** What a live computation needs besides the database. */
export interface ComputeOptions {
  /** Every loaded indicator (core's and all plugins'). */
  indicators: readonly OwnedIndicator[];
  /** Plugins enabled for the scheme's department: an indicator of another plugin is not applicable. */
  enabledPlugins: ReadonlySet<string>;
  today: Date;
}

type Db = PrismaClient | Prisma.TransactionClient;
type SchemeWithItems = AssessmentScheme & { items: AssessmentItem[] };

/** The organizations a scheme covers: of its kinds, in its department's tree (one statement). */
export function coveredOrganizations(db: Db, scheme: AssessmentScheme) {
  return db.organization.findMany({
    where: { path: { startsWith: `/${scheme.organizationId}/` }, kind: { in: scheme.kinds } },
    select: { id: true, path: true, kind: true, parentId: true },
    orderBy: { path: 'asc' },
  });
}

/**
 * Every card of a scheme computed from current data, in a bounded number of statements: the covered
 * organizations, one `value` call per distinct indicator for all of them, the manual scores, the task
 * shares. An indicator that is unknown, of a disabled plugin, or not for an organization's kind makes the
 * item not applicable (stated), never zero and never an error. The cards come in ranking order
 * (`rankingOrder`): the order a live ranking lists them in and the one publication freezes.
 */
export async function computeCards(db: Db, scheme: SchemeWithItems, options: ComputeOptions): Promise<Card[]> {
  const organizations = await coveredOrganizations(db, scheme);
  if (organizations.length === 0) return [];
  const ids = organizations.map((o) => o.id);
  const period = yearPeriod(scheme.year);
  const byId = new Map(options.indicators.map((i) => [i.id, i]));
  const memo = indicatorMemo();

  // Indicator values: one call per distinct indicator, for every covered organization of its kinds.
  const values = new Map<string, { values: ReadonlyMap<string, number | null> } | { reason: string }>();
  const indicatorIds = [...new Set(scheme.items.filter((i) => i.source === 'INDICATOR' && i.indicatorId).map((i) => i.indicatorId!))];
  await Promise.all(
    indicatorIds.map(async (indicatorId) => {
      const indicator = byId.get(indicatorId);
      if (!indicator) return void values.set(indicatorId, { reason: `指标 ${indicatorId} 未提供 — no such indicator in this deployment` });
      if (indicator.owner !== 'core' && !options.enabledPlugins.has(indicator.owner)) {
        return void values.set(indicatorId, { reason: `插件 ${indicator.owner} 未启用 — the plugin is not enabled for the department` });
      }
      const kinds = new Set<OrganizationKind>(indicator.appliesTo);
      const applicable: IndicatorOrganization[] = organizations.filter((o) => kinds.has(o.kind));
      const computed = applicable.length
        ? await indicator.value({ db: db as PrismaClient, organizations: applicable, period, today: options.today, memo })
        : new Map<string, number | null>();
      values.set(indicatorId, { values: computed });
    }),
  );

  const manualItems = scheme.items.filter((i) => i.source === 'MANUAL').map((i) => i.id);
  const manual = manualItems.length
    ? await db.assessmentManualScore.findMany({
        where: { itemId: { in: manualItems }, organizationId: { in: ids } },
        select: { itemId: true, organizationId: true, value: true, reason: true, evidence: true },
      })
    : [];
  const manualByKey = new Map(manual.map((m) => [`${m.itemId}:${m.organizationId}`, m]));
  const taskShares = scheme.items.some((i) => i.source === 'TASKS')
    ? await acceptedOnTimeShares(db, ids, { schemeId: scheme.id }, options.today, true)
    : new Map<string, number | null>();

  const items = [...scheme.items].sort((a, b) => a.position - b.position);
  const cards = organizations.map((org) => {
    const cardItems = items.map((item): CardItem => {
      const rule = ruleOf(item);
      const maxPoints = toHundredths(item.maxPoints);
      let value: number | null = null;
      let reason: string | null = null;
      let manualReason: string | null = null;
      let manualEvidence: string | null = null;
      if (item.source === 'INDICATOR') {
        const entry = values.get(item.indicatorId ?? '');
        if (!entry) reason = '未指定指标 — no indicator';
        else if ('reason' in entry) reason = entry.reason;
        else {
          const raw = entry.values.get(org.id);
          const indicator = byId.get(item.indicatorId!)!;
          if (!indicator.appliesTo.includes(org.kind)) reason = `指标不适用于该类组织 — the indicator does not apply to ${org.kind}`;
          else if (raw === null || raw === undefined || !Number.isFinite(raw)) reason = '无可计算的数据 — no value for this organization';
          else value = Math.round(raw * 100);
        }
      } else if (item.source === 'MANUAL') {
        const score = manualByKey.get(`${item.id}:${org.id}`);
        if (!score) reason = '尚未评分 — not scored yet';
        else {
          value = toHundredths(score.value);
          manualReason = score.reason;
          manualEvidence = score.evidence;
        }
      } else {
        const share = taskShares.get(org.id);
        if (share === null || share === undefined) reason = '无到期任务 — no task due';
        else value = Math.round(share * 100);
      }
      const score = scoreItem(rule, maxPoints, value);
      return {
        itemId: item.id,
        position: item.position,
        category: item.category,
        name: item.name,
        source: item.source,
        indicatorId: item.indicatorId,
        rule,
        maxPoints,
        value,
        points: score.points,
        notApplicable: score.points === null,
        notApplicableReason: score.points === null ? reason : null,
        vetoed: score.vetoed,
        manualReason,
        manualEvidence,
      };
    });
    const { total, vetoed } = cardTotal(cardItems.map((i) => ({ score: { points: i.points, vetoed: i.vetoed }, rule: i.rule })));
    const maxPoints = cardItems.reduce((sum, i) => sum + (i.notApplicable ? 0 : i.maxPoints), 0);
    return {
      schemeId: scheme.id,
      organizationId: org.id,
      organizationPath: org.path,
      parentId: org.parentId,
      kind: org.kind,
      year: scheme.year,
      items: cardItems,
      total,
      maxPoints,
      vetoed,
      rank: 0,
      siblingRank: 0,
      coveredCount: organizations.length,
      siblingCount: 0,
      published: false,
      publishedAt: null,
      hash: null,
    } satisfies Card;
  });
  rankCards(cards);
  return cards.sort(rankingOrder);
}

/** Sets each card's rank among all cards and among those with the same parent. */
function rankCards(cards: Card[]): void {
  ranks(cards.map((c) => c.total)).forEach((rank, i) => {
    cards[i]!.rank = rank;
  });
  const byParent = new Map<string | null, Card[]>();
  for (const card of cards) {
    const group = byParent.get(card.parentId);
    if (group) group.push(card);
    else byParent.set(card.parentId, [card]);
  }
  for (const group of byParent.values()) {
    ranks(group.map((c) => c.total)).forEach((rank, i) => {
      group[i]!.siblingRank = rank;
      group[i]!.siblingCount = group.length;
    });
  }
}

/** SHA-256 over a card's frozen content, in a fixed order: recorded in the audit trail at publication. */
export function cardHash(card: Card): string {
  const canonical = JSON.stringify([
    card.schemeId,
    card.organizationId,
    card.items,
    card.total,
    card.maxPoints,
    card.vetoed,
    card.rank,
    card.siblingRank,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** A stored (published) card back in the shape of a live one. */
export function frozenCard(
  row: {
    schemeId: string;
    organizationId: string;
    path: string;
    kind: OrganizationKind;
    items: Prisma.JsonValue;
    total: { toString(): string };
    maxPoints: { toString(): string };
    rank: number;
    siblingRank: number;
    siblingCount: number;
    vetoed: boolean;
    hash: string;
    publishedAt: Date;
  },
  scheme: { year: number; coveredCount: number | null },
): Card {
  return {
    schemeId: row.schemeId,
    organizationId: row.organizationId,
    organizationPath: row.path,
    parentId: idsOnPath(row.path).at(-2) ?? null,
    kind: row.kind,
    year: scheme.year,
    items: row.items as unknown as CardItem[],
    total: toHundredths(row.total),
    maxPoints: toHundredths(row.maxPoints),
    vetoed: row.vetoed,
    rank: row.rank,
    siblingRank: row.siblingRank,
    coveredCount: scheme.coveredCount ?? 0,
    siblingCount: row.siblingCount,
    published: true,
    publishedAt: row.publishedAt,
    hash: row.hash,
  };
}

/**
 * The order of a ranking: highest total first, equal totals by organization path. Live cards are computed in
 * it, and publication freezes it as each card's `position`, so the published ranking reads as the live one did.
 */
function rankingOrder(a: Pick<Card, 'total' | 'organizationPath'>, b: Pick<Card, 'total' | 'organizationPath'>): number {
  return b.total - a.total || a.organizationPath.localeCompare(b.organizationPath);
}
