import { AssessmentCategory, AssessmentItemSource, OrganizationKind } from '@dangjian/db';
import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { transact } from '../activity/record.ts';
import { assertDraft, assertRunsAssessment, findSchemeInScope } from '../assessment/access.ts';
import { formatHundredths, isPointsText, toHundredths } from '../assessment/points.ts';
import { requireViewer } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { rootOf } from '../plugin/access.ts';
import { uniqueOrConflict } from '../kit/unique.ts';
import { requiredText } from '../kit/validate/index.ts';
import { utcToday } from '../kit/dates.ts';
import { INDICATOR_ID } from '../assessment/indicator.ts';
import { parseRule, type AssessmentRuleRefs, type RuleInputShape } from './assessment-rule.ts';
import { ADMIN_OR_SECRETARY } from './cadre-access.ts';

interface ItemInputShape {
  category: AssessmentCategory;
  name: string;
  maxPoints: string;
  source: AssessmentItemSource;
  indicatorId?: string | null;
  rule: RuleInputShape;
}

/** Checks a scheme's points and items; answers the item rows. Every error names the field as the client wrote it. */
function parseItems(items: readonly ItemInputShape[], totalText: string, field: string) {
  if (!isPointsText(totalText)) throw new InputError(`${field}.totalPoints`, 'must be points > 0 with at most two decimals');
  const total = toHundredths(totalText);
  if (total <= 0) throw new InputError(`${field}.totalPoints`, 'must be greater than 0');
  if (items.length === 0) throw new InputError(`${field}.items`, 'needs at least one item');
  if (items.length > 200) throw new InputError(`${field}.items`, 'has more than 200 items');
  let sum = 0;
  const rows = items.map((item, position) => {
    const at = `${field}.items[${position}]`;
    const name = requiredText(item.name, `${at}.name`, 'name');
    if (!isPointsText(item.maxPoints)) throw new InputError(`${at}.maxPoints`, 'must be points ≥ 0 with at most two decimals');
    const maxPoints = toHundredths(item.maxPoints);
    // A veto item may carry no points of its own; every other item must be worth something.
    if (maxPoints === 0 && item.rule.kind !== 'VETO') throw new InputError(`${at}.maxPoints`, 'must be greater than 0');
    sum += maxPoints;
    let indicatorId: string | null = null;
    if (item.source === 'INDICATOR') {
      const id = item.indicatorId?.trim();
      if (!id) throw new InputError(`${at}.indicatorId`, 'is required for an INDICATOR item');
      if (!INDICATOR_ID.test(id) || id.length > 120)
        throw new InputError(`${at}.indicatorId`, 'must be an indicator id such as core.meetings.themeDay');
      indicatorId = id;
    } else if (item.indicatorId) {
      throw new InputError(`${at}.indicatorId`, `must be empty for a ${item.source} item`);
    }
    const { columns } = parseRule(item.rule, maxPoints, total, `${at}.rule`);
    return {
      position,
      category: item.category,
      name,
      maxPoints: formatHundredths(maxPoints),
      source: item.source,
      indicatorId,
      ...columns,
    };
  });
  if (sum !== total) {
    throw new InputError(`${field}.items`, `max points add up to ${formatHundredths(sum)}, not the total ${formatHundredths(total)}`);
  }
  return { total: formatHundredths(total), rows };
}

function parseKinds(kinds: readonly OrganizationKind[], field: string): OrganizationKind[] {
  if (kinds.length === 0) throw new InputError(field, 'needs at least one organization kind');
  return [...new Set(kinds)];
}

function checkYear(year: number, field: string): void {
  const next = utcToday().getUTCFullYear() + 1;
  if (!Number.isInteger(year) || year < 2000 || year > next) throw new InputError(field, `must be a year from 2000 to ${next}`);
}

