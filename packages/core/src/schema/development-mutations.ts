import { birthDateFromNationalId, type Prisma } from '@dangjian/db';
import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { type ActivityInput, type RecordActivity, transact, type Tx } from '../activity/record.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { ConflictError, InputError, NotFoundError } from '../errors/errors.ts';
import { isoDate } from '../kit/dates.ts';
import { checkNationalId, checkNotFuture, requiredText } from '../kit/validate/index.ts';
import { nationalIdLookup, openNationalId, sealNationalId } from '../privacy/national-id.ts';
import type { DevelopmentEnums } from './development.ts';
import {
  ACCEPTANCE_STEP,
  checkAge,
  checkCancellation,
  checkEnding,
  checkExtension,
  checkStep,
  CONVERSION_STEP,
  LAST_STEP,
  type NamedPerson,
  type RecordFacts,
  stepSpec,
  type Vote,
} from './development-rules.ts';
import { decodeId } from './global-id.ts';
import { MEMBER_WRITERS, MEMBERSHIP_KINDS } from './member-access.ts';
import { changeLifecycle } from './member-lifecycle.ts';
import { checkNationalIdFree, convertMember, insertMember } from './member-mutations.ts';
import { genderFromNationalId } from './member-rules.ts';
import { findOrganizationInScope } from './organization-mutations.ts';

/** Upper bound of counts a client may give (votes, training): far above any branch, low enough for an Int column. */
const MAX_COUNT = 100_000;

function checkCount(value: number | null | undefined, field: string, min = 0): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < min || value > MAX_COUNT)
    throw new InputError(field, `must be a whole number from ${min} to ${MAX_COUNT}`);
  return value;
}

function checkVote(vote: { entitled: number; present: number; for: number }, field: string): Vote {
  return {
    entitled: checkCount(vote.entitled, `${field}.entitled`, 1)!,
    present: checkCount(vote.present, `${field}.present`)!,
    for: checkCount(vote.for, `${field}.for`)!,
  };
}

const RECORD_FOR_WRITE = {
  include: {
    organization: { select: { id: true, name: true, path: true } },
    entries: { where: { kind: 'STEP' }, select: { step: true, date: true }, orderBy: [{ date: 'asc' }, { createdAt: 'asc' }] },
  },
} as const satisfies Prisma.DevelopmentRecordDefaultArgs;

type RecordForWrite = Prisma.DevelopmentRecordGetPayload<typeof RECORD_FOR_WRITE>;

/** Loads a development record of the viewer's subtree with its step dates, or fails as if it did not exist. */
async function findRecordInScope(tx: Tx, ctx: Context, globalId: string, field: string): Promise<RecordForWrite> {
  return findRecordByIdInScope(tx, ctx, decodeId('DevelopmentRecord', globalId, field), globalId);
}

async function findRecordByIdInScope(tx: Tx, ctx: Context, id: string, globalId: string): Promise<RecordForWrite> {
  const record = await tx.developmentRecord.findFirst({ where: { id, organization: organizationScope(ctx) }, ...RECORD_FOR_WRITE });
  if (!record) throw new NotFoundError('DevelopmentRecord', globalId);
  return record;
}

function factsOf(record: RecordForWrite): RecordFacts {
  return {
    state: record.state,
    step: record.step,
    stepDate: record.stepDate,
    birthDate: record.birthDate,
    // Entries are in date order: a repeated step keeps its latest date.
    stepDates: new Map(record.entries.map((e) => [e.step, e.date])),
    probationEndsAt: record.probationEndsAt,
    extendedMonths: record.extendedMonths,
  };
}

/**
 * Writes the record's new state under its version: two writers recording the same step at once cannot
 * both pass the order rule — the second finds the version raised and is refused (CONFLICT).
 */
async function advance(tx: Tx, record: RecordForWrite, data: Prisma.DevelopmentRecordUpdateInput): Promise<void> {
  const { count } = await tx.developmentRecord.updateMany({
    where: { id: record.id, version: record.version },
    data: { ...data, version: { increment: 1 } } as Prisma.DevelopmentRecordUpdateManyMutationInput,
  });
  if (count === 0) throw new ConflictError('the development record was changed by someone else meanwhile; read it again', { field: 'id' });
}

