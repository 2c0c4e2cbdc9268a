import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';
import { registerAssessment } from './assessment.ts';
import { registerCadreMutations } from './cadre-mutations.ts';
import { registerCadreQueries } from './cadre-queries.ts';
import { yearsInPost } from './cadre-rules.ts';
import { modelRef } from './refs.ts';
import { registerRotation } from './rotation.ts';
import { registerTraining } from './training.ts';
import { CadrePost } from '@dangjian/db';

function definePost(builder: Builder) {
  return builder.enumType(CadrePost, {
    name: 'CadrePost',
    description: '党务职务 — party-affairs post',
    values: {
      SECRETARY: { description: '书记 — secretary' },
      DEPUTY_SECRETARY: { description: '副书记 — deputy secretary' },
      FULL_TIME_DEPUTY_SECRETARY: { description: '专职副书记 — full-time deputy secretary' },
      ORGANIZATION_MEMBER: { description: '组织委员 — committee member for organization' },
      PROPAGANDA_MEMBER: { description: '宣传委员 — committee member for propaganda' },
      DISCIPLINE_MEMBER: { description: '纪检委员 — committee member for discipline inspection' },
      COMMITTEE_MEMBER: { description: '委员 — committee member' },
    },
  });
}

/** The GraphQL enum of party-affairs posts. */
export type CadrePostRef = ReturnType<typeof definePost>;

/** Latest training date per member, for many members in one grouped statement. */
async function lastTrainingDates(ctx: Context, memberIds: readonly string[]): Promise<(Date | null)[]> {
  const rows = await ctx.db.training.groupBy({ by: ['memberId'], where: { memberId: { in: [...memberIds] } }, _max: { date: true } });
  const byMember = new Map(rows.map((r) => [r.memberId, r._max.date]));
  return memberIds.map((id) => byMember.get(id) ?? null);
}

/** 党务干部 (Cadre): a member's post in an organization, with the records of training, assessment and rotation. */
export function registerCadre(builder: Builder): void {
  const Post = definePost(builder);
  registerTraining(builder);
  registerAssessment(builder);
  registerRotation(builder);
  registerCadreMutations(builder, { Post });
  registerCadreQueries(builder, { Post });

  // The member side of posts lives here, beside the Cadre type it returns.
  builder.prismaObjectField('Member', 'cadrePosts', (t) =>
    t.relation('cadrePosts', {
      description: '党务职务 — posts the member holds or held, current first then most recent',
      query: { orderBy: [{ endDate: { sort: 'desc', nulls: 'first' } }, { startDate: 'desc' }] },
    }),
  );

  const TrainingRef = modelRef(builder, 'Training');
  const AssessmentRef = modelRef(builder, 'Assessment');
  const RotationRef = modelRef(builder, 'Rotation');

  builder.prismaNode('Cadre', {
    description: '党务干部 — a member holding a party-affairs post in an organization',
    id: { field: 'id' },
    // `node(id:)` must answer for a post outside the viewer's subtree exactly as for a missing one.
    findUnique: (id, ctx) => ({ id, organization: organizationScope(ctx) }),
    nullable: true,
    fields: (t) => ({
      post: t.expose('post', { type: Post, description: '职务 — post' }),
      fullTime: t.exposeBoolean('fullTime', { description: '专职 — true for full-time (专职), false for part-time (兼职)' }),
      startDate: t.expose('startDate', { type: 'Date', description: '任职日期 — appointed on' }),
      endDate: t.expose('endDate', { type: 'Date', nullable: true, description: '离任日期 — left the post on (null while serving)' }),
      current: t.boolean({ description: '现任 — true while the post is held (no end date)', resolve: (cadre) => cadre.endDate === null }),
      yearsInPost: t.float({
        description: '任职年限 — years in this post to one decimal, up to the end date or today while serving',
        resolve: (cadre) => yearsInPost(cadre.startDate, cadre.endDate),
      }),
      member: t.relation('member', { description: '党员 — who holds the post' }),
      organization: t.relation('organization', { description: '党组织 — where the post is' }),
      // Trainings, assessments and rotations belong to the person, not to one post: read through the member.
      trainings: t.field({
        type: [TrainingRef],
        description: '培训记录 — trainings of the post holder, most recent first',
        select: (_args, _ctx, nested) => ({ member: { select: { trainings: nested({ orderBy: [{ date: 'desc' }, { id: 'desc' }] }) } } }),
        resolve: (cadre) => cadre.member.trainings,
      }),
      lastTrainedOn: t.field({
        type: 'Date',
        nullable: true,
        description: '最近培训日期 — date of the holder’s most recent training (null if never trained)',
        resolve: (cadre, _args, ctx) =>
          requestLoader(ctx, 'cadre.lastTrainedOn', (ids: readonly string[]) => lastTrainingDates(ctx, ids)).load(cadre.memberId),
      }),
      assessments: t.field({
        type: [AssessmentRef],
        description: '年度考核 — yearly assessments of the post holder, most recent year first',
        select: (_args, _ctx, nested) => ({ member: { select: { assessments: nested({ orderBy: { year: 'desc' } }) } } }),
        resolve: (cadre) => cadre.member.assessments,
      }),
      rotations: t.field({
        type: [RotationRef],
        description: '交流记录 — rotations of the post holder, most recent first',
        select: (_args, _ctx, nested) => ({ member: { select: { rotations: nested({ orderBy: [{ date: 'desc' }, { id: 'desc' }] }) } } }),
        resolve: (cadre) => cadre.member.rotations,
      }),
    }),
  });
}
