import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { ADMIN_OR_SECRETARY, assertMayWrite, findMemberInScope } from './cadre-access.ts';
import { optionalText } from '../kit/validate/index.ts';
import { utcToday } from '../kit/dates.ts';
import { uniqueOrConflict } from '../kit/unique.ts';
import { GRADE_LABELS } from './cadre-rules.ts';
import { AssessmentGrade } from '@dangjian/db';

/** 考核 (Assessment): the yearly assessment of a cadre, and `recordAssessment`. */
export function registerAssessment(builder: Builder): void {
  const Grade = builder.enumType(AssessmentGrade, {
    name: 'AssessmentGrade',
    description: '考核等次 — grade of a yearly assessment',
    values: {
      EXCELLENT: { description: '优秀 — excellent' },
      COMPETENT: { description: '称职 — competent' },
      BASICALLY_COMPETENT: { description: '基本称职 — basically competent' },
      INCOMPETENT: { description: '不称职 — incompetent' },
    },
  });

  builder.prismaNode('Assessment', {
    description: '考核 — the yearly assessment of a cadre (at most one per member and year)',
    id: { field: 'id' },
    findUnique: (id, ctx) => ({ id, member: { organization: organizationScope(ctx) } }),
    nullable: true,
    fields: (t) => ({
      year: t.exposeInt('year', { description: '年度 — the year assessed' }),
      grade: t.expose('grade', { type: Grade, description: '等次 — grade' }),
      notes: t.exposeString('notes', {
        nullable: true,
        description: '评语 — notes, e.g. on 德能勤绩廉 (integrity, ability, diligence, results, probity)',
      }),
      member: t.relation('member', { description: '党员 — who was assessed' }),
    }),
  });

  const RecordAssessmentInput = builder.inputType('RecordAssessmentInput', {
    description: '登记年度考核 — record the yearly assessment of a cadre',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — the cadre assessed' }),
      year: t.int({
        required: true,
        description: '年度 — the year assessed; not after the current year, and the member must have held a post in it',
      }),
      grade: t.field({ type: Grade, required: true, description: '等次 — grade' }),
      notes: t.string({ required: false, description: '评语 — notes (at most 2000 characters)' }),
    }),
  });

  builder.mutationField('recordAssessment', (t) =>
    t.prismaField({
      type: 'Assessment',
      description:
        '登记年度考核 — record a cadre’s yearly assessment (ADMIN, or SECRETARY of an organization above the member’s); one per member and year',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: RecordAssessmentInput, required: true, description: '考核信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const thisYear = utcToday().getUTCFullYear();
        if (!Number.isInteger(input.year) || input.year < 1949 || input.year > thisYear) {
          throw new InputError('input.year', `must be a year from 1949 to ${thisYear}`);
        }
        const notes = optionalText(input.notes, 'input.notes', 'long', 2000);
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          assertMayWrite(ctx, member.organization, true);
          // 考核 is of cadres: the member must have held some post during the year assessed.
          const served = await tx.cadre.count({
            where: {
              memberId: member.id,
              startDate: { lte: new Date(Date.UTC(input.year, 11, 31)) },
              OR: [{ endDate: null }, { endDate: { gte: new Date(Date.UTC(input.year, 0, 1)) } }],
            },
          });
          if (served === 0) throw new InputError('input.year', `${member.name} held no party-affairs post in ${input.year}`);
          const conflict = () => new ConflictError(`${member.name} already has an assessment for ${input.year}`, { field: 'input.year' });
          if ((await tx.assessment.count({ where: { memberId: member.id, year: input.year } })) > 0) throw conflict();
          const assessment = await uniqueOrConflict(
            () => tx.assessment.create({ ...query, data: { memberId: member.id, year: input.year, grade: input.grade, notes } }),
            conflict,
          );
          await record({
            kind: 'cadre.assessmentRecorded',
            organization: member.organization,
            subjectType: 'Assessment',
            subjectId: assessment.id,
            summary: `${member.name}${input.year}年度考核：${GRADE_LABELS[input.grade]}`,
            data: { memberId: member.id, year: input.year, grade: input.grade },
          });
          return assessment;
        });
      },
    }),
  );
}
