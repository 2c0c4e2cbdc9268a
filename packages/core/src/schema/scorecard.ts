import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { AssessmentCategory, AssessmentItemSource, type AssessmentScheme, OrganizationKind } from '@dangjian/db';
import { requireViewer, scopePath } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { departmentOf } from '../assessment/access.ts';
import { cadreYearCard, cardsOf, publishedCard, publishedPage } from '../assessment/cards.ts';
import { formatHundredths } from '../assessment/points.ts';
import { yearPeriod } from '../assessment/scheme-rules.ts';
import type { Card, CardItem } from '../assessment/scorecard-compute.ts';
import { loadOrganization } from '../plugin/helpers.ts';
import { requestLoader } from '../loaders.ts';
import { activityDetails, activitySubscription } from '../kit/subscription.ts';
import { resolveUnder } from '../kit/under.ts';
import type { AssessmentRuleRefs } from './assessment-rule.ts';
import { decodeId } from './global-id.ts';
import { modelRef } from './refs.ts';

const dec = (v: number | null) => (v === null ? null : formatHundredths(v));

/** A scheme of the viewer's department (its id, year and state), or null for another's scheme or a missing one. */
async function visibleScheme(ctx: Context, schemeGlobalId: string, field: string) {
  const id = decodeId('AssessmentScheme', schemeGlobalId, field);
  return ctx.db.assessmentScheme.findFirst({
    where: { id, organizationId: departmentOf(ctx) },
    select: { id: true, year: true, state: true, coveredCount: true },
  });
}

/** The cards of a scheme that the viewer may see (its subtree): computed for a draft, frozen once published. */
async function visibleLiveCards(ctx: Context, schemeId: string): Promise<Card[]> {
  const scope = scopePath(requireViewer(ctx));
  return (await cardsOf(ctx, schemeId)).filter((card) => card.organizationPath.startsWith(scope));
}

/** Every card of a scheme of the viewer's department that the viewer may see, or null for another's scheme (exports). */
export async function visibleCards(ctx: Context, schemeGlobalId: string, field: string): Promise<Card[] | null> {
  const scheme = await visibleScheme(ctx, schemeGlobalId, field);
  return scheme ? visibleLiveCards(ctx, scheme.id) : null;
}

