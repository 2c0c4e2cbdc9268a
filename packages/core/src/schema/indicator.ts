import type { Organization, OrganizationKind } from '@dangjian/db';
import { encodeGlobalID, resolveArrayConnection } from '@pothos/plugin-relay';
import type { OwnedIndicator } from '../assessment/indicator.ts';
import { offeredIndicator, offeredIndicators } from '../assessment/registry.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { NotFoundError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { resolveUnder } from '../kit/under.ts';
import { checkPeriod } from '../kit/validate/index.ts';
import { decodeId } from './global-id.ts';
import { modelRef } from './refs.ts';

/** Longest period an indicator is computed over (a scheme's is a year; a few years' trend is plenty). */
const MAX_PERIOD_YEARS = 10;

/** One organization's value in `indicatorValues`. */
interface ValueRow {
  organization: Organization;
  value: number | null;
}

/** One row of `indicatorEvidence`, with its global id. */
interface EvidenceRow {
  nodeId: string;
  type: string;
  label: string;
  date: Date | null;
  counts: boolean;
}

/** The indicator offered to the viewer's department, or NOT_FOUND naming the id (unknown and disabled answer alike). */
async function indicatorOrNotFound(ctx: Context, id: string): Promise<OwnedIndicator> {
  const indicator = await offeredIndicator(ctx, id);
  if (!indicator) throw new NotFoundError('Indicator', id);
  return indicator;
}