interface PersonInput {
  memberId?: string | number | null;
  name?: string | null;
  externalReason?: string | null;
}

interface CheckedPerson extends NamedPerson {
  memberId: string | null;
  externalName: string | null;
}

const MAX_PEOPLE = 10;

/** Resolves the people named at a step: members of the viewer's subtree (one query), or external names with a reason. */
async function resolvePeople(tx: Tx, ctx: Context, people: readonly PersonInput[]): Promise<CheckedPerson[]> {
  if (people.length > MAX_PEOPLE) throw new InputError('input.people', `must name at most ${MAX_PEOPLE} people`);
  const parsed = people.map((p, i) => {
    const field = `input.people[${i}]`;
    const reason = requiredText(p.externalReason, `${field}.externalReason`, 'name') ?? null;
    if (p.memberId != null) {
      if (p.name != null) throw new InputError(`${field}.name`, 'is given only for a person outside the system (without memberId)');
      if (reason) throw new InputError(`${field}.externalReason`, 'is given only for a person outside the system (without memberId)');
      return { memberId: decodeId('Member', String(p.memberId), `${field}.memberId`), externalName: null, externalReason: null };
    }
    const name = requiredText(p.name, `${field}.name`, 'name', 50);
    if (!name) throw new InputError(`${field}.name`, 'is required for a person outside the system (or give memberId)');
    return { memberId: null, externalName: name, externalReason: reason };
  });
  const ids = parsed.flatMap((p) => (p.memberId ? [p.memberId] : []));
  if (new Set(ids).size !== ids.length) throw new InputError('input.people', 'names the same member more than once');
  const members = ids.length
    ? await tx.member.findMany({ where: { id: { in: ids }, organization: organizationScope(ctx) }, select: { id: true, status: true } })
    : [];
  const status = new Map(members.map((m) => [m.id, m.status]));
  return parsed.map((p, i) => {
    if (!p.memberId) return { ...p, memberStatus: null };
    const s = status.get(p.memberId);
    // Missing and outside the subtree read the same.
    if (!s) throw new InputError(`input.people[${i}].memberId`, 'is not a member in your subtree');
    return { ...p, memberStatus: s };
  });
}

function peopleData(people: readonly CheckedPerson[]) {
  return people.map((p, position) => ({ position, memberId: p.memberId, externalName: p.externalName, externalReason: p.externalReason }));
}

async function recordActivity(
  record: RecordActivity,
  dev: { id: string; name: string; organization: { id: string; path: string; name: string } },
  kind: string,
  summary: string,
  data: ActivityInput['data'],
): Promise<void> {
  // Names are in summaries as for members; national IDs and birth dates never go into the feed.
  await record({ kind, organization: dev.organization, subjectType: 'DevelopmentRecord', subjectId: dev.id, summary, data });
}

/** What `startDevelopmentIn` needs: the application as the client wrote it (fields are named `input.*`). */
export interface StartDevelopmentInput {
  organizationId: string | number;
  name: string;
  nationalId: string;
  birthDate?: Date | null;
  appliedAt: Date;
  account?: string | null;
}

/**
 * 递交入党申请书 — starts a development record with step 1 inside the caller's transaction: the checks,
 * the record and its activity of `startDevelopment`. Exported so a plugin (dual-cultivation) starts the
 * same procedure rather than a path of its own.
 */