/** 考核得分表 (Scorecard, ScorecardItem): `scorecard`, `scorecards` and the `scorecardPublished` subscription. */
export function registerScorecard(builder: Builder, { RuleRef }: AssessmentRuleRefs): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const SchemeRef = modelRef(builder, 'AssessmentScheme');
  const EvidenceRef = builder
    .objectRef<{ indicatorId: string; organizationId: string; year: number }>('IndicatorEvidencePointer')
    .implement({
      description: '佐证指引 — where to read the rows behind an indicator item’s value: the indicator, organization and period',
      fields: (t) => ({
        indicatorId: t.exposeString('indicatorId', { description: '指标标识' }),
        organization: t.field({
          type: OrganizationRef,
          nullable: true,
          description: '组织',
          resolve: (e, _args, ctx) => loadOrganization(ctx, e.organizationId),
        }),
        from: t.field({ type: 'Date', description: '起始日期 — 1 January of the scheme’s year', resolve: (e) => yearPeriod(e.year).from }),
        to: t.field({ type: 'Date', description: '截止日期 — 31 December of the scheme’s year', resolve: (e) => yearPeriod(e.year).to }),
      }),
    });

  const ItemRef = builder.objectRef<CardItem & { card: Card }>('ScorecardItem').implement({
    description: '得分项 — one item of a scorecard: its raw value, points, rule and evidence',
    fields: (t) => ({
      itemId: t.exposeID('itemId', { description: '指标 ID — the scheme item’s id' }),
      position: t.exposeInt('position', { description: '序号' }),
      category: t.field({ type: AssessmentCategory, description: '类别', resolve: (i) => i.category as AssessmentCategory }),
      name: t.exposeString('name', { description: '名称' }),
      source: t.field({ type: AssessmentItemSource, description: '来源', resolve: (i) => i.source as AssessmentItemSource }),
      indicatorId: t.exposeString('indicatorId', { nullable: true, description: '指标标识 — INDICATOR items' }),
      rule: t.field({ type: RuleRef, description: '计分规则 — the rule that produced the points', resolve: (i) => i.rule }),
      maxPoints: t.field({ type: 'Decimal', description: '分值 — max points', resolve: (i) => formatHundredths(i.maxPoints) }),
      value: t.field({
        type: 'Decimal',
        nullable: true,
        description: '原始值 — the raw value in the indicator’s unit (manual value, task share in percent); null when not applicable',
        resolve: (i) => dec(i.value),
      }),
      points: t.field({
        type: 'Decimal',
        nullable: true,
        description: '得分 — points; null when not applicable',
        resolve: (i) => dec(i.points),
      }),
      notApplicable: t.exposeBoolean('notApplicable', { description: '不适用 — the item earns nothing and its points leave the maximum' }),
      notApplicableReason: t.exposeString('notApplicableReason', {
        nullable: true,
        description: '不适用原因 — e.g. the indicator’s plugin is not enabled, no value, not scored yet',
      }),
      vetoed: t.exposeBoolean('vetoed', { description: '一票否决 — this VETO item failed and capped the total' }),
      evidence: t.field({
        type: EvidenceRef,
        nullable: true,
        description: '佐证指引 — INDICATOR items: the indicator, organization and period to ask for its evidence',
        resolve: (i) =>
          i.source === 'INDICATOR' && i.indicatorId && !i.notApplicable
            ? { indicatorId: i.indicatorId, organizationId: i.card.organizationId, year: i.card.year }
            : null,
      }),
      manualReason: t.exposeString('manualReason', { nullable: true, description: '评分理由 — MANUAL items: the reason given' }),
      manualEvidence: t.exposeString('manualEvidence', { nullable: true, description: '评分佐证 — MANUAL items: the evidence text given' }),
    }),
  });

  const ScorecardRef = builder.objectRef<Card>('Scorecard').implement({
    description: '考核得分表 — one organization’s scorecard under a scheme: live before publication, frozen after',
    fields: (t) => ({
      scheme: t.field({
        type: SchemeRef,
        description: '考核方案',
        // One statement for the schemes of every card in the response, however many cards.
        resolve: (c, _args, ctx) =>
          requestLoader<string, AssessmentScheme>(ctx, 'assessment.scheme', async (ids) => {
            const rows = await ctx.db.assessmentScheme.findMany({ where: { id: { in: [...ids] } } });
            return ids.map((id) => rows.find((r) => r.id === id) ?? new Error(`scheme ${id} is gone`));
          }).load(c.schemeId),
      }),
      organization: t.field({
        type: OrganizationRef,
        description: '被考核组织',
        resolve: async (c, _args, ctx) => (await loadOrganization(ctx, c.organizationId))!,
      }),
      items: t.field({
        type: [ItemRef],
        description: '得分项 — in the scheme’s order',
        resolve: (c) => c.items.map((i) => ({ ...i, card: c })),
      }),
      total: t.field({
        type: 'Decimal',
        description: '总分 — the applicable points, capped by a failed veto',
        resolve: (c) => formatHundredths(c.total),
      }),
      maxPoints: t.field({
        type: 'Decimal',
        description: '应得满分 — the max points of the applicable items',
        resolve: (c) => formatHundredths(c.maxPoints),
      }),
      vetoed: t.exposeBoolean('vetoed', { description: '一票否决 — a VETO item failed' }),
      rank: t.exposeInt('rank', { description: '排名 — among every organization the scheme covers (equal totals share a rank)' }),
      coveredCount: t.exposeInt('coveredCount', { description: '参评组织数 — organizations the scheme covers' }),
      siblingRank: t.exposeInt('siblingRank', { description: '同级排名 — among the covered organizations with the same parent' }),
      siblingCount: t.exposeInt('siblingCount', {
        description: '同级参评数 — covered organizations with the same parent (of a published card: at publication, as its ranks)',
      }),
      published: t.exposeBoolean('published', { description: '已发布 — frozen at publication (false: computed from current data)' }),
      publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true, description: '发布时间' }),
      hash: t.exposeString('hash', { nullable: true, description: '校验值 — SHA-256 of the frozen card, as recorded in the audit trail' }),
    }),
  });

  builder.queryField('scorecard', (t) =>
    t.field({
      type: ScorecardRef,
      nullable: true,
      description:
        '考核得分表 — an organization’s card under a scheme: your own organization’s or one below it (null for any other, as for a missing one)',
      authScopes: { authenticated: true },
      args: {
        organizationId: t.arg.id({ required: true, description: '组织 ID' }),
        schemeId: t.arg.id({ required: true, description: '方案 ID' }),
      },
      resolve: async (_root, args, ctx) => {
        const orgId = decodeId('Organization', String(args.organizationId), 'organizationId');
        const scheme = await visibleScheme(ctx, String(args.schemeId), 'schemeId');
        if (!scheme) return null;
        if (scheme.state !== 'PUBLISHED') return (await visibleLiveCards(ctx, scheme.id)).find((c) => c.organizationId === orgId) ?? null;
        const card = await publishedCard(ctx, scheme, orgId);
        return card?.organizationPath.startsWith(scopePath(requireViewer(ctx))) ? card : null;
      },
    }),
  );

  const Order = builder.enumType('ScorecardOrder', {
    description: '排序 — order of a ranking',
    values: {
      TOTAL: { description: '按总分 — highest total first (ties by organization)' },
    },
  });

  builder.queryField('scorecards', (t) =>
    t.connection(
      {
        type: ScorecardRef,
        description: '考核排名 — the cards of a scheme in your subtree (or under `under`), ranked; empty for another department’s scheme',
        authScopes: { authenticated: true },
        args: {
          schemeId: t.arg.id({ required: true, description: '方案 ID' }),
          under: t.arg.id({ required: false, description: '组织 — only cards of this organization and below (default: your own)' }),
          kinds: t.arg({ type: [OrganizationKind], required: false, description: '组织类型 — only these kinds' }),
          orderBy: t.arg({ type: Order, required: false, defaultValue: 'TOTAL', description: '排序 — default TOTAL' }),
        },
        resolve: async (_root, args, ctx) => {
          // `under` resolves inside the viewer's subtree, so its path is the viewer's scope or below it.
          const path = await resolveUnder(ctx, args.under);
          const kinds = args.kinds?.length ? [...new Set<OrganizationKind>(args.kinds)] : null;
          const scheme = await visibleScheme(ctx, String(args.schemeId), 'schemeId');
          if (!scheme) return { ...(await resolveOffsetConnection({ args }, () => [])), totalCount: 0 };
          if (scheme.state === 'PUBLISHED') {
            let totalCount = 0;
            const connection = await resolveOffsetConnection({ args }, async ({ limit, offset }) => {
              const page = await publishedPage(ctx, scheme, { path, kinds, offset, limit });
              totalCount = page.totalCount;
              return page.cards;
            });
            return { ...connection, totalCount };
          }
          // Live cards come in ranking order (computeCards).
          const cards = (await visibleLiveCards(ctx, scheme.id)).filter(
            (c) => c.organizationPath.startsWith(path) && (!kinds || kinds.includes(c.kind)),
          );
          const connection = await resolveOffsetConnection({ args }, ({ limit, offset }) => cards.slice(offset, offset + limit));
          return { ...connection, totalCount: cards.length };
        },
      },
      {
        description: '考核排名 — a page of scorecards',
        fields: (t) => ({
          totalCount: t.int({
            description: '总数 — cards matching, over all pages',
            resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
          }),
        }),
      },
      { description: '考核排名项 — one scorecard with its cursor' },
    ),
  );

  builder.subscriptionField('scorecardPublished', (t) =>
    t.field({
      type: ScorecardRef,
      description: '得分表发布 — each scorecard of your subtree (or under `under`) as its scheme is published',
      authScopes: { authenticated: true },
      args: { under: t.arg.id({ required: false, description: '组织 — only cards of this organization and below' }) },
      subscribe: (_root, args, ctx) => activitySubscription(ctx, { kinds: ['assessment.scorecardPublished'], under: args.under }),
      resolve: async (event, _args, ctx) => {
        const details = await activityDetails(ctx, event);
        const data = details?.data as { schemeId: string; organizationId: string } | null;
        if (!data) throw new Error('published scorecard activity without data');
        // A subscription's context lives as long as it does: the scheme's cards are read once and serve every
        // event of the publication (a committee's subscription receives one per card of its tree).
        const card = (await cardsOf(ctx, data.schemeId)).find((c) => c.organizationId === data.organizationId);
        if (!card) throw new Error('published scorecard not found');
        return card;
      },
    }),
  );

  // 考核 reaches the cadre's evaluation: the yearly assessment shows the card of the organization served in.
  builder.prismaObjectField('Assessment', 'scorecard', (t) =>
    t.field({
      type: ScorecardRef,
      nullable: true,
      description:
        '所在组织得分表 — the scorecard (published, else live) of the organization the cadre served in that year, under the department’s scheme of the year; null when none or not visible to you',
      select: { memberId: true, year: true },
      resolve: async (assessment, _args, ctx) => {
        const card = await cadreYearCard(ctx, assessment.memberId, assessment.year);
        return card?.organizationPath.startsWith(scopePath(requireViewer(ctx))) ? card : null;
      },
    }),
  );
}
