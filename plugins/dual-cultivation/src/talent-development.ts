// A talent's path into the party runs on core's 发展党员 procedure (25 steps, every rule of it): the talent
// links to a core DevelopmentRecord by a plain id column, starting the path is core's `startDevelopmentIn`,
// each step is core's `recordDevelopmentStepIn`, and the talent's stage follows from the steps recorded.
import {
  addMonths,
  type Builder,
  type Context,
  type DevelopmentStepInput,
  ConflictError,
  IDEMPOTENCY_KEY_ARG,
  IllegalStateError,
  InputError,
  isoDate,
  loadDevelopmentRecord,
  modelRef,
  nationalIdLookup,
  openNationalId,
  type Publish as PublishOf,
  type RecordActivity,
  recordDevelopmentStepIn,
  sealNationalId,
  startDevelopmentIn,
  type Tx,
} from '@dangjian/core';
import { birthDateFromNationalId, type TalentPathStage } from '@dangjian/db';
import { WRITERS } from './access.ts';
import type { Deps } from './deps.ts';
import type { DualCultivationEvent } from './events.ts';
import { STAGE_FIRST_STEP, STAGE_LABELS, stagesReached } from './path-rules.ts';
import { findTalentInScope } from './talent-mutations.ts';

type Publish = PublishOf<DualCultivationEvent>;
type Types = Builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type Talent = Awaited<ReturnType<typeof findTalentInScope>>;

/** Months of the probation the record of a migrated PROBATIONARY talent counts from its date (step 15). */
const PROBATION_MONTHS = 12;

/** Refuses a talent without a (decryptable) national ID: a development record cannot exist without one. */
function talentNationalId(ctx: Context, talent: Talent): string {
  const nationalId = openNationalId(ctx, talent.nationalId, 'Talent.nationalId');
  if (!nationalId) {
    throw new InputError('talentId', 'has no national ID: set it with updateTalent first (the development record needs it)');
  }
  return nationalId;
}

/**
 * Migrates a talent whose path was recorded before the procedure (TalentStageRecord rows, no record) to a
 * core development record, at the first write on that path. Not in the migration SQL: the record's
 * national ID is encrypted with the record's own field as associated data, which SQL cannot do. Each stage
 * known becomes the step that begins it (APPLICANT 1, ACTIVIST 3, DEVELOPMENT_TARGET 7, PROBATIONARY 15)
 * with its date; the steps between are not known and stay unrecorded, which each entry's account says.
 */
async function linkRecordedPath(tx: Tx, ctx: Context, record: RecordActivity, publish: Publish, talent: Talent): Promise<string> {
  const nationalId = talentNationalId(ctx, talent);
  const stages = await tx.talentStageRecord.findMany({ where: { talentId: talent.id }, orderBy: [{ date: 'asc' }, { createdAt: 'asc' }] });
  if (stages.length === 0) throw new IllegalStateError(`${talent.name} has not started the path: use startTalentDevelopment`, 'NONE');
  const hash = nationalIdLookup(ctx, nationalId);
  if ((await tx.developmentRecord.count({ where: { nationalIdHash: hash, state: 'ACTIVE' } })) > 0) {
    throw new ConflictError('an active development record for this national ID exists', { field: 'talentId' });
  }
  const last = stages[stages.length - 1]!;
  const probationary = stages.find((s) => s.stage === 'PROBATIONARY');
  // A developed talent's record belongs to the member's branch; otherwise to the organization following the talent.
  const member = talent.memberId
    ? await tx.member.findUnique({ where: { id: talent.memberId }, select: { id: true, organizationId: true } })
    : null;
  const organizationId = member?.organizationId ?? talent.organizationId;
  const created = await tx.developmentRecord.create({
    data: {
      ...sealNationalId(ctx, nationalId, 'DevelopmentRecord.nationalId'),
      name: talent.name,
      gender: talent.gender,
      birthDate: birthDateFromNationalId(nationalId)!,
      organizationId,
      step: STAGE_FIRST_STEP[last.stage],
      stepDate: last.date,
      appliedAt: stages[0]!.date,
      memberId: probationary && member ? member.id : null,
      probationEndsAt: probationary ? addMonths(probationary.date, PROBATION_MONTHS) : null,
      entries: {
        create: stages.map((s) => ({
          step: STAGE_FIRST_STEP[s.stage],
          date: s.date,
          account:
            `迁移自双培双带：${STAGE_LABELS[s.stage]}${s.note ? `（${s.note}）` : ''}` +
            (STAGE_FIRST_STEP[s.stage] > 1 ? '；此前各步骤的日期未知，未记录' : ''),
        })),
      },
    },
    select: { id: true },
  });
  await tx.talent.update({ where: { id: talent.id }, data: { developmentRecordId: created.id }, select: { id: true } });
  await record({
    kind: 'development.started',
    organization: await tx.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { id: true, path: true } }),
    subjectType: 'DevelopmentRecord',
    subjectId: created.id,
    summary: `${talent.name}的双培双带发展阶段迁入发展党员记录（至第${STAGE_FIRST_STEP[last.stage]}步）`,
    data: { step: STAGE_FIRST_STEP[last.stage], date: isoDate(last.date), migrated: true },
  });
  await publish('dual-cultivation.developmentLinked', {
    organization: talent.organization,
    subjectType: 'Talent',
    subjectId: talent.id,
    summary: `致富能人${talent.name}的发展阶段迁入发展党员程序`,
    data: { stage: last.stage, migrated: true },
  });
  return created.id;
}

