import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { birthDateFromNationalId, type Gender } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { ConflictError, IllegalStateError, InputError } from '../errors/errors.ts';
import { type RecordActivity, transact, type Tx } from '../activity/record.ts';
import type { Context } from '../context.ts';
import { nationalIdLookup, openNationalId, sealNationalId } from '../privacy/national-id.ts';
import type { MemberEnums } from './member.ts';
import { findMemberInScope, MEMBER_WRITERS, MEMBERSHIP_KINDS } from './member-access.ts';
import { checkNationalId, checkNotFuture, checkPhone, requiredText } from '../kit/validate/index.ts';
import { eighteenthBirthday, genderFromNationalId } from './member-rules.ts';
import { findOrganizationInScope } from './organization-mutations.ts';
import { isoDate } from '../kit/dates.ts';
import { isUniqueViolation } from '../kit/unique.ts';

function notNull<T>(value: T | null | undefined, field: string): T | undefined {
  if (value === null) throw new InputError(field, 'must not be null');
  return value;
}

/** The facts the date rules relate, after an input is applied to what is stored. */
export interface MemberFacts {
  nationalId: string | null;
  gender: Gender;
  birthDate: Date | null;
  joinedAt: Date;
  fullMemberAt: Date | null;
}

/**
 * Checks the rules between fields. `blame` names the input field at fault: of the fields a rule
 * relates, the first one this input actually sets (an update may break a rule through the other side).
 */
export function checkFacts(facts: MemberFacts, given: ReadonlySet<string>, prefix = 'input'): void {
  const blame = (...fields: string[]) => `${prefix}.${fields.find((f) => given.has(f)) ?? fields[0]}`;
  const idBirth = facts.nationalId ? birthDateFromNationalId(facts.nationalId) : null;
  if (idBirth && facts.birthDate && idBirth.getTime() !== facts.birthDate.getTime()) {
    throw new InputError(blame('birthDate', 'nationalId'), `does not match the birth date in the national ID (${isoDate(idBirth)})`);
  }
  const idGender = facts.nationalId ? genderFromNationalId(facts.nationalId) : null;
  if (idGender && idGender !== facts.gender) {
    throw new InputError(blame('gender', 'nationalId'), `does not match the national ID, which is that of a ${idGender} person`);
  }
  const birth = facts.birthDate ?? idBirth;
  if (birth && facts.joinedAt.getTime() < eighteenthBirthday(birth).getTime()) {
    throw new InputError(
      blame('joinedAt', 'birthDate', 'nationalId'),
      `must be on or after the member's 18th birthday (${isoDate(eighteenthBirthday(birth))})`,
    );
  }
  if (facts.fullMemberAt && facts.fullMemberAt.getTime() <= facts.joinedAt.getTime()) {
    throw new InputError(blame('fullMemberAt', 'joinedAt'), 'must be after the date of joining');
  }
}

export async function checkNationalIdFree(
  tx: Tx,
  ctx: Context,
  nationalId: string,
  exceptId?: string,
  field = 'input.nationalId',
): Promise<void> {
  const taken = await tx.member.count({
    where: { nationalIdHash: nationalIdLookup(ctx, nationalId), ...(exceptId ? { NOT: { id: exceptId } } : {}) },
  });
  // Deliberately says nothing about who holds it: that member may lie outside the viewer's subtree.
  if (taken > 0) throw new ConflictError('a member with this national ID is already registered', { field });
}

/** A new member's data, checked field by field; `insertMember` checks the rest. */
export interface NewMember extends MemberFacts {
  nationalId: string;
  name: string;
  phone: string | null;
  ethnicity: string | null;
  education: string | null;
}

/** The fields of `RegisterMemberInput` as the client sends them. */
export interface RegisterMemberFields {
  name: string;
  nationalId: string;
  gender?: Gender | null;
  birthDate?: Date | null;
  ethnicity?: string | null;
  education?: string | null;
  phone?: string | null;
  joinedAt: Date;
  fullMemberAt?: Date | null;
}

/**
 * Checks a `RegisterMemberInput` (under `prefix`, e.g. `input` or `input.member`) into a new member's data:
 * `registerMember` and `receiveMemberFromOutside` (组织关系转入 from outside) both read it here.
 */
