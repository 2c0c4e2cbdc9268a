import {
  checkNationalId,
  checkPhone,
  ConflictError,
  decodeId,
  IDEMPOTENCY_KEY_ARG,
  InputError,
  nationalIdLookup,
  NotFoundError,
  openNationalId,
  patchText,
  requiredText,
  sealNationalId,
  type Builder,
  type Context,
  type Tx,
} from '@dangjian/core';
import type { Gender } from '@dangjian/db';
import { findMemberInScope, findOrganizationInScope, isUniqueViolation, scopedOrganization, WRITERS } from './access.ts';
import type { Deps } from './deps.ts';
import { genderFromNationalId } from './personal-data-rules.ts';

/** The gender to store: the national ID decides when there is one; a stated gender must agree with it. */
function settleGender(given: Gender | null | undefined, nationalId: string | null, field: string): Gender {
  const fromId = nationalId ? genderFromNationalId(nationalId) : null;
  if (given && fromId && given !== fromId)
    throw new InputError(field, `does not match the national ID, which is that of a ${fromId} person`);
  const gender = given ?? fromId;
  if (!gender) throw new InputError(field, 'is required when no national ID is given');
  return gender;
}

/** Refuses a national ID another talent (or, unless linking that member, a member) already has. */
async function checkNationalIdFree(
  tx: Tx,
  ctx: Context,
  nationalId: string,
  exceptTalentId: string | null,
  linkedMemberId: string | null,
): Promise<void> {
  const nationalIdHash = nationalIdLookup(ctx, nationalId);
  const talents = await tx.talent.count({ where: { nationalIdHash, ...(exceptTalentId ? { NOT: { id: exceptTalentId } } : {}) } });
  // Deliberately says nothing about who holds it: that record may lie outside the viewer's subtree.
  if (talents > 0) throw new ConflictError('a talent with this national ID is already registered', { field: 'input.nationalId' });
  const member = await tx.member.findFirst({ where: { nationalIdHash }, select: { id: true } });
  if (member && member.id !== linkedMemberId) {
    throw new ConflictError('a member with this national ID is already registered; register the talent with that memberId', {
      field: 'input.nationalId',
    });
  }
}

/** Loads a talent of the viewer's subtree inside a transaction, or NOT_FOUND. */
export async function findTalentInScope(tx: Tx, ctx: Context, globalId: string, field: string) {
  const id = decodeId('Talent', globalId, field);
  const talent = await tx.talent.findUnique({ where: { id } });
  const organization = talent ? await scopedOrganization(tx, ctx, talent.organizationId) : null;
  if (!talent || !organization) throw new NotFoundError('Talent', globalId);
  return { ...talent, organization };
}

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  gender: '性别',
  trade: '行业',
  enterprise: '企业或合作社',
  village: '村/社区',
  phone: '手机号',
  nationalId: '身份证号',
  organizationId: '联系党组织',
};

