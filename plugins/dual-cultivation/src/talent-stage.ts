import {
  activityDetails,
  type ActivityEvent,
  activitySubscription,
  type Builder,
  checkNotFuture,
  ConflictError,
  IllegalStateError,
  InputError,
  loadMember,
  loadOrganization,
  modelRef,
  nationalIdLookup,
  NotFoundError,
  openNationalId,
  patchText,
  resolveUnder,
  sealNationalId,
} from '@dangjian/core';
import { birthDateFromNationalId, isValidNationalId } from '@dangjian/db';
import { findMemberInScope, findOrganizationInScope, isUniqueViolation, WRITERS } from './access.ts';
import type { Deps } from './deps.ts';
import { advanceProblem, needsCultivator, STAGE_LABELS } from './path-rules.ts';
import { isoDate, utcToday } from './personal-data-rules.ts';
import { findTalentInScope } from './talent-mutations.ts';

/** Kinds of organization a membership may belong to, as in core: only a 党支部 holds memberships. */
const MEMBERSHIP_KINDS: readonly string[] = ['BRANCH'];

/** 发展阶段记录 (TalentStageRecord), `advanceTalentStage` and the `talentStageAdvanced` subscription. */
export function registerTalentStage(builder: Builder, { api, enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaObject('TalentStageRecord', {
    description: '发展阶段记录 — one stage of the path reached by a talent, with its date and cultivator (培养联系人)',
    fields: (t) => ({
      stage: t.expose('stage', { type: enums.Stage, description: '阶段 — the stage reached' }),
      date: t.expose('date', { type: 'Date', description: '日期 — the day it was reached' }),
      note: t.exposeString('note', { nullable: true, description: '备注 — note (e.g. 支部大会讨论通过)' }),
      cultivator: t.prismaField({
        type: MemberRef,
        nullable: true,
        description:
          '培养联系人 — the full member cultivating the talent in this stage; null when none was named or the member lies outside your subtree',
        resolve: (query, record, _args, ctx) => (record.cultivatorMemberId ? loadMember(ctx, record.cultivatorMemberId, query) : null),
      }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '联系党组织 — the organization following the talent when the stage was reached (the yearly figures count it there)',
        resolve: (query, record, _args, ctx) => loadOrganization(ctx, record.organizationId, query),
      }),
      talent: t.relation('talent', { description: '致富能人 — the talent' }),
      recordedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
    }),
  });

  const AdvanceInput = builder.inputType('AdvanceTalentStageInput', {
    description:
      '推进发展阶段 — move a talent to the next stage: APPLICANT → ACTIVIST (≥ 1 month later) → DEVELOPMENT_TARGET (≥ 12 months as activist) → PROBATIONARY (≥ 3 months as target); no skipping, no going back, dates not in the future',
    fields: (t) => ({
      talentId: t.id({ required: true, description: '致富能人 — the talent (in your subtree, not already a member)' }),
      stage: t.field({
        type: enums.Stage,
        required: true,
        description: '目标阶段 — the stage reached: exactly the one after the current stage (APPLICANT to start)',
      }),
      date: t.field({
        type: 'Date',
        required: true,
        description:
          '日期 — the day it was reached; not in the future, not before the minimum interval; APPLICANT on or after the 18th birthday',
      }),
      cultivatorId: t.id({ required: false, description: '培养联系人 — a full member of your subtree; required from ACTIVIST on' }),
      note: t.string({ required: false, description: '备注 — note, at most 500 characters' }),
      branchId: t.id({
        required: false,
        description:
          '接收党支部 — for PROBATIONARY: the branch (党支部) of your subtree the new member belongs to; default the talent’s own organization, which must then be a branch',
      }),
    }),
  });

  builder.mutationField('advanceTalentStage', (t) =>
    t.prismaField({
      type: 'Talent',
      description:
        '推进发展阶段 — record the next stage of a talent’s path (ADMIN or SECRETARY). Reaching PROBATIONARY creates the core member record (预备党员, joined on that date) in the same transaction and links it.',
      authScopes: WRITERS,
      args: { input: t.arg({ type: AdvanceInput, required: true, description: '阶段信息 — the stage reached' }) },
      resolve: async (query, _root, { input }, ctx) => {
        const target = input.stage;
        const note = patchText(input.note, 'input.note', 'short', 500) ?? null;
        checkNotFuture(input.date, 'input.date');
        if (needsCultivator(target) && !input.cultivatorId)
          throw new InputError('input.cultivatorId', `is required for ${target}: name the 培养联系人 (a full member)`);
        if (input.branchId && target !== 'PROBATIONARY')
          throw new InputError('input.branchId', 'is only for PROBATIONARY, when the member record is created');
        return api.transact(ctx, async (tx, publish) => {
          const talent = await findTalentInScope(tx, ctx, String(input.talentId), 'input.talentId');
          if (talent.memberId && talent.stage === null) {
            throw new IllegalStateError(`${talent.name} is already a member; the path is for talents who are not`, 'MEMBER');
          }
          const talentNationalId = openNationalId(ctx, talent.nationalId, 'Talent.nationalId');
          const problem = advanceProblem({
            current: talent.stage,
            since: talent.stageSince,
            target,
            date: input.date,
            today: utcToday(),
            birthDate: talentNationalId ? birthDateFromNationalId(talentNationalId) : null,
          });
          if (problem?.kind === 'state') throw new IllegalStateError(`${talent.name}: ${problem.message}`, problem.state);
          if (problem) throw new InputError(problem.field, problem.message);

          const cultivator = input.cultivatorId ? await findMemberInScope(tx, ctx, String(input.cultivatorId), 'input.cultivatorId') : null;
          if (cultivator && cultivator.status !== 'FULL') throw new InputError('input.cultivatorId', 'must be a full member (正式党员)');
          if (cultivator && cultivator.joinedAt.getTime() > input.date.getTime())
            throw new InputError('input.cultivatorId', 'was not yet a member on that date');
          const org = talent.organization;

          let developed: { id: string; branch: { id: string; path: string; name: string } } | null = null;
          if (target === 'PROBATIONARY') {
            if (!talentNationalId || !isValidNationalId(talentNationalId)) {
              throw new InputError(
                'input.talentId',
                'has no valid national ID: set it with updateTalent before the talent becomes a member',
              );
            }
            const branch = input.branchId ? await findOrganizationInScope(tx, ctx, String(input.branchId), 'input.branchId') : org;
            if (!MEMBERSHIP_KINDS.includes(branch.kind)) {
              throw new InputError(
                'input.branchId',
                `memberships belong to a branch (党支部), not to a ${branch.kind}${input.branchId ? '' : ' (the talent’s organization): name one'}`,
              );
            }
            const duplicate = () => new ConflictError('a member with this national ID is already registered', { field: 'input.talentId' });
            if ((await tx.member.count({ where: { nationalIdHash: nationalIdLookup(ctx, talentNationalId) } })) > 0) throw duplicate();
            try {
              const member = await tx.member.create({
                data: {
                  name: talent.name,
                  gender: talent.gender,
                  ...sealNationalId(ctx, talentNationalId, 'Member.nationalId'),
                  birthDate: birthDateFromNationalId(talentNationalId),
                  phone: talent.phone,
                  status: 'PROBATIONARY',
                  joinedAt: input.date,
                  organizationId: branch.id,
                },
                select: { id: true },
              });
              developed = { id: member.id, branch };
            } catch (error) {
              if (isUniqueViolation(error)) throw duplicate();
              throw error;
            }
          }

          let record;
          try {
            record = await tx.talentStageRecord.create({
              data: {
                talentId: talent.id,
                stage: target,
                date: input.date,
                cultivatorMemberId: cultivator?.id ?? null,
                note,
                organizationId: org.id,
              },
            });
          } catch (error) {
            // Another request recorded this stage first.
            if (isUniqueViolation(error)) throw new IllegalStateError(`${talent.name} has already reached ${target}`, target);
            throw error;
          }
          // Optimistic check: the stage must still be the one the rules were checked against.
          const moved = await tx.talent.updateMany({
            where: { id: talent.id, stage: talent.stage },
            data: { stage: target, stageSince: input.date, ...(developed ? { memberId: developed.id } : {}) },
          });
          if (moved.count !== 1) throw new IllegalStateError(`${talent.name}'s stage changed meanwhile; try again`, talent.stage ?? 'NONE');

          await publish('dual-cultivation.stageAdvanced', {
            organization: org,
            subjectType: 'Talent',
            subjectId: talent.id,
            summary: `${talent.name}成为${STAGE_LABELS[target]}（${isoDate(input.date)}）${cultivator ? `，培养联系人${cultivator.name}` : ''}`,
            data: { stage: target, from: talent.stage, date: isoDate(input.date), recordId: record.id },
          });
          if (developed) {
            await publish('dual-cultivation.memberDeveloped', {
              organization: developed.branch,
              subjectType: 'Member',
              subjectId: developed.id,
              summary: `${developed.branch.name}发展致富能人${talent.name}为预备党员（入党日期${isoDate(input.date)}）`,
              data: { talentId: talent.id, joinedAt: isoDate(input.date) },
            });
          }
          return tx.talent.findUniqueOrThrow({ ...query, where: { id: talent.id } });
        });
      },
    }),
  );

  builder.subscriptionField('talentStageAdvanced', (t) =>
    t.prismaField({
      type: 'TalentStageRecord',
      description: '发展阶段推进 — streams stages reached by talents of an organization and its subtree as they are recorded',
      authScopes: { authenticated: true },
      args: {
        under: t.arg.id({ required: false, description: '党组织 — watch this organization and everything below it (default: your own)' }),
      },
      subscribe: (_root, args, ctx) => activitySubscription(ctx, { kinds: ['dual-cultivation.stageAdvanced'], under: args.under }),
      resolve: async (query, event, _args, ctx) => {
        const activity = await activityDetails(ctx, event as unknown as ActivityEvent);
        if (!activity) throw new NotFoundError('Activity', (event as unknown as ActivityEvent).id);
        const { recordId } = activity.data as { recordId: string };
        return ctx.db.talentStageRecord.findUniqueOrThrow({ ...query, where: { id: recordId } });
      },
    }),
  );
}
