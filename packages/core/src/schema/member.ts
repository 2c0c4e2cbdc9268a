import type { Builder } from '../builder.ts';
import { ownedByScope } from '../auth/subtree.ts';
import { inSubtree } from '../auth/viewer.ts';
import { registerMemberDues } from './member-dues.ts';
import { registerMemberMutations } from './member-mutations.ts';
import { registerMemberPrivacy } from './member-privacy.ts';
import { registerMemberQueries } from './member-queries.ts';
import { registerMemberTransfer } from './member-transfer.ts';
import { modelRef } from './refs.ts';
import { Gender as PrismaGender, MemberStanding, MemberStatus } from '@dangjian/db';
import { registerMemberEvaluation } from './member-evaluation.ts';
import { registerMemberLifecycle } from './member-lifecycle.ts';

function defineEnums(builder: Builder) {
  const Gender = builder.enumType(PrismaGender, {
    name: 'Gender',
    description: '性别 — gender',
    values: { MALE: { description: '男 — male' }, FEMALE: { description: '女 — female' } },
  });
  const Status = builder.enumType(MemberStatus, {
    name: 'MemberStatus',
    description: '党员状态 — membership status',
    values: { PROBATIONARY: { description: '预备党员 — probationary member' }, FULL: { description: '正式党员 — full member' } },
  });
  const Standing = builder.enumType(MemberStanding, {
    name: 'MemberStanding',
    description: '党籍状态 — whether a member is on the roll',
    values: {
      ACTIVE: { description: '正常 — on the roll' },
      SUSPENDED: { description: '停止党籍 — membership suspended; still on the roll, until restored or ended' },
      LEFT: { description: '已出党 — left the party (除名, 开除党籍, 退党, 自行脱党) or probation cancelled; out of rosters by default' },
      DECEASED: { description: '已去世 — deceased; out of rosters by default' },
      TRANSFERRED_OUT: {
        description:
          '已转出 — membership transferred to an organization outside this deployment (the letter’s receipt came back); out of rosters by default',
      },
    },
  });
  return { Gender, Status, Standing };
}

/** The GraphQL enums of the member side, for the files that define its inputs. */
export type MemberEnums = ReturnType<typeof defineEnums>;

/**
 * 党员 (Member): the member type with its plain fields. Personal data (member-privacy.ts), queries,
 * mutations, transfers (组织关系转接) and dues (党费) each live in their own file and are registered here.
 */
export function registerMember(builder: Builder): void {
  const enums = defineEnums(builder);
  const OrganizationRef = modelRef(builder, 'Organization');

  builder.prismaNode('Member', {
    description:
      '党员 — a party member. Personal data (身份证号, 手机号, 出生日期, 民族, 学历) is masked or withheld unless you are entitled to it (PIPL).',
    id: { field: 'id', description: '全局 ID — global ID' },
    // `node(id:)` does not go through the `member` query: the subtree rule must hold here too, and a
    // member outside it must answer null exactly like one that does not exist.
    nullable: true,
    findUnique: (id, ctx) => ({ id, ...ownedByScope(ctx) }),
    // Select mode: a page of members reads the columns its fields ask for, not every column (a nested
    // read of thousands of members spent most of its time turning unused columns into objects).
    // The name is in every member's base selection and read as a plain field: an exposed field of a
    // select-mode type looks up the planned selection of its row first, a cost paid per row of a list.
    select: { id: true, name: true },
    fields: (t) => ({
      name: t.string({ description: '姓名 — name', resolve: (member) => member.name }),
      version: t.exposeInt('version', {
        description:
          '版本 — raised by every change; pass it to updateMember as expectedVersion so a concurrent edit is refused rather than overwritten',
      }),
      gender: t.expose('gender', { type: enums.Gender, description: '性别 — gender' }),
      status: t.expose('status', { type: enums.Status, description: '状态 — probationary (预备) or full (正式) member' }),
      joinedAt: t.expose('joinedAt', { type: 'Date', description: '入党日期 — date of joining the party' }),
      fullMemberAt: t.expose('fullMemberAt', {
        type: 'Date',
        nullable: true,
        description: '转正日期 — date of becoming a full member (null while probationary)',
      }),
      organization: t.field({
        type: OrganizationRef,
        nullable: true,
        description:
          '组织关系 — the branch the membership belongs to; null when it lies outside your subtree (e.g. a secondee reached through a cadre post of a temporary branch)',
        select: (_args, _ctx, nested) => ({ organization: nested(true) }),
        resolve: (member, _args, ctx) => (ctx.viewer && inSubtree(ctx.viewer, member.organization.path) ? member.organization : null),
      }),
      transfers: t.relation('transfers', {
        description: '组织关系转接记录 — every transfer of this membership, newest first',
        query: { orderBy: [{ transferredAt: 'desc' }, { id: 'desc' }] },
      }),
      dues: t.relatedConnection(
        'dues',
        {
          cursor: 'id',
          totalCount: true,
          description: '党费缴纳记录 — dues payments, newest month first',
          query: { orderBy: [{ month: 'desc' }] },
        },
        { description: '党费缴纳记录分页 — a page of dues payments' },
        { description: '党费缴纳记录 — one dues payment with its cursor' },
      ),
    }),
  });

  registerMemberPrivacy(builder);
  registerMemberQueries(builder, enums);
  registerMemberMutations(builder, enums);
  registerMemberTransfer(builder);
  registerMemberDues(builder);
  registerMemberLifecycle(builder, enums);
  registerMemberEvaluation(builder);
}