/**
 * Brings the talent's stage, its TalentStageRecord rows and its member link in line with the steps of its
 * development record (also steps recorded through core's own mutation since), publishing each stage newly
 * reached and the member developed at step 15.
 */
async function syncStage(tx: Tx, publish: Publish, talent: Talent, recordId: string): Promise<void> {
  const [entries, dev, known] = await Promise.all([
    tx.developmentEntry.findMany({ where: { recordId, kind: 'STEP' }, select: { step: true, date: true } }),
    tx.developmentRecord.findUniqueOrThrow({
      where: { id: recordId },
      select: { memberId: true, organization: { select: { id: true, path: true, name: true } } },
    }),
    tx.talentStageRecord.findMany({ where: { talentId: talent.id }, select: { stage: true } }),
  ]);
  const reached = stagesReached(entries);
  const had = new Set(known.map((k) => k.stage));
  for (const { stage, date } of reached) {
    if (had.has(stage)) continue;
    const row = await tx.talentStageRecord.create({
      data: {
        talentId: talent.id,
        stage,
        date,
        note: `发展党员第${STAGE_FIRST_STEP[stage]}步起`,
        organizationId: talent.organizationId,
      },
      select: { id: true },
    });
    await publish('dual-cultivation.stageAdvanced', {
      organization: talent.organization,
      subjectType: 'Talent',
      subjectId: talent.id,
      summary: `${talent.name}成为${STAGE_LABELS[stage]}（${isoDate(date)}）`,
      data: { stage, date: isoDate(date), recordId: row.id },
    });
  }
  const current = reached[reached.length - 1];
  const developed = dev.memberId && talent.memberId !== dev.memberId ? dev.memberId : null;
  await tx.talent.update({
    where: { id: talent.id },
    data: {
      stage: (current?.stage ?? null) as TalentPathStage | null,
      stageSince: current?.date ?? null,
      ...(developed ? { memberId: developed } : {}),
    },
    select: { id: true },
  });
  if (developed) {
    const joinedAt = reached.find((r) => r.stage === 'PROBATIONARY')?.date;
    await publish('dual-cultivation.memberDeveloped', {
      organization: dev.organization,
      subjectType: 'Member',
      subjectId: developed,
      summary: `${dev.organization.name}发展致富能人${talent.name}为预备党员${joinedAt ? `（入党日期${isoDate(joinedAt)}）` : ''}`,
      data: { talentId: talent.id, joinedAt: joinedAt ? isoDate(joinedAt) : null },
    });
  }
}