export function parseNewMember(input: RegisterMemberFields, prefix: string): NewMember {
  const name = requiredText(input.name, `${prefix}.name`, 'name', 50)!;
  const nationalId = checkNationalId(input.nationalId, `${prefix}.nationalId`);
  const phone = checkPhone(input.phone, `${prefix}.phone`) ?? null;
  const ethnicity = requiredText(input.ethnicity, `${prefix}.ethnicity`, 'name', 20) ?? null;
  const education = requiredText(input.education, `${prefix}.education`, 'name', 30) ?? null;
  checkNotFuture(input.joinedAt, `${prefix}.joinedAt`);
  checkNotFuture(input.fullMemberAt, `${prefix}.fullMemberAt`);
  const facts: MemberFacts = {
    nationalId,
    gender: input.gender ?? genderFromNationalId(nationalId)!,
    birthDate: input.birthDate ?? birthDateFromNationalId(nationalId),
    joinedAt: input.joinedAt,
    fullMemberAt: input.fullMemberAt ?? null,
  };
  const given = new Set(Object.keys(input).filter((k) => input[k as keyof RegisterMemberFields] != null));
  checkFacts(facts, given, prefix);
  return { ...facts, nationalId, name, phone, ethnicity, education };
}

/**
 * Registers a member inside a transaction: the unique national ID (sealed, never stored in clear), the row
 * and its `member.registered` activity. `registerMember` and 发展党员's step 15 (支部大会 accepts a
 * probationary member) both come through here; `facts` must have passed `checkFacts`.
 */