export async function startDevelopmentIn(
  tx: Tx,
  ctx: Context,
  record: RecordActivity,
  input: StartDevelopmentInput,
): Promise<{ id: string; organizationId: string }> {
  const name = requiredText(input.name, 'input.name', 'name', 50);
  const nationalId = checkNationalId(input.nationalId, 'input.nationalId');
  const account = requiredText(input.account, 'input.account', 'short') ?? '递交入党申请书';
  checkNotFuture(input.appliedAt, 'input.appliedAt');
  const idBirth = birthDateFromNationalId(nationalId)!;
  if (input.birthDate && input.birthDate.getTime() !== idBirth.getTime()) {
    throw new InputError('input.birthDate', `does not match the birth date in the national ID (${isoDate(idBirth)})`);
  }
  checkAge(idBirth, input.appliedAt, 'input.appliedAt');
  const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
  if (!MEMBERSHIP_KINDS.includes(org.kind)) {
    throw new InputError('input.organizationId', `a branch (党支部) develops members, not a ${org.kind}`);
  }
  await checkNationalIdFree(tx, ctx, nationalId);
  const hash = nationalIdLookup(ctx, nationalId);
  // Says nothing about where: the other record may lie outside the viewer's subtree.
  if ((await tx.developmentRecord.count({ where: { nationalIdHash: hash, state: 'ACTIVE' } })) > 0) {
    throw new ConflictError('an active development record for this national ID exists', { field: 'input.nationalId' });
  }
  const created = await tx.developmentRecord.create({
    data: {
      ...sealNationalId(ctx, nationalId, 'DevelopmentRecord.nationalId'),
      name,
      gender: genderFromNationalId(nationalId)!,
      birthDate: idBirth,
      organizationId: org.id,
      step: 1,
      stepDate: input.appliedAt,
      appliedAt: input.appliedAt,
      entries: { create: { step: 1, date: input.appliedAt, account } },
    },
    select: { id: true, organizationId: true },
  });
  await recordActivity(record, { id: created.id, name, organization: org }, 'development.started', `${org.name}收到${name}的入党申请书`, {
    step: 1,
    date: isoDate(input.appliedAt),
  });
  return created;
}

/** What `recordDevelopmentStepIn` needs: one step as the client wrote it (fields are named `input.*`). */
export interface DevelopmentStepInput {
  step: number;
  date: Date;
  account: string;
  people?: readonly PersonInput[] | null;
  vote?: { entitled: number; present: number; for: number } | null;
  trainingDays?: number | null;
  trainingHours?: number | null;
  noticeFrom?: Date | null;
  noticeTo?: Date | null;
}

/**
 * 记录发展步骤 — records the next step of a record of the viewer's subtree inside the caller's transaction,
 * under every rule of the procedure (step 15 creates the PROBATIONARY member, 24 converts, 25 completes).
 * Exported so a plugin (dual-cultivation) advances people on the same procedure. `recordId` is the
 * database id; `shownId` what NOT_FOUND names (the global ID the client gave). Returns the record's id,
 * its step and member after the step.
 */
export async function recordDevelopmentStepIn(
  tx: Tx,
  ctx: Context,
  record: RecordActivity,
  recordId: string,
  input: DevelopmentStepInput,
  shownId: string = recordId,
): Promise<{ id: string; step: number; memberId: string | null }> {
  if (!Number.isInteger(input.step) || input.step < 2 || input.step > LAST_STEP) {
    throw new InputError('input.step', `must be a step from 2 to ${LAST_STEP} (step 1 is startDevelopment)`);
  }
  const account = requiredText(input.account, 'input.account', 'short');
  checkNotFuture(input.date, 'input.date');
  checkNotFuture(input.noticeFrom, 'input.noticeFrom');
  checkNotFuture(input.noticeTo, 'input.noticeTo');
  const vote = input.vote ? checkVote(input.vote, 'input.vote') : null;
  const trainingDays = checkCount(input.trainingDays, 'input.trainingDays');
  const trainingHours = checkCount(input.trainingHours, 'input.trainingHours');
  const dev = await findRecordByIdInScope(tx, ctx, recordId, shownId);
  const people = await resolvePeople(tx, ctx, input.people ?? []);
  const outcome = checkStep(factsOf(dev), {
    step: input.step,
    date: input.date,
    people,
    vote,
    trainingDays,
    trainingHours,
    noticeFrom: input.noticeFrom ?? null,
    noticeTo: input.noticeTo ?? null,
  });
  const data: Prisma.DevelopmentRecordUncheckedUpdateInput = { step: input.step, stepDate: input.date };
  let memberId = dev.memberId;
  if (input.step === ACCEPTANCE_STEP) {
    // 支部大会 accepts: the person becomes a probationary member through core's member registration.
    const member = await insertMember(
      tx,
      ctx,
      record,
      dev.organization,
      {
        nationalId: openNationalId(ctx, dev.nationalId, 'DevelopmentRecord.nationalId')!,
        name: dev.name,
        gender: dev.gender,
        birthDate: dev.birthDate,
        joinedAt: input.date,
        fullMemberAt: null,
        phone: null,
        ethnicity: null,
        education: null,
      },
      { select: { id: true } },
      'id',
    );
    memberId = member.id;
    data.memberId = member.id;
    data.probationEndsAt = outcome.probationEndsAt!;
  }
  if (input.step === CONVERSION_STEP) {
    const member = await tx.member.findUnique({
      where: { id: dev.memberId! },
      select: { id: true, name: true, status: true, joinedAt: true, organization: { select: { id: true, path: true } } },
    });
    // 转正 takes effect on the probation's anniversary, whatever the day of the approval.
    await convertMember(tx, record, member!, dev.probationEndsAt!, 'input.date', { select: { id: true } });
  }
  if (input.step === LAST_STEP) data.state = 'COMPLETED';
  await advance(tx, dev, data as Prisma.DevelopmentRecordUpdateInput);
  await tx.developmentEntry.create({
    data: {
      recordId: dev.id,
      step: input.step,
      date: input.date,
      account,
      late: outcome.late,
      votesEntitled: vote?.entitled ?? null,
      votesPresent: vote?.present ?? null,
      votesFor: vote?.for ?? null,
      trainingDays,
      trainingHours,
      noticeFrom: input.noticeFrom ?? null,
      noticeTo: input.noticeTo ?? null,
      people: { create: peopleData(people) },
    },
  });
  const spec = stepSpec(input.step);
  await recordActivity(
    record,
    dev,
    'development.stepRecorded',
    `${dev.organization.name}：${dev.name} 第${input.step}步 ${spec.name}${outcome.late ? '（超期）' : ''}`,
    { step: input.step, date: isoDate(input.date), late: outcome.late },
  );
  return { id: dev.id, step: input.step, memberId };
}

