import { AssessmentCategory, AssessmentItemSource, AssessmentSchemeState, OrganizationKind } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { departmentOf } from '../assessment/access.ts';
import { formatHundredths, toHundredths } from '../assessment/points.ts';
import { ruleOf } from '../assessment/scheme-rules.ts';
import type { Rule } from '../assessment/rules.ts';
import type { AssessmentRuleRefs } from './assessment-rule.ts';
import { decodeId } from './global-id.ts';

/** 考核方案 (AssessmentScheme) and its items (AssessmentItem), with the queries `assessmentScheme` and `assessmentSchemes`. */
export function registerAssessmentScheme(builder: Builder, { RuleRef }: AssessmentRuleRefs): void {
  const State = builder.enumType(AssessmentSchemeState, {
    name: 'AssessmentSchemeState',
    description: '方案状态 — state of a scheme',
    values: {
      DRAFT: { description: '草稿 — items and manual scores may change; cards are computed live' },
      PUBLISHED: { description: '已发布 — frozen: its cards are stored and never change' },
    },
  });
  builder.enumType(AssessmentCategory, {
    name: 'AssessmentCategory',
    description: '指标类别 — category of an item',
    values: {
      PARTY: { description: '党建 — party work' },
      BUSINESS: { description: '业务 — business work' },
      INTEGRATED: { description: '融合 — party and business work together' },
    },
  });
  builder.enumType(AssessmentItemSource, {
    name: 'AssessmentItemSource',
    description: '计分来源 — where an item’s raw value comes from',
    values: {
      INDICATOR: { description: '指标 — an indicator of core or a plugin, computed from the data' },
      MANUAL: { description: '人工评分 — a value the department enters per organization, with a reason' },
      TASKS: { description: '任务清单 — share (by points, percent) of the scheme’s tasks accepted on time' },
    },
  });

  builder.prismaObject('AssessmentItem', {
    description: '考核指标 — one item of a scheme',
    fields: (t) => ({
      id: t.exposeID('id', { description: '指标 ID — the item’s id within its scheme' }),
      position: t.exposeInt('position', { description: '序号 — 0-based position in the scheme' }),
      category: t.expose('category', { type: AssessmentCategory, description: '类别 — category' }),
      name: t.exposeString('name', { description: '名称 — name' }),
      maxPoints: t.field({
        type: 'Decimal',
        description: '分值 — max points',
        resolve: (i) => formatHundredths(toHundredths(i.maxPoints)),
      }),
      source: t.expose('source', { type: AssessmentItemSource, description: '来源 — where the raw value comes from' }),
      indicatorId: t.exposeString('indicatorId', {
        nullable: true,
        description: '指标标识 — INDICATOR: the indicator’s id (an unknown or disabled one scores not applicable)',
      }),
      rule: t.field({ type: RuleRef, description: '计分规则 — the rule', resolve: (i): Rule => ruleOf(i) }),
    }),
  });

  builder.prismaNode('AssessmentScheme', {
    description: '考核方案 — a department’s yearly assessment scheme for the organizations of chosen kinds in its tree',
    id: { field: 'id' },
    findUnique: (id, ctx) => ({ id, organizationId: departmentOf(ctx) }),
    nullable: true,
    fields: (t) => ({
      year: t.exposeInt('year', { description: '年度 — the year assessed (indicators count 1 January–31 December)' }),
      name: t.exposeString('name', { description: '名称 — name' }),
      totalPoints: t.field({
        type: 'Decimal',
        description: '总分 — total points; the items’ max points add up to it',
        resolve: (s) => formatHundredths(toHundredths(s.totalPoints)),
      }),
      kinds: t.field({
        type: [OrganizationKind],
        description: '适用组织类型 — the kinds of organization it covers',
        resolve: (s) => s.kinds,
      }),
      state: t.expose('state', { type: State, description: '状态 — DRAFT or PUBLISHED' }),
      publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true, description: '发布时间 — when it was published' }),
      publishedBy: t.exposeString('publishedBy', { nullable: true, description: '发布人 — user id of who published it' }),
      department: t.relation('organization', { description: '所属单位 — the department (top-level organization) it belongs to' }),
      items: t.relation('items', { description: '考核指标 — items in order', query: { orderBy: { position: 'asc' } } }),
    }),
  });

  builder.queryField('assessmentScheme', (t) =>
    t.prismaField({
      type: 'AssessmentScheme',
      nullable: true,
      description: '考核方案 — a scheme of your department by ID (null when missing or of another department)',
      authScopes: { authenticated: true },
      args: { id: t.arg.id({ required: true, description: '方案 ID' }) },
      resolve: (query, _root, { id }, ctx) =>
        ctx.db.assessmentScheme.findFirst({
          ...query,
          where: { id: decodeId('AssessmentScheme', String(id), 'id'), organizationId: departmentOf(ctx) },
        }),
    }),
  );

  builder.queryField('assessmentSchemes', (t) =>
    t.prismaField({
      type: ['AssessmentScheme'],
      description: '考核方案列表 — the schemes of your department, newest year first',
      authScopes: { authenticated: true },
      args: { year: t.arg.int({ required: false, description: '年度 — only this year' }) },
      resolve: (query, _root, { year }, ctx) =>
        ctx.db.assessmentScheme.findMany({
          ...query,
          where: { organizationId: departmentOf(ctx), ...(year ? { year } : {}) },
          orderBy: [{ year: 'desc' }, { name: 'asc' }],
        }),
    }),
  );
}