export async function insertMember<Q extends object>(
  tx: Tx,
  ctx: Context,
  record: RecordActivity,
  org: { id: string; name: string; path: string },
  data: NewMember,
  query?: Q,
  field = 'input.nationalId',
) {
  await checkNationalIdFree(tx, ctx, data.nationalId, undefined, field);
  const status = data.fullMemberAt ? 'FULL' : 'PROBATIONARY';
  const { nationalId, ...rest } = data;
  let member;
  try {
    member = await tx.member.create({
      ...(query ?? {}),
      data: { ...rest, ...sealNationalId(ctx, nationalId, 'Member.nationalId'), status, organizationId: org.id },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('a member with this national ID is already registered', { field });
    throw error;
  }
  await record({
    kind: 'member.registered',
    organization: org,
    subjectType: 'Member',
    subjectId: member.id,
    summary: `${org.name}登记${status === 'FULL' ? '正式' : '预备'}党员${data.name}`,
    // Activities are readable by everyone in the subtree: no personal data goes into them.
    data: { status, joinedAt: isoDate(data.joinedAt) },
  });
  return member;
}

/**
 * 转正: makes a probationary member full as of `date` (on or after joining), with its `member.converted`
 * activity. `convertToFullMember` and 发展党员's step 24 (上级党委审批 of 转正) both come through here.
 */
export async function convertMember<Q extends object>(
  tx: Tx,
  record: RecordActivity,
  member: { id: string; name: string; status: string; joinedAt: Date; organization: { id: string; path: string } },
  date: Date,
  field: string,
  query?: Q,
) {
  if (member.status !== 'PROBATIONARY') {
    throw new IllegalStateError(
      `${member.name} is already a ${member.status} member; only a PROBATIONARY member can be converted`,
      member.status,
    );
  }
  if (date.getTime() < member.joinedAt.getTime()) {
    throw new InputError(field, `must be on or after the date of joining (${isoDate(member.joinedAt)})`);
  }
  const updated = await tx.member.update({
    ...(query ?? {}),
    where: { id: member.id },
    data: { version: { increment: 1 }, status: 'FULL', fullMemberAt: date },
  });
  await record({
    kind: 'member.converted',
    organization: member.organization,
    subjectType: 'Member',
    subjectId: member.id,
    summary: `${member.name}转为正式党员（转正日期${isoDate(date)}）`,
    data: { fullMemberAt: isoDate(date) },
  });
  return updated;
}

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  gender: '性别',
  nationalId: '身份证号',
  birthDate: '出生日期',
  ethnicity: '民族',
  education: '学历',
  phone: '手机号',
  joinedAt: '入党日期',
  fullMemberAt: '转正日期',
};

/** Member mutations: register (登记), update, convert to full membership (转正). */
export function registerMemberMutations(builder: Builder, enums: MemberEnums): void {
  const RegisterInput = builder.inputType('RegisterMemberInput', {
    description: '登记党员 — a new member; the status is 预备 unless `fullMemberAt` is given',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '所在党支部 — the branch the membership belongs to (in your subtree)' }),
      name: t.string({ required: true, description: '姓名 — name, at most 50 characters' }),
      nationalId: t.string({ required: true, description: '身份证号 — 18-character national ID with a valid check character; unique' }),
      gender: t.field({
        type: enums.Gender,
        required: false,
        description: '性别 — gender; taken from the national ID when left out, must match it when given',
      }),
      birthDate: t.field({
        type: 'Date',
        required: false,
        description: '出生日期 — taken from the national ID when left out, must match it when given',
      }),
      ethnicity: t.string({ required: false, description: '民族 — ethnicity, e.g. 汉族' }),
      education: t.string({ required: false, description: '学历 — education, e.g. 大学本科' }),
      phone: t.string({ required: false, description: '手机号 — 11-digit mainland mobile number' }),
      joinedAt: t.field({ type: 'Date', required: true, description: '入党日期 — not in the future, on or after the 18th birthday' }),
      fullMemberAt: t.field({
        type: 'Date',
        required: false,
        description: '转正日期 — for someone already a full member: after joinedAt, not in the future',
      }),
    }),
  });
  const UpdateInput = builder.inputType('UpdateMemberInput', {
    description:
      '修改党员信息 — fields left out stay as they are; null clears phone, ethnicity or education. Status and organization change only by 转正 and 组织关系转接.',
    fields: (t) => ({
      name: t.string({ required: false, description: '姓名 — name' }),
      nationalId: t.string({
        required: false,
        description: '身份证号 — national ID; the birth date and gender follow it unless given too',
      }),
      gender: t.field({ type: enums.Gender, required: false, description: '性别 — gender, must match the national ID' }),
      birthDate: t.field({ type: 'Date', required: false, description: '出生日期 — must match the national ID' }),
      ethnicity: t.string({ required: false, description: '民族 — ethnicity' }),
      education: t.string({ required: false, description: '学历 — education' }),
      phone: t.string({ required: false, description: '手机号 — 11-digit mainland mobile number' }),
      joinedAt: t.field({ type: 'Date', required: false, description: '入党日期 — date of joining' }),
      fullMemberAt: t.field({
        type: 'Date',
        required: false,
        description: '转正日期 — correct the date of a full member (a probationary member is converted by convertToFullMember)',
      }),
    }),
  });

  builder.mutationField('registerMember', (t) =>
    t.prismaField({
      type: 'Member',
      description: '登记党员 — register a member in a branch of your subtree (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        input: t.arg({ type: RegisterInput, required: true, description: '党员信息 — the member' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const data = parseNewMember(input, 'input');
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
          if (!MEMBERSHIP_KINDS.includes(org.kind)) {
            throw new InputError('input.organizationId', `memberships belong to a branch (党支部), not to a ${org.kind}`);
          }
          return insertMember(tx, ctx, record, org, data, query);
        });
      },
    }),
  );

  builder.mutationField('updateMember', (t) =>
    t.prismaField({
      type: 'Member',
      description: '修改党员信息 — change a member’s personal data or dates (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '党员 — global ID of the member' }),
        input: t.arg({ type: UpdateInput, required: true, description: '要修改的字段 — the fields to change' }),
        expectedVersion: t.arg.int({
          required: false,
          description:
            '读取时的版本 — the member’s `version` when you read it; if someone changed the member since, the update is refused (CONFLICT) instead of overwriting their change',
        }),
      },
      resolve: async (query, _root, { id, input, expectedVersion }, ctx) => {
        const name = requiredText(notNull(input.name, 'input.name'), 'input.name', 'name', 50);
        const given = notNull(input.nationalId, 'input.nationalId');
        const nationalId = given === undefined ? undefined : checkNationalId(given, 'input.nationalId');
        const gender = notNull(input.gender, 'input.gender');
        const birthDate = notNull(input.birthDate, 'input.birthDate');
        const joinedAt = notNull(input.joinedAt, 'input.joinedAt');
        const fullMemberAt = notNull(input.fullMemberAt, 'input.fullMemberAt');
        const phone = checkPhone(input.phone, 'input.phone');
        const ethnicity = requiredText(input.ethnicity, 'input.ethnicity', 'name', 20);
        const education = requiredText(input.education, 'input.education', 'name', 30);
        checkNotFuture(birthDate, 'input.birthDate');
        checkNotFuture(joinedAt, 'input.joinedAt');
        checkNotFuture(fullMemberAt, 'input.fullMemberAt');
        const changed = Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined);
        if (changed.length === 0) throw new InputError('input', 'names no field to change');
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(id), 'id');
          if (fullMemberAt && member.status !== 'FULL') {
            throw new InputError('input.fullMemberAt', 'a probationary member becomes a full member through convertToFullMember');
          }
          const storedId = openNationalId(ctx, member.nationalId, 'Member.nationalId');
          // A new national ID carries its own birth date and sex unless the input states them.
          const facts: MemberFacts = {
            nationalId: nationalId ?? storedId,
            gender: gender ?? (nationalId ? genderFromNationalId(nationalId)! : member.gender),
            birthDate: birthDate ?? (nationalId ? birthDateFromNationalId(nationalId) : member.birthDate),
            joinedAt: joinedAt ?? member.joinedAt,
            fullMemberAt: fullMemberAt ?? member.fullMemberAt,
          };
          checkFacts(facts, new Set(changed));
          const newId = nationalId && nationalId !== storedId ? nationalId : null;
          if (newId) await checkNationalIdFree(tx, ctx, newId, member.id);
          // The clear ID is for the checks above; the row stores only ciphertext and the lookup hash.
          const { nationalId: _clear, ...factData } = facts;
          // Optimistic concurrency: the row must still have the version this request (or the client) read.
          // A concurrent update of the same member blocks on the row lock, then finds the version raised.
          const conflict = () =>
            new ConflictError('the member was changed by someone else since it was read; read it again and repeat your change', {
              field: expectedVersion == null ? 'id' : 'expectedVersion',
            });
          const version = expectedVersion ?? member.version;
          if (version !== member.version) throw conflict();
          let updated;
          try {
            updated = await tx.member.update({
              ...query,
              where: { id: member.id, version },
              data: {
                version: { increment: 1 },
                ...factData,
                ...(newId ? sealNationalId(ctx, newId, 'Member.nationalId') : {}),
                ...(name != null ? { name } : {}),
                ...(phone !== undefined ? { phone } : {}),
                ...(ethnicity !== undefined ? { ethnicity } : {}),
                ...(education !== undefined ? { education } : {}),
              },
            });
          } catch (error) {
            if (isUniqueViolation(error))
              throw new ConflictError('a member with this national ID is already registered', { field: 'input.nationalId' });
            if ((error as { code?: unknown }).code === 'P2025') throw conflict();
            throw error;
          }
          await record({
            kind: 'member.updated',
            organization: member.organization,
            subjectType: 'Member',
            subjectId: member.id,
            // `updated` holds only the columns the client selected (Member is in select mode).
            summary: `修改党员${name ?? member.name}的${changed.map((f) => FIELD_LABELS[f] ?? f).join('、')}`,
            // Field names only: the values are personal data, which the feed must not carry.
            data: { fields: changed },
          });
          return updated;
        });
      },
    }),
  );

  builder.mutationField('convertToFullMember', (t) =>
    t.prismaField({
      type: 'Member',
      description: '转正 — make a probationary member a full member as of a date (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '党员 — global ID of the probationary member' }),
        date: t.arg({ type: 'Date', required: true, description: '转正日期 — on or after the date of joining, not in the future' }),
      },
      resolve: async (query, _root, { id, date }, ctx) => {
        checkNotFuture(date, 'date');
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(id), 'id');
          return convertMember(tx, record, member, date, 'date', query);
        });
      },
    }),
  );
}