/** 发展党员 mutations: start a record (step 1), record a step, extend or cancel the probation, end a record. */
export function registerDevelopmentMutations(builder: Builder, _enums: DevelopmentEnums): void {
  const PersonInput = builder.inputType('DevelopmentPersonInput', {
    description: '相关人员 — a member of your subtree by `memberId`, or a person outside the system by `name` with `externalReason`',
    fields: (t) => ({
      memberId: t.id({ required: false, description: '党员 — global ID of a member in your subtree' }),
      name: t.string({ required: false, description: '姓名 — for a person outside the system (at most 50 characters)' }),
      externalReason: t.string({
        required: false,
        description: '系统外原因 — why someone outside the system is named (e.g. 组织关系在外地); required with `name`',
      }),
    }),
  });
  const VoteInput = builder.inputType('DevelopmentVoteInput', {
    description:
      '表决 — the branch general meeting’s vote: passes when present voting full members and approvals are each more than half of those entitled',
    fields: (t) => ({
      entitled: t.int({ required: true, description: '应到 — full members entitled to vote (at least 1)' }),
      present: t.int({ required: true, description: '实到 — voting full members present' }),
      for: t.int({ required: true, description: '赞成 — approvals' }),
    }),
  });
  const StartInput = builder.inputType('StartDevelopmentInput', {
    description: '递交入党申请书 — step 1: a person applies to a branch; at least 18 on the day',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '党支部 — the branch in your subtree that receives the application' }),
      name: t.string({ required: true, description: '姓名 — name, at most 50 characters' }),
      nationalId: t.string({ required: true, description: '身份证号 — 18-character national ID; stored encrypted' }),
      birthDate: t.field({ type: 'Date', required: false, description: '出生日期 — taken from the national ID; must match it when given' }),
      appliedAt: t.field({ type: 'Date', required: true, description: '申请日期 — the day of the application; not in the future' }),
      account: t.string({ required: false, description: '情况说明 — an account of the application (at most 1000 characters)' }),
    }),
  });
  const StepInput = builder.inputType('RecordDevelopmentStepInput', {
    description:
      '记录发展步骤 — the next step (see `DevelopmentRecord.nextSteps`). Fields beyond date and account are for the steps that need them: ' +
      '`people` for 2 and 16 (谈话人, 1–3), 5 (培养联系人, 1–2 full members) and 9 (入党介绍人, exactly 2 full members); ' +
      '`vote` for 15 and 23; `trainingDays`/`trainingHours` for 11 (≥ 3 days or ≥ 24 学时); `noticeFrom`/`noticeTo` for 13 (公示, ≥ 5 working days)',
    fields: (t) => ({
      step: t.int({ required: true, description: '步骤 — 2–25' }),
      date: t.field({
        type: 'Date',
        required: true,
        description: '日期 — the day of the step; not in the future, not before the previous step',
      }),
      account: t.string({
        required: true,
        description: '情况说明 — what happened (step 10: the political review’s result), at most 1000 characters',
      }),
      people: t.field({ type: [PersonInput], required: false, description: '相关人员 — the people the step names' }),
      vote: t.field({ type: VoteInput, required: false, description: '表决 — steps 15 and 23' }),
      trainingDays: t.int({ required: false, description: '培训天数 — step 11' }),
      trainingHours: t.int({ required: false, description: '培训学时 — step 11' }),
      noticeFrom: t.field({ type: 'Date', required: false, description: '公示开始 — step 13' }),
      noticeTo: t.field({ type: 'Date', required: false, description: '公示结束 — step 13; on or before the step’s date' }),
    }),
  });
  const ExtendInput = builder.inputType('ExtendProbationInput', {
    description: '延长预备期 — extend the probation once, by 6 to 12 months, by a vote of the branch general meeting',
    fields: (t) => ({
      date: t.field({ type: 'Date', required: true, description: '日期 — the day of the decision; not in the future' }),
      months: t.int({ required: true, description: '延长月数 — 6 to 12' }),
      vote: t.field({ type: VoteInput, required: true, description: '表决 — the branch general meeting’s vote' }),
      account: t.string({ required: true, description: '情况说明 — why, at most 1000 characters' }),
    }),
  });
  const CancelInput = builder.inputType('CancelProbationInput', {
    description: '取消预备党员资格 — cancel a probationary membership by a vote of the branch general meeting',
    fields: (t) => ({
      date: t.field({ type: 'Date', required: true, description: '日期 — the day of the decision; not in the future' }),
      vote: t.field({ type: VoteInput, required: true, description: '表决 — the branch general meeting’s vote' }),
      account: t.string({ required: true, description: '情况说明 — why, at most 1000 characters' }),
    }),
  });
  const EndInput = builder.inputType('EndDevelopmentInput', {
    description: '终止发展 — end a record before step 15 (not pursued, moved away …); it stays in history',
    fields: (t) => ({
      date: t.field({ type: 'Date', required: true, description: '日期 — not in the future, not before the last step' }),
      reason: t.string({ required: true, description: '原因 — why it ends, at most 1000 characters' }),
    }),
  });

  builder.mutationField('startDevelopment', (t) =>
    t.prismaField({
      type: 'DevelopmentRecord',
      description: '递交入党申请书 — start a development record with step 1 (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        input: t.arg({ type: StartInput, required: true, description: '申请信息 — the application' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) =>
        transact(ctx, async (tx, record) => {
          const { id } = await startDevelopmentIn(tx, ctx, record, input);
          return tx.developmentRecord.findUniqueOrThrow({ ...query, where: { id } });
        }),
    }),
  );

  builder.mutationField('recordDevelopmentStep', (t) =>
    t.prismaField({
      type: 'DevelopmentRecord',
      description:
        '记录发展步骤 — record the next step of a development record (ADMIN or SECRETARY). Step 15 makes the person a PROBATIONARY member as of its date; step 24 makes them FULL as of the probation’s anniversary; step 25 completes the record.',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '发展记录 — global ID of the development record' }),
        input: t.arg({ type: StepInput, required: true, description: '步骤 — the step' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, args, ctx) =>
        transact(ctx, async (tx, record) => {
          const id = decodeId('DevelopmentRecord', String(args.id), 'id');
          await recordDevelopmentStepIn(tx, ctx, record, id, args.input, String(args.id));
          return tx.developmentRecord.findUniqueOrThrow({ ...query, where: { id } });
        }),
    }),
  );

  builder.mutationField('extendProbation', (t) =>
    t.prismaField({
      type: 'DevelopmentRecord',
      description: '延长预备期 — extend a probation once by 6–12 months, by a vote (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '发展记录 — global ID of the development record' }),
        input: t.arg({ type: ExtendInput, required: true, description: '延长决定 — the decision' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const { input } = args;
        const account = requiredText(input.account, 'input.account', 'short');
        checkNotFuture(input.date, 'input.date');
        const vote = checkVote(input.vote, 'input.vote');
        const months = checkCount(input.months, 'input.months')!;
        return transact(ctx, async (tx, record) => {
          const dev = await findRecordInScope(tx, ctx, String(args.id), 'id');
          const endsAt = checkExtension(factsOf(dev), input.date, months, vote);
          await advance(tx, dev, { probationEndsAt: endsAt, extendedMonths: months });
          await tx.developmentEntry.create({
            data: {
              recordId: dev.id,
              kind: 'EXTENSION',
              step: dev.step,
              date: input.date,
              account,
              months,
              votesEntitled: vote.entitled,
              votesPresent: vote.present,
              votesFor: vote.for,
            },
          });
          await recordActivity(
            record,
            dev,
            'development.probationExtended',
            `${dev.organization.name}：${dev.name}延长预备期${months}个月（至${isoDate(endsAt)}）`,
            { months, date: isoDate(input.date), probationEndsAt: isoDate(endsAt) },
          );
          return tx.developmentRecord.findUniqueOrThrow({ ...query, where: { id: dev.id } });
        });
      },
    }),
  );

  builder.mutationField('cancelProbation', (t) =>
    t.prismaField({
      type: 'DevelopmentRecord',
      description: '取消预备党员资格 — cancel a probationary membership by a vote; the record is CANCELLED (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '发展记录 — global ID of the development record' }),
        input: t.arg({ type: CancelInput, required: true, description: '取消决定 — the decision' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const { input } = args;
        const account = requiredText(input.account, 'input.account', 'short');
        checkNotFuture(input.date, 'input.date');
        const vote = checkVote(input.vote, 'input.vote');
        return transact(ctx, async (tx, record) => {
          const dev = await findRecordInScope(tx, ctx, String(args.id), 'id');
          checkCancellation(factsOf(dev), input.date, vote);
          await advance(tx, dev, { state: 'CANCELLED', endedAt: input.date, endReason: account });
          // The probationary member leaves the roll through the member lifecycle (dated, reasoned, its own activity).
          await changeLifecycle(
            tx,
            ctx,
            record,
            { id: dev.memberId!, name: dev.name, organization: dev.organization },
            { kind: 'PROBATION_CANCELLED', date: input.date, reason: account, details: null, hostId: null },
          );
          await tx.developmentEntry.create({
            data: {
              recordId: dev.id,
              kind: 'CANCELLATION',
              step: dev.step,
              date: input.date,
              account,
              votesEntitled: vote.entitled,
              votesPresent: vote.present,
              votesFor: vote.for,
            },
          });
          await recordActivity(record, dev, 'development.probationCancelled', `${dev.organization.name}：取消${dev.name}的预备党员资格`, {
            date: isoDate(input.date),
          });
          return tx.developmentRecord.findUniqueOrThrow({ ...query, where: { id: dev.id } });
        });
      },
    }),
  );

  builder.mutationField('endDevelopment', (t) =>
    t.prismaField({
      type: 'DevelopmentRecord',
      description: '终止发展 — end a development record before step 15 with a reason; it stays in history (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '发展记录 — global ID of the development record' }),
        input: t.arg({ type: EndInput, required: true, description: '终止 — date and reason' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const { input } = args;
        const reason = requiredText(input.reason, 'input.reason', 'short');
        checkNotFuture(input.date, 'input.date');
        return transact(ctx, async (tx, record) => {
          const dev = await findRecordInScope(tx, ctx, String(args.id), 'id');
          checkEnding(factsOf(dev), input.date);
          await advance(tx, dev, { state: 'ENDED', endedAt: input.date, endReason: reason });
          await tx.developmentEntry.create({
            data: { recordId: dev.id, kind: 'ENDING', step: dev.step, date: input.date, account: reason },
          });
          await recordActivity(record, dev, 'development.ended', `${dev.organization.name}：${dev.name}的发展终止（第${dev.step}步后）`, {
            step: dev.step,
            date: isoDate(input.date),
          });
          return tx.developmentRecord.findUniqueOrThrow({ ...query, where: { id: dev.id } });
        });
      },
    }),
  );
}