/** 考核指标 (Indicator): the indicators offered to a department, their values over a subtree, and their evidence. */
export function registerIndicator(builder: Builder): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  // OrganizationKind is registered by organization.ts; Pothos resolves a type name to its ref when the schema is built.
  const OrganizationKindByName = 'OrganizationKind' as unknown as ReturnType<
    typeof builder.enumType<string, Record<OrganizationKind, { description: string }>>
  >;

  const Unit = builder.enumType('IndicatorUnit', {
    description: '指标单位 — what an indicator’s value measures in',
    values: {
      PERCENT: { description: '百分比 — a share from 0 to 100' },
      COUNT: { description: '个数 — a count' },
      HOURS: { description: '小时/学时 — hours' },
      SCORE: { description: '分 — a score' },
      YES_NO: { description: '是否 — 1 for yes, 0 for no' },
    },
  });

  const Direction = builder.enumType('IndicatorDirection', {
    description: '指标方向 — which way is better',
    values: {
      HIGHER_IS_BETTER: { description: '越高越好 — higher is better' },
      LOWER_IS_BETTER: { description: '越低越好 — lower is better' },
    },
  });

  const IndicatorRef = builder.objectRef<OwnedIndicator>('Indicator').implement({
    description:
      '考核指标 — a measure of an organization’s work over a period that assessment schemes score from; contributed by core or by a plugin',
    fields: (t) => ({
      id: t.exposeID('id', { description: '指标标识 — stable id `<owner>.<area>.<name>`, e.g. core.meetings.themeDay' }),
      name: t.exposeString('name', { description: '名称 — Chinese name' }),
      description: t.exposeString('description', { description: '说明 — what is counted, against which rule, and what is not applicable' }),
      unit: t.field({ type: Unit, description: '单位 — unit of the value', resolve: (i) => i.unit }),
      direction: t.field({ type: Direction, description: '方向 — which way is better', resolve: (i) => i.direction }),
      appliesTo: t.field({
        type: [OrganizationKindByName],
        description: '适用组织类别 — the kinds of organization it applies to; for others the value is null (not applicable)',
        resolve: (i) => [...i.appliesTo],
      }),
      owner: t.exposeString('owner', { description: '提供方 — `core`, or the id of the plugin that contributes it' }),
    }),
  });

  const ValueRef = builder.objectRef<ValueRow>('IndicatorValue').implement({
    description: '指标值 — one organization’s value of an indicator over a period',
    fields: (t) => ({
      organization: t.field({ type: OrganizationRef, description: '党组织 — the organization', resolve: (row) => row.organization }),
      value: t.float({
        nullable: true,
        description: '值 — in the indicator’s unit; null when the indicator does not apply to this organization',
        resolve: (row) => row.value,
      }),
    }),
  });

  const EvidenceRef = builder.objectRef<EvidenceRow>('IndicatorEvidence').implement({
    description: '指标依据 — a record behind an indicator’s value, openable with `node(id:)` (except where its type is not a node)',
    fields: (t) => ({
      nodeId: t.exposeID('nodeId', { description: '全局 ID — the record’s global ID (of type `type`)' }),
      type: t.exposeString('type', { description: '类型 — the GraphQL type of the record, e.g. Meeting, Training, Cadre' }),
      label: t.exposeString('label', { description: '摘要 — what the record is, in one line' }),
      date: t.expose('date', { type: 'Date', nullable: true, description: '日期 — the record’s date, where it has one' }),
      counts: t.exposeBoolean('counts', {
        description: '计入 — true when the record counts toward the value; false when shown because it falls short',
      }),
    }),
  });

  builder.queryField('indicators', (t) =>
    t.field({
      type: [IndicatorRef],
      description: '考核指标 — the indicators offered to your department: core’s and those of the plugins it has enabled',
      authScopes: { authenticated: true },
      resolve: async (_root, _args, ctx) => [...(await offeredIndicators(ctx))],
    }),
  );

  builder.queryField('indicatorValues', (t) =>
    t.connection(
      {
        type: ValueRef,
        description:
          '指标值 — an indicator’s value for every organization of a subtree (of the given kinds), over a period; computed for all ' +
          'of them at once, listed top down then by code',
        authScopes: { authenticated: true },
        args: {
          indicatorId: t.arg.id({ required: true, description: '指标标识 — e.g. core.meetings.themeDay' }),
          under: t.arg.id({ required: false, description: '党组织 — this organization and everything below it (default: your own)' }),
          kinds: t.arg({
            type: [OrganizationKindByName],
            required: false,
            description: '类别 — only these kinds (default: the kinds the indicator applies to)',
          }),
          from: t.arg({ type: 'Date', required: true, description: '起始日期 — first day of the period' }),
          to: t.arg({ type: 'Date', required: true, description: '截止日期 — last day of the period; days after today are not yet owed' }),
        },
        resolve: async (_root, args, ctx) => {
          const indicator = await indicatorOrNotFound(ctx, String(args.indicatorId));
          checkPeriod(args.from, args.to, MAX_PERIOD_YEARS);
          const path = await resolveUnder(ctx, args.under);
          const kinds = args.kinds?.length ? args.kinds : indicator.appliesTo;
          const organizations = await ctx.db.organization.findMany({
            where: { path: { startsWith: path }, kind: { in: [...kinds] } },
            orderBy: [{ depth: 'asc' }, { code: 'asc' }],
          });
          const values = await indicator.value({
            db: ctx.db,
            organizations,
            period: { from: args.from, to: args.to },
            today: utcToday(),
          });
          const rows = organizations.map((organization) => ({ organization, value: values.get(organization.id) ?? null }));
          return { ...resolveArrayConnection({ args }, rows), totalCount: rows.length };
        },
      },
      {
        description: '指标值分页 — a page of organizations with their values, and the total count',
        fields: (c) => ({
          totalCount: c.int({
            description: '总数 — organizations in the subtree of the kinds asked for',
            resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
          }),
        }),
      },
      { description: '指标值分页项 — one organization with its value' },
    ),
  );

  builder.queryField('indicatorEvidence', (t) =>
    t.field({
      type: [EvidenceRef],
      description:
        '指标依据 — the records behind one organization’s value of an indicator over a period (meetings held, trainings, posts …), ' +
        'as the indicator lists them (mostly by date); an organization the indicator does not apply to has none',
      authScopes: { authenticated: true },
      args: {
        indicatorId: t.arg.id({ required: true, description: '指标标识 — e.g. core.meetings.themeDay' }),
        organizationId: t.arg.id({ required: true, description: '党组织 — global ID of an organization in your subtree' }),
        from: t.arg({ type: 'Date', required: true, description: '起始日期 — first day of the period' }),
        to: t.arg({ type: 'Date', required: true, description: '截止日期 — last day of the period' }),
      },
      resolve: async (_root, args, ctx) => {
        const indicator = await indicatorOrNotFound(ctx, String(args.indicatorId));
        checkPeriod(args.from, args.to, MAX_PERIOD_YEARS);
        const globalId = String(args.organizationId);
        const organization = await ctx.db.organization.findFirst({
          where: { id: decodeId('Organization', globalId, 'organizationId'), ...organizationScope(ctx) },
          select: { id: true, path: true, kind: true },
        });
        if (!organization) throw new NotFoundError('Organization', globalId);
        const rows = await indicator.evidence({ db: ctx.db, organization, period: { from: args.from, to: args.to }, today: utcToday() });
        return rows.map((row) => ({
          nodeId: encodeGlobalID(row.type, row.id),
          type: row.type,
          label: row.label,
          date: row.date,
          counts: row.counts,
        }));
      },
    }),
  );
}