/** registerTalent (登记致富能人) and updateTalent. */
export function registerTalentMutations(builder: Builder, { api, enums }: Deps): void {
  const RegisterInput = builder.inputType('RegisterTalentInput', {
    description: '登记致富能人 — a capable person to follow and cultivate',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '联系党组织 — the organization of your subtree that follows the talent' }),
      name: t.string({ required: true, description: '姓名 — name, at most 50 characters' }),
      gender: t.field({
        type: enums.Gender,
        required: false,
        description: '性别 — gender; taken from the national ID when left out, must match it when given',
      }),
      trade: t.string({ required: true, description: '行业 — trade or industry, at most 50 characters' }),
      enterprise: t.string({ required: false, description: '企业或合作社 — enterprise or cooperative, at most 100 characters' }),
      village: t.string({ required: true, description: '村/社区 — village or community, at most 100 characters' }),
      phone: t.string({ required: false, description: '手机号 — 11-digit mainland mobile number' }),
      nationalId: t.string({
        required: false,
        description: '身份证号 — 18-character national ID with a valid check character; unique; needed before PROBATIONARY',
      }),
      memberId: t.id({
        required: false,
        description: '党员 — for a talent who is already a member: that member (in your subtree); such a talent takes no path',
      }),
    }),
  });
  const UpdateInput = builder.inputType('UpdateTalentInput', {
    description: '修改致富能人 — fields left out stay as they are; null clears enterprise or phone',
    fields: (t) => ({
      name: t.string({ required: false, description: '姓名 — name' }),
      gender: t.field({ type: enums.Gender, required: false, description: '性别 — gender, must match the national ID' }),
      trade: t.string({ required: false, description: '行业 — trade or industry' }),
      enterprise: t.string({ required: false, description: '企业或合作社 — enterprise or cooperative' }),
      village: t.string({ required: false, description: '村/社区 — village or community' }),
      phone: t.string({ required: false, description: '手机号 — 11-digit mainland mobile number' }),
      nationalId: t.string({
        required: false,
        description: '身份证号 — national ID; fixed once the path has started (the development record holds it) or the talent is a member',
      }),
      organizationId: t.id({ required: false, description: '联系党组织 — hand the talent to another organization of your subtree' }),
    }),
  });

  builder.mutationField('registerTalent', (t) =>
    t.prismaField({
      type: 'Talent',
      description: '登记致富能人 — register a talent followed by an organization of your subtree (ADMIN or SECRETARY)',
      authScopes: WRITERS,
      args: {
        input: t.arg({ type: RegisterInput, required: true, description: '致富能人信息 — the talent' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const name = requiredText(input.name, 'input.name', 'name', 50);
        const trade = requiredText(input.trade, 'input.trade', 'name', 50);
        const village = requiredText(input.village, 'input.village', 'name', 100);
        const enterprise = patchText(input.enterprise, 'input.enterprise', 'name', 100) ?? null;
        const phone = checkPhone(input.phone, 'input.phone') ?? null;
        const nationalId = input.nationalId ? checkNationalId(input.nationalId, 'input.nationalId') : null;
        const gender = settleGender(input.gender, nationalId, 'input.gender');
        return api.transact(ctx, async (tx, publish) => {
          const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
          const member = input.memberId ? await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId') : null;
          if (member && (await tx.talent.count({ where: { memberId: member.id } })) > 0) {
            throw new ConflictError('this member is already registered as a talent', { field: 'input.memberId' });
          }
          if (nationalId) await checkNationalIdFree(tx, ctx, nationalId, null, member?.id ?? null);
          let talent;
          try {
            talent = await tx.talent.create({
              ...query,
              data: {
                ...{ name, gender, trade, enterprise, village, phone },
                ...(nationalId ? sealNationalId(ctx, nationalId, 'Talent.nationalId') : {}),
                organizationId: org.id,
                memberId: member?.id ?? null,
              },
            });
          } catch (error) {
            if (isUniqueViolation(error))
              throw new ConflictError('a talent with this national ID or member is already registered', { field: 'input.nationalId' });
            throw error;
          }
          await publish('dual-cultivation.talentRegistered', {
            organization: org,
            subjectType: 'Talent',
            subjectId: talent.id,
            summary: `${org.name}登记致富能人${name}（${trade}）`,
            // Activities are readable by everyone in the subtree: no personal data goes into them.
            data: { trade, village, isMember: member !== null },
          });
          return talent;
        });
      },
    }),
  );

  builder.mutationField('updateTalent', (t) =>
    t.prismaField({
      type: 'Talent',
      description: '修改致富能人 — change a talent’s data or hand them to another organization (ADMIN or SECRETARY)',
      authScopes: WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '致富能人 — global ID of the talent' }),
        input: t.arg({ type: UpdateInput, required: true, description: '要修改的字段 — the fields to change' }),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        for (const field of ['name', 'gender', 'trade', 'village', 'nationalId', 'organizationId'] as const) {
          if (input[field] === null) throw new InputError(`input.${field}`, 'must not be null');
        }
        const name = input.name != null ? requiredText(input.name, 'input.name', 'name', 50) : undefined;
        const trade = input.trade != null ? requiredText(input.trade, 'input.trade', 'name', 50) : undefined;
        const village = input.village != null ? requiredText(input.village, 'input.village', 'name', 100) : undefined;
        const enterprise = patchText(input.enterprise, 'input.enterprise', 'name', 100);
        const phone = checkPhone(input.phone, 'input.phone');
        const nationalId = input.nationalId != null ? checkNationalId(input.nationalId, 'input.nationalId') : undefined;
        const changed = Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined);
        if (changed.length === 0) throw new InputError('input', 'names no field to change');
        return api.transact(ctx, async (tx, publish) => {
          const talent = await findTalentInScope(tx, ctx, String(id), 'id');
          const storedId = openNationalId(ctx, talent.nationalId, 'Talent.nationalId');
          if (nationalId !== undefined && talent.memberId && nationalId !== storedId) {
            throw new InputError('input.nationalId', 'is kept on the member record once the talent is a member (change it there)');
          }
          if (nationalId !== undefined && talent.developmentRecordId && nationalId !== storedId) {
            // The development record holds its own sealed copy: the two must not drift apart.
            throw new InputError('input.nationalId', 'is fixed once the talent’s development record exists (发展党员 started)');
          }
          const gender = settleGender(input.gender ?? (nationalId ? null : talent.gender), nationalId ?? storedId, 'input.gender');
          if (nationalId && nationalId !== storedId) await checkNationalIdFree(tx, ctx, nationalId, talent.id, talent.memberId);
          const org = input.organizationId
            ? await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId')
            : talent.organization;
          let updated;
          try {
            updated = await tx.talent.update({
              ...query,
              where: { id: talent.id },
              data: {
                gender,
                organizationId: org.id,
                ...(name !== undefined ? { name } : {}),
                ...(trade !== undefined ? { trade } : {}),
                ...(village !== undefined ? { village } : {}),
                ...(enterprise !== undefined ? { enterprise } : {}),
                ...(phone !== undefined ? { phone } : {}),
                ...(nationalId !== undefined ? sealNationalId(ctx, nationalId, 'Talent.nationalId') : {}),
              },
            });
          } catch (error) {
            if (isUniqueViolation(error))
              throw new ConflictError('a talent with this national ID is already registered', { field: 'input.nationalId' });
            throw error;
          }
          await publish('dual-cultivation.talentUpdated', {
            organization: org,
            subjectType: 'Talent',
            subjectId: talent.id,
            summary: `修改致富能人${updated.name}的${changed.map((f) => FIELD_LABELS[f] ?? f).join('、')}`,
            // Field names only: the values may be personal data, which the feed must not carry.
            data: { fields: changed },
          });
          return updated;
        });
      },
    }),
  );
}
