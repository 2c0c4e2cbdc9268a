import { MemberLifecycleKind } from '@dangjian/db';
import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import { type RecordActivity, transact, type Tx } from '../activity/record.ts';
import { organizationScope } from '../auth/subtree.ts';
import type { Builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';
import { isoDate } from '../kit/dates.ts';
import { requestLoader } from '../loaders.ts';
import { checkNotFuture, optionalText, requiredText } from '../kit/validate/index.ts';
import { decodeId } from './global-id.ts';
import type { MemberEnums } from './member.ts';
import { findMemberInScope, MEMBER_WRITERS } from './member-access.ts';
import { applyLifecycle, LIFECYCLE_NAMES } from './member-lifecycle-rules.ts';
import { modelRef } from './refs.ts';

/**
 * Writes one lifecycle change of a member (in the caller's transaction): checks it, updates the member,
 * keeps the event and its `member.<kind>` activity. `recordMemberLifecycle` and 取消预备党员资格 use it.
 */
export async function changeLifecycle(
  tx: Tx,
  ctx: Context,
  record: RecordActivity,
  member: { id: string; name: string; organization: { id: string; path: string } },
  change: { kind: MemberLifecycleKind; date: Date; reason: string; details: string | null; hostId: string | null },
): Promise<void> {
  const row = await tx.member.findUniqueOrThrow({
    where: { id: member.id },
    select: {
      standing: true,
      status: true,
      standingSince: true,
      joinedAt: true,
      mobileSince: true,
      lostContactSince: true,
      retainedSince: true,
      dues: { select: { month: true }, orderBy: { month: 'desc' }, take: 1 },
    },
  });
  const data = applyLifecycle(row, change.kind, change.date, {
    details: change.details,
    hostId: change.hostId,
    lastPaidMonth: row.dues[0]?.month ?? null,
  });
  await tx.member.update({ where: { id: member.id }, data: { ...data, version: { increment: 1 } } });
  await tx.memberLifecycleEvent.create({
    data: { memberId: member.id, ...change, actorId: ctx.viewer?.userId ?? null },
  });
  await record({
    // member.suspended, member.wentMobile, member.probationCancelled …
    kind: `member.${change.kind.toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}`,
    organization: member.organization,
    subjectType: 'Member',
    subjectId: member.id,
    summary: `${member.name}：${LIFECYCLE_NAMES[change.kind]}（${isoDate(change.date)}）`,
    // The reason may be personal (a sentence, an illness): it stays on the event, not in the feed.
    data: { kind: change.kind, date: isoDate(change.date) },
  });
}

/** 党籍变动: the member's standing and situation, their history, and `recordMemberLifecycle`. */
export function registerMemberLifecycle(builder: Builder, enums: MemberEnums): void {
  const Kind = builder.enumType(MemberLifecycleKind, {
    name: 'MemberLifecycleKind',
    description: '党籍变动类别 — a change of a member’s standing or situation',
    values: {
      SUSPENDED: { description: '停止党籍 — membership suspended (e.g. out of contact for long)' },
      RESTORED: { description: '恢复党籍 — a suspended membership restored' },
      REMOVED: { description: '除名 — removed from the party' },
      EXPELLED: { description: '开除党籍 — expelled' },
      WITHDREW: { description: '退党 — withdrew from the party' },
      LAPSED: { description: '自行脱党 — treated as having left: six months of unpaid dues without reason, by decision' },
      PROBATION_CANCELLED: { description: '取消预备党员资格 — probationary membership cancelled (recorded by cancelProbation)' },
      DIED: { description: '去世 — deceased' },
      WENT_MOBILE: { description: '外出流动 — became a 流动党员; `details` says where' },
      MOBILE_RETURNED: { description: '流动返回 — no longer mobile' },
      LOST_CONTACT: { description: '失去联系 — became a 失联党员; `details` says what was done to find them' },
      CONTACT_RESTORED: { description: '恢复联系 — back in contact' },
      RETAINED: { description: '保留党籍 — membership retained' },
      RETENTION_ENDED: { description: '结束保留党籍 — retention ended' },
    },
  });
  const OrganizationRef = modelRef(builder, 'Organization');

  builder.prismaObject('MemberLifecycleEvent', {
    description: '党籍变动记录 — one dated, reasoned change of a member’s standing or situation',
    fields: (t) => ({
      kind: t.expose('kind', { type: Kind, description: '类别 — kind' }),
      date: t.expose('date', { type: 'Date', description: '日期 — the day it took effect' }),
      reason: t.exposeString('reason', { description: '原因/依据 — reason or decision' }),
      details: t.exposeString('details', { nullable: true, description: '说明 — 流动: where to; 失联: efforts made' }),
      recordedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
      recordedBy: t.exposeString('actorId', { nullable: true, description: '登记人 — user id of who recorded it' }),
    }),
  });

  builder.prismaObjectFields('Member', (t) => ({
    standing: t.expose('standing', { type: enums.Standing, description: '党籍状态 — on the roll, suspended, left or deceased' }),
    standingSince: t.expose('standingSince', {
      type: 'Date',
      nullable: true,
      description: '党籍状态日期 — date of the last change of standing',
    }),
    mobileSince: t.expose('mobileSince', {
      type: 'Date',
      nullable: true,
      description: '流动开始 — a 流动党员 since this day; null when not mobile',
    }),
    mobileDestination: t.exposeString('mobileDestination', { nullable: true, description: '流向 — where the 流动党员 went' }),
    mobileHost: t.field({
      type: OrganizationRef,
      nullable: true,
      description: '流入地党组织 — the host organization, when it is in the system and in your subtree',
      select: { mobileHostId: true },
      // Batched over the members of a response (one statement); a host outside the subtree reads as none.
      resolve: (member, _args, ctx) =>
        member.mobileHostId
          ? requestLoader(ctx, 'member.mobileHost', async (ids: readonly string[]) => {
              const rows = await ctx.db.organization.findMany({ where: { id: { in: [...ids] }, ...organizationScope(ctx) } });
              const byId = new Map(rows.map((row) => [row.id, row]));
              return ids.map((id) => byId.get(id) ?? null);
            }).load(member.mobileHostId)
          : null,
    }),
    lostContactSince: t.expose('lostContactSince', {
      type: 'Date',
      nullable: true,
      description: '失联日期 — out of contact since; null when in contact',
    }),
    lostContactEfforts: t.exposeString('lostContactEfforts', { nullable: true, description: '寻找情况 — efforts made to find the member' }),
    retainedSince: t.expose('retainedSince', {
      type: 'Date',
      nullable: true,
      description: '保留党籍日期 — membership retained since; null when not',
    }),
    lifecycle: t.relation('lifecycle', {
      description: '党籍变动记录 — every lifecycle change, oldest first',
      query: { orderBy: [{ date: 'asc' }, { createdAt: 'asc' }] },
    }),
  }));

  const Input = builder.inputType('RecordMemberLifecycleInput', {
    description: '党籍变动 — a dated, reasoned change; leaving (出党, death) is final and takes the member out of rosters',
    fields: (t) => ({
      kind: t.field({ type: Kind, required: true, description: '类别 — kind (PROBATION_CANCELLED goes through cancelProbation)' }),
      date: t.field({
        type: 'Date',
        required: true,
        description: '日期 — not in the future, not before joining or the last change of standing',
      }),
      reason: t.string({ required: true, description: '原因/依据 — reason or decision, at most 1000 characters' }),
      details: t.string({ required: false, description: '说明 — required for WENT_MOBILE (where to) and LOST_CONTACT (efforts made)' }),
      hostOrganizationId: t.id({ required: false, description: '流入地党组织 — for WENT_MOBILE, when the host is in your subtree' }),
    }),
  });

  builder.mutationField('recordMemberLifecycle', (t) =>
    t.prismaField({
      type: 'Member',
      description: '登记党籍变动 — record a change of a member’s standing or situation (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '党员 — global ID of the member' }),
        input: t.arg({ type: Input, required: true, description: '变动 — the change' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        if (input.kind === 'PROBATION_CANCELLED')
          throw new InputError('input.kind', 'a probationary membership is cancelled by cancelProbation (with its vote)');
        const reason = requiredText(input.reason, 'input.reason', 'short');
        const details = optionalText(input.details, 'input.details', 'short');
        checkNotFuture(input.date, 'input.date');
        const hostGlobal = input.hostOrganizationId == null ? null : String(input.hostOrganizationId);
        if (hostGlobal && input.kind !== 'WENT_MOBILE') throw new InputError('input.hostOrganizationId', 'is given only for WENT_MOBILE');
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(id), 'id');
          let hostId: string | null = null;
          if (hostGlobal) {
            const host = await tx.organization.findFirst({
              where: { id: decodeId('Organization', hostGlobal, 'input.hostOrganizationId'), ...organizationScope(ctx) },
              select: { id: true },
            });
            if (!host) throw new InputError('input.hostOrganizationId', 'is not an organization in your subtree');
            hostId = host.id;
          }
          await changeLifecycle(tx, ctx, record, member, { kind: input.kind, date: input.date, reason, details, hostId });
          return tx.member.findUniqueOrThrow({ ...query, where: { id: member.id } });
        });
      },
    }),
  );
}