/** `Talent.development`, `startTalentDevelopment` and `recordTalentStep`. */
export function registerTalentDevelopment(builder: Builder, { api }: Deps): void {
  const DevelopmentRecordRef = modelRef(builder, 'DevelopmentRecord');
  // Core's input, reached by its registered name (as enums.ts reaches Gender): the same step input as core's mutation.
  const StepInput = 'RecordDevelopmentStepInput' as unknown as PothosSchemaTypes.InputObjectRef<Types, DevelopmentStepInput>;

  builder.prismaObjectField('Talent', 'development', (t) =>
    t.prismaField({
      type: DevelopmentRecordRef,
      nullable: true,
      description:
        '发展记录 — the core development record (发展党员, 25 steps) the talent is developed on; null before the path starts, for a path recorded before the procedure until its next step is recorded, or when the record’s branch lies outside your subtree',
      resolve: (query, talent, _args, ctx) =>
        talent.developmentRecordId ? loadDevelopmentRecord(ctx, talent.developmentRecordId, query) : null,
    }),
  );

  const StartInput = builder.inputType('StartTalentDevelopmentInput', {
    description: '致富能人递交入党申请书 — step 1 of the procedure for a talent; the talent’s name and national ID are used',
    fields: (t) => ({
      talentId: t.id({ required: true, description: '致富能人 — the talent (in your subtree, with a national ID, not a member)' }),
      organizationId: t.id({ required: true, description: '党支部 — the branch of your subtree that receives the application' }),
      appliedAt: t.field({
        type: 'Date',
        required: true,
        description: '申请日期 — the day of the application; not in the future; the talent at least 18 on it',
      }),
      account: t.string({ required: false, description: '情况说明 — an account of the application (at most 1000 characters)' }),
    }),
  });

  builder.mutationField('startTalentDevelopment', (t) =>
    t.prismaField({
      type: 'Talent',
      description:
        '致富能人入党申请 — start a talent’s path: core’s development record with step 1 (递交入党申请书), linked to the talent, who becomes APPLICANT (ADMIN or SECRETARY). Further steps: `recordTalentStep`.',
      authScopes: WRITERS,
      args: {
        input: t.arg({ type: StartInput, required: true, description: '申请信息 — the application' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) =>
        api.transact(ctx, async (tx, publish, record) => {
          const talent = await findTalentInScope(tx, ctx, String(input.talentId), 'input.talentId');
          if (talent.developmentRecordId || talent.stage) {
            throw new IllegalStateError(
              `${talent.name} is already on the path: record the next step with recordTalentStep`,
              talent.stage ?? 'LINKED',
            );
          }
          if (talent.memberId)
            throw new IllegalStateError(`${talent.name} is already a member; the path is for talents who are not`, 'MEMBER');
          const nationalId = openNationalId(ctx, talent.nationalId, 'Talent.nationalId');
          if (!nationalId) {
            throw new InputError('input.talentId', 'has no national ID: set it with updateTalent first (the development record needs it)');
          }
          const created = await startDevelopmentIn(tx, ctx, record, {
            organizationId: String(input.organizationId),
            name: talent.name,
            nationalId,
            appliedAt: input.appliedAt,
            account: input.account,
          });
          await tx.talent.update({ where: { id: talent.id }, data: { developmentRecordId: created.id }, select: { id: true } });
          await syncStage(tx, publish, talent, created.id);
          return tx.talent.findUniqueOrThrow({ ...query, where: { id: talent.id } });
        }),
    }),
  );

  builder.mutationField('recordTalentStep', (t) =>
    t.prismaField({
      type: 'Talent',
      description:
        '记录致富能人发展步骤 — record the next step of the procedure on the talent’s development record, under every rule of 发展党员 (order, intervals, votes, named people) (ADMIN or SECRETARY). Step 3 makes the talent ACTIVIST, 7 DEVELOPMENT_TARGET, 15 PROBATIONARY (core creates the member and links it). A path recorded before the procedure is first migrated to a development record (its stages as steps 1, 3, 7, 15 with their dates).',
      authScopes: WRITERS,
      args: {
        talentId: t.arg.id({ required: true, description: '致富能人 — global ID of the talent' }),
        input: t.arg({ type: StepInput, required: true, description: '步骤 — the step, as for recordDevelopmentStep' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, args, ctx) =>
        api.transact(ctx, async (tx, publish, record) => {
          const talent = await findTalentInScope(tx, ctx, String(args.talentId), 'talentId');
          if (!talent.developmentRecordId && !talent.stage) {
            throw new IllegalStateError(`${talent.name} has not started the path: use startTalentDevelopment`, 'NONE');
          }
          const recordId = talent.developmentRecordId ?? (await linkRecordedPath(tx, ctx, record, publish, talent));
          await recordDevelopmentStepIn(tx, ctx, record, recordId, args.input);
          await syncStage(tx, publish, talent, recordId);
          return tx.talent.findUniqueOrThrow({ ...query, where: { id: talent.id } });
        }),
    }),
  );
}
