import {
  activityDetails,
  type ActivityEvent,
  activitySubscription,
  type Builder,
  loadMember,
  loadOrganization,
  modelRef,
  NotFoundError,
} from '@dangjian/core';
import type { Deps } from './deps.ts';

/**
 * 发展阶段记录 (TalentStageRecord) and the `talentStageAdvanced` subscription. Stages are reached by recording
 * steps of the talent's development record (talent-development.ts), no longer set directly.
 */
export function registerTalentStage(builder: Builder, { enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaObject('TalentStageRecord', {
    description:
      '发展阶段记录 — one stage of the path reached by a talent, with its date: written when a recorded step of the talent’s development record begins the stage (3 ACTIVIST, 7 DEVELOPMENT_TARGET, 15 PROBATIONARY); stages reached before the procedure keep their cultivator (培养联系人)',
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