/** Mutations of 考核方案: create, update and delete while DRAFT. */
export function registerAssessmentSchemeMutations(builder: Builder, { RuleInput }: AssessmentRuleRefs): void {
  const ItemInput = builder.inputType('AssessmentItemInput', {
    description: '考核指标 — one item of a scheme',
    fields: (t) => ({
      category: t.field({ type: AssessmentCategory, required: true, description: '类别 — 党建 / 业务 / 融合' }),
      name: t.string({ required: true, description: '名称 — name (at most 200 characters)' }),
      maxPoints: t.field({ type: 'Decimal', required: true, description: '分值 — max points, > 0 (a VETO item may have 0)' }),
      source: t.field({ type: AssessmentItemSource, required: true, description: '来源 — INDICATOR, MANUAL or TASKS' }),
      indicatorId: t.string({ required: false, description: '指标标识 — INDICATOR only: the indicator’s id, e.g. core.meetings.themeDay' }),
      rule: t.field({ type: RuleInput, required: true, description: '计分规则 — the rule and its parameters' }),
    }),
  });

  const CreateInput = builder.inputType('CreateAssessmentSchemeInput', {
    description: '新建考核方案 — a scheme of your department',
    fields: (t) => ({
      year: t.int({ required: true, description: '年度 — from 2000 to next year' }),
      name: t.string({ required: true, description: '名称 — unique in the department and year' }),
      totalPoints: t.field({ type: 'Decimal', required: true, description: '总分 — the items’ max points must add up to it exactly' }),
      kinds: t.field({
        type: [OrganizationKind],
        required: true,
        description: '适用组织类型 — the kinds of organization of the tree it covers',
      }),
      items: t.field({ type: [ItemInput], required: true, description: '考核指标 — the items, in order' }),
    }),
  });

  const UpdateInput = builder.inputType('UpdateAssessmentSchemeInput', {
    description: '修改考核方案 — fields left out keep their value; `items`, when given, replace all items (and their manual scores)',
    fields: (t) => ({
      name: t.string({ required: false, description: '名称' }),
      totalPoints: t.field({ type: 'Decimal', required: false, description: '总分 — with `items`, or matching the current items' }),
      kinds: t.field({ type: [OrganizationKind], required: false, description: '适用组织类型' }),
      items: t.field({ type: [ItemInput], required: false, description: '考核指标 — the new items, in order' }),
    }),
  });

  const conflict = (name: string, year: number) =>
    new ConflictError(`a scheme named ${name} already exists for ${year}`, { field: 'input.name' });

  builder.mutationField('createAssessmentScheme', (t) =>
    t.prismaField({
      type: 'AssessmentScheme',
      description: '新建考核方案 — create a DRAFT scheme of your department (its ADMIN or SECRETARY)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: CreateInput, required: true, description: '方案' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const department = rootOf(requireViewer(ctx));
        assertRunsAssessment(ctx, department);
        checkYear(input.year, 'input.year');
        const name = requiredText(input.name, 'input.name', 'name');
        const kinds = parseKinds(input.kinds, 'input.kinds');
        const { total, rows } = parseItems(input.items, input.totalPoints, 'input');
        return transact(ctx, async (tx, record) => {
          const scheme = await uniqueOrConflict(
            () =>
              tx.assessmentScheme.create({
                data: { organizationId: department, year: input.year, name, totalPoints: total, kinds, items: { create: rows } },
                include: { organization: { select: { id: true, path: true } } },
              }),
            () => conflict(name, input.year),
          );
          await record({
            kind: 'assessment.schemeCreated',
            organization: scheme.organization,
            subjectType: 'AssessmentScheme',
            subjectId: scheme.id,
            summary: `新建考核方案：${input.year}年度${name}（${rows.length}项，总分${total}）`,
            data: { year: input.year, items: rows.length, totalPoints: total },
          });
          return tx.assessmentScheme.findUniqueOrThrow({ ...query, where: { id: scheme.id } });
        });
      },
    }),
  );

  builder.mutationField('updateAssessmentScheme', (t) =>
    t.prismaField({
      type: 'AssessmentScheme',
      description: '修改考核方案 — change a DRAFT scheme (ILLEGAL_STATE once published)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        id: t.arg.id({ required: true, description: '方案 ID' }),
        input: t.arg({ type: UpdateInput, required: true, description: '修改内容' }),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        const name = input.name == null ? undefined : requiredText(input.name, 'input.name', 'name');
        const kinds = input.kinds == null ? undefined : parseKinds(input.kinds, 'input.kinds');
        return transact(ctx, async (tx, record) => {
          const scheme = await findSchemeInScope(tx, ctx, String(id), 'id');
          assertRunsAssessment(ctx, scheme.organizationId);
          assertDraft(scheme);
          const totalText = input.totalPoints ?? formatHundredths(toHundredths(scheme.totalPoints));
          // Items given are checked as a whole; without them the current items must still match a new total.
          const items: ItemInputShape[] =
            input.items ??
            scheme.items.map((i) => ({
              category: i.category,
              name: i.name,
              maxPoints: formatHundredths(toHundredths(i.maxPoints)),
              source: i.source,
              indicatorId: i.indicatorId,
              rule: {
                kind: i.rule,
                target: i.target?.toString() ?? null,
                steps: (i.steps as { atLeast: string; points: string }[] | null) ?? null,
                perOccurrence: i.perOccurrence?.toString() ?? null,
                floor: i.floor?.toString() ?? null,
                threshold: i.threshold?.toString() ?? null,
                cap: i.cap?.toString() ?? null,
              },
            }));
          const { total, rows } = parseItems(items, totalText, 'input');
          if (input.items) await tx.assessmentItem.deleteMany({ where: { schemeId: scheme.id } });
          const updated = await uniqueOrConflict(
            () =>
              tx.assessmentScheme.update({
                where: { id: scheme.id },
                data: { name, kinds, totalPoints: total, ...(input.items ? { items: { create: rows } } : {}) },
                include: { organization: { select: { id: true, path: true } } },
              }),
            () => conflict(name ?? scheme.name, scheme.year),
          );
          await record({
            kind: 'assessment.schemeUpdated',
            organization: updated.organization,
            subjectType: 'AssessmentScheme',
            subjectId: scheme.id,
            summary: `修改考核方案：${updated.year}年度${updated.name}`,
            data: { itemsReplaced: Boolean(input.items), totalPoints: total },
          });
          return tx.assessmentScheme.findUniqueOrThrow({ ...query, where: { id: scheme.id } });
        });
      },
    }),
  );

  builder.mutationField('deleteAssessmentScheme', (t) =>
    t.id({
      description: '删除考核方案 — delete a DRAFT scheme with its items and manual scores; answers its ID',
      authScopes: ADMIN_OR_SECRETARY,
      args: { id: t.arg.id({ required: true, description: '方案 ID' }) },
      resolve: async (_root, { id }, ctx) =>
        transact(ctx, async (tx, record) => {
          const scheme = await findSchemeInScope(tx, ctx, String(id), 'id');
          assertRunsAssessment(ctx, scheme.organizationId);
          assertDraft(scheme);
          const department = await tx.organization.findUniqueOrThrow({
            where: { id: scheme.organizationId },
            select: { id: true, path: true },
          });
          await tx.assessmentTask.updateMany({ where: { schemeId: scheme.id }, data: { schemeId: null } });
          await tx.assessmentScheme.delete({ where: { id: scheme.id } });
          await record({
            kind: 'assessment.schemeDeleted',
            organization: department,
            subjectType: 'AssessmentScheme',
            subjectId: scheme.id,
            summary: `删除考核方案：${scheme.year}年度${scheme.name}`,
          });
          return String(id);
        }),
    }),
  );
}
