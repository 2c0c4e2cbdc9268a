import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { transact } from '../activity/record.ts';
import { assertDraft, assertRunsAssessment, departmentOf } from '../assessment/access.ts';
import { formatHundredths, isParameterText, toHundredths } from '../assessment/points.ts';
import { appendAuditIn } from '../audit/append.ts';
import { auditEntry } from '../audit/record.ts';
import { requireViewer } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import { IllegalStateError, InputError, NotFoundError } from '../errors/errors.ts';
import { optionalText, requiredText } from '../kit/validate/index.ts';
import { ADMIN_OR_SECRETARY } from './cadre-access.ts';
import { decodeId } from './global-id.ts';

/** 人工评分 (AssessmentManualScore): a manual item's value for one organization, and `setAssessmentManualScore`. */
export function registerAssessmentManualScore(builder: Builder): void {
  builder.prismaObject('AssessmentManualScore', {
    description: '人工评分 — the value the department gave a manual item for one organization, with its reason',
    fields: (t) => ({
      id: t.exposeID('id', { description: '评分 ID' }),
      value: t.field({
        type: 'Decimal',
        description: '评分值 — the raw value the item’s rule scores (with PROPORTIONAL and target = max points, the points)',
        resolve: (s) => formatHundredths(toHundredths(s.value)),
      }),
      reason: t.exposeString('reason', { description: '理由 — why' }),
      evidence: t.exposeString('evidence', { nullable: true, description: '佐证 — evidence, as text' }),
      scoredBy: t.exposeString('scoredBy', { description: '评分人 — user id' }),
      scoredAt: t.expose('scoredAt', { type: 'DateTime', description: '评分时间' }),
      item: t.relation('item', { description: '考核指标 — the item' }),
      organization: t.relation('organization', { description: '被考核组织 — the organization scored' }),
    }),
  });

  const Input = builder.inputType('SetAssessmentManualScoreInput', {
    description: '人工评分 — set (or change, until the scheme is published) a manual item’s value for one organization',
    fields: (t) => ({
      schemeId: t.id({ required: true, description: '方案 ID' }),
      itemId: t.id({ required: true, description: '指标 ID — an item of the scheme with source MANUAL' }),
      organizationId: t.id({ required: true, description: '被考核组织 — an organization the scheme covers' }),
      value: t.field({ type: 'Decimal', required: true, description: '评分值 — at most two decimals' }),
      reason: t.string({ required: true, description: '理由 — required (at most 1000 characters)' }),
      evidence: t.string({ required: false, description: '佐证 — optional evidence text (at most 5000 characters)' }),
    }),
  });

  builder.mutationField('setAssessmentManualScore', (t) =>
    t.prismaField({
      type: 'AssessmentManualScore',
      description: '人工评分 — set a manual item’s value for an organization (the department’s ADMIN or SECRETARY); audited',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: Input, required: true, description: '评分' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const schemeId = decodeId('AssessmentScheme', String(input.schemeId), 'input.schemeId');
        const organizationId = decodeId('Organization', String(input.organizationId), 'input.organizationId');
        if (!isParameterText(input.value)) throw new InputError('input.value', 'must be a number with at most two decimals');
        const value = formatHundredths(toHundredths(input.value));
        const reason = requiredText(input.reason, 'input.reason', 'short');
        const evidence = optionalText(input.evidence, 'input.evidence', 'long');
        const itemId = String(input.itemId);
        return transact(ctx, async (tx, record) => {
          const viewer = requireViewer(ctx);
          const scheme = await tx.assessmentScheme.findFirst({
            where: { id: schemeId, organizationId: departmentOf(ctx) },
            include: { items: { where: { id: itemId } } },
          });
          if (!scheme) throw new NotFoundError('AssessmentScheme', String(input.schemeId));
          assertRunsAssessment(ctx, scheme.organizationId);
          assertDraft(scheme);
          const item = scheme.items[0];
          if (!item) throw new InputError('input.itemId', 'is not an item of this scheme');
          if (item.source !== 'MANUAL') throw new IllegalStateError(`${item.name} is scored from ${item.source}, not by hand`, item.source);
          const org = await tx.organization.findFirst({
            where: { id: organizationId, path: { startsWith: `/${scheme.organizationId}/` } },
            select: { id: true, path: true, name: true, kind: true },
          });
          if (!org) throw new NotFoundError('Organization', String(input.organizationId));
          if (!scheme.kinds.includes(org.kind))
            throw new InputError('input.organizationId', `${org.name} is not of a kind the scheme covers`);
          const score = await tx.assessmentManualScore.upsert({
            where: { itemId_organizationId: { itemId: item.id, organizationId: org.id } },
            create: { itemId: item.id, organizationId: org.id, value, reason, evidence, scoredBy: viewer.userId },
            update: { value, reason, evidence, scoredBy: viewer.userId, scoredAt: new Date() },
          });
          // Manual scores decide rankings: each one is in the tamper-evident audit trail, with its reason.
          await appendAuditIn(tx, [
            auditEntry(ctx, {
              operation: 'assessment.setManualScore',
              target: `AssessmentManualScore:${score.id}`,
              result: JSON.stringify({ item: item.id, organization: org.id, value, reason }),
              organizationId: org.id,
            }),
          ]);
          await record({
            kind: 'assessment.manualScoreSet',
            organization: org,
            subjectType: 'AssessmentScheme',
            subjectId: scheme.id,
            summary: `人工评分：${org.name}「${item.name}」${value}（${reason}）`,
            data: { itemId: item.id, value, reason },
          });
          return tx.assessmentManualScore.findUniqueOrThrow({ ...query, where: { id: score.id } });
        });
      },
    }),
  );
}
