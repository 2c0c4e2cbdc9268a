import { createHash } from 'node:crypto';
import { transact } from '../activity/record.ts';
import { assertDraft, assertRunsAssessment, findSchemeInScope } from '../assessment/access.ts';
import { formatHundredths, toHundredths } from '../assessment/points.ts';
import { ruleProblems } from '../assessment/rules.ts';
import { ruleOf } from '../assessment/scheme-rules.ts';
import { cardHash, computeCards } from '../assessment/scorecard-compute.ts';
import { appendAuditIn } from '../audit/append.ts';
import { auditEntry } from '../audit/record.ts';
import { requireViewer } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import { InputError } from '../errors/errors.ts';
import { utcToday } from '../kit/dates.ts';
import { refreshStatistics } from '../kit/statistics.ts';
import { lockDepartmentTrees } from '../kit/tree-lock.ts';
import { ADMIN_OR_SECRETARY } from './cadre-access.ts';

/**
 * Publication computes and freezes every card in one transaction: 17 s for the 6,371 cards of the scale
 * data on an idle machine, and over the 30 s every other mutation gets on a busy one (the bench's publish
 * then failed, masked). A department publishes once a year; ten minutes leaves room at any size we test.
 */
const PUBLISH_TIMEOUT_MS = 10 * 60_000;

/** `publishAssessmentScheme`: freezes every card of a scheme, once. */
export function registerAssessmentSchemePublish(builder: Builder): void {
  builder.mutationField('publishAssessmentScheme', (t) =>
    t.prismaField({
      type: 'AssessmentScheme',
      description:
        '发布考核方案 — validate the scheme and freeze every card of the organizations it covers, in one transaction (the department’s ADMIN or SECRETARY); ' +
        'each card’s hash goes into the audit trail; a published card’s content never changes',
      authScopes: ADMIN_OR_SECRETARY,
      args: { id: t.arg.id({ required: true, description: '方案 ID' }) },
      resolve: async (query, _root, { id }, ctx) => {
        const published = await transact(
          ctx,
          async (tx, record) => {
            const scheme = await findSchemeInScope(tx, ctx, String(id), 'id');
            assertRunsAssessment(ctx, scheme.organizationId);
            assertDraft(scheme);
            // Cards are filed under the paths read below: no organization of the department moves until commit.
            await lockDepartmentTrees(tx, [scheme.organizationId]);
            // Stored schemes were checked when written; checked again so a card is never frozen from a bad one.
            const total = toHundredths(scheme.totalPoints);
            let sum = 0;
            scheme.items.forEach((item, i) => {
              const max = toHundredths(item.maxPoints);
              sum += max;
              const problem = ruleProblems(ruleOf(item), max, total)[0];
              if (problem) throw new InputError(`items[${i}].${problem[0]}`, problem[1]);
            });
            if (scheme.items.length === 0) throw new InputError('id', 'the scheme has no items');
            if (sum !== total) throw new InputError('id', `max points add up to ${formatHundredths(sum)}, not ${formatHundredths(total)}`);

            const viewer = requireViewer(ctx);
            const enabledPlugins = await ctx.plugins.enabledFor(scheme.organizationId);
            const cards = await computeCards(tx, scheme, { indicators: ctx.plugins.indicators, enabledPlugins, today: utcToday() });
            const publishedAt = new Date();
            // In ranking order (computeCards): the position each card keeps.
            const rows = cards.map((card, i) => ({
              schemeId: scheme.id,
              organizationId: card.organizationId,
              path: card.organizationPath,
              kind: card.kind,
              position: i + 1,
              siblingCount: card.siblingCount,
              items: JSON.parse(JSON.stringify(card.items)),
              total: formatHundredths(card.total),
              maxPoints: formatHundredths(card.maxPoints),
              rank: card.rank,
              siblingRank: card.siblingRank,
              vetoed: card.vetoed,
              hash: cardHash(card),
              publishedAt,
            }));
            if (rows.length) await tx.assessmentScorecard.createMany({ data: rows });
            await tx.assessmentScheme.update({
              where: { id: scheme.id },
              data: { state: 'PUBLISHED', publishedAt, publishedBy: viewer.userId, coveredCount: rows.length },
            });
            // Each card's hash, and one over all of them in rank order: the whole ranking is checkable at once.
            const schemeHash = createHash('sha256')
              .update(rows.map((row) => row.hash).join('\n'))
              .digest('hex');
            await appendAuditIn(tx, [
              auditEntry(ctx, {
                operation: 'assessment.publishScheme',
                target: `AssessmentScheme:${scheme.id}`,
                result: `sha256=${schemeHash} scorecards=${rows.length}`,
                organizationId: scheme.organizationId,
              }),
              ...rows.map((row) =>
                auditEntry(ctx, {
                  operation: 'assessment.publishScorecard',
                  target: `AssessmentScorecard:${scheme.id}:${row.organizationId}`,
                  result: `sha256=${row.hash} total=${row.total} rank=${row.rank}`,
                  organizationId: row.organizationId,
                }),
              ),
            ]);
            const department = await tx.organization.findUniqueOrThrow({
              where: { id: scheme.organizationId },
              select: { id: true, path: true },
            });
            await record({
              kind: 'assessment.schemePublished',
              organization: department,
              subjectType: 'AssessmentScheme',
              subjectId: scheme.id,
              summary: `发布考核方案：${scheme.year}年度${scheme.name}（${rows.length}个组织）`,
              data: { year: scheme.year, scorecards: rows.length },
            });
            // One activity per card, at its organization: feeds and `scorecardPublished` reach exactly who may
            // see it. Written in one statement, as the cards and their audit records are.
            await record.many(
              cards.map((card) => ({
                kind: 'assessment.scorecardPublished',
                organization: { id: card.organizationId, path: card.organizationPath },
                subjectType: 'AssessmentScheme',
                subjectId: scheme.id,
                summary: `${scheme.year}年度${scheme.name}得分${formatHundredths(card.total)}，排名第${card.rank}`,
                data: { schemeId: scheme.id, organizationId: card.organizationId },
              })),
            );
            return tx.assessmentScheme.findUniqueOrThrow({ ...query, where: { id: scheme.id } });
          },
          { timeout: PUBLISH_TIMEOUT_MS },
        );
        // Thousands of cards were just written and the ranking is read from them next: the planner must know
        // they are there (see kit/statistics.ts). Only the cards: the activity and audit tables were not planned
        // wrong, and sampling them (the audit trail grows for years) would keep the client waiting.
        await refreshStatistics(ctx.db, ['AssessmentScorecard']);
        return published;
      },
    }),
  );
}
