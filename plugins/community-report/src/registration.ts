import { checkNotFuture, IDEMPOTENCY_KEY_ARG, isoDate, uniqueOrConflict, utcToday } from '@dangjian/core';
import {
  ConflictError,
  decodeId,
  IllegalStateError,
  InputError,
  modelRef,
  NotFoundError,
  organizationIdsUnder,
  resolveUnder,
  requireViewer,
  type Builder,
  type Context,
} from '@dangjian/core';
import type { CommunityRegistration, CommunityRegistrationStatus, Prisma } from '@dangjian/db';
import { activeRegistrationKey, certificateNumber, idsOnPath, registrationSubject } from './community-rules.ts';
import type { Deps } from './deps.ts';
import {
  AGENCY_WRITERS,
  findCommunity,
  findMemberForWrite,
  findOrganizationForWrite,
  isAgencyViewer,
  memberNames,
  organizationNames,
  ownedWhere,
  recordScope,
  scopedMember,
  scopedOrganization,
} from './scope.ts';

/** The ids of the organizations under `under` (an organization's global ID), or NOT_FOUND outside the viewer's subtree. */
export async function underIds(ctx: Context, under: string | number | null | undefined, field: string): Promise<string[] | null> {
  if (under === null || under === undefined) return null;
  // A community administrator has no agency subtree: every organization is outside it.
  if (!isAgencyViewer(requireViewer(ctx))) throw new NotFoundError('Organization', String(under));
  return organizationIdsUnder(ctx, await resolveUnder(ctx, under, field));
}

interface RegistrationFilterInput {
  communityId?: string | number | null;
  under?: string | number | null;
  status?: CommunityRegistrationStatus | null;
  kind?: 'ORGANIZATION' | 'MEMBER' | null;
}

/** The `communityRegistrations` filter as a Prisma where, always inside the viewer's scope. */
async function registrationsWhere(
  ctx: Context,
  filter: RegistrationFilterInput | null | undefined,
): Promise<Prisma.CommunityRegistrationWhereInput> {
  const f = filter ?? {};
  const communityId = f.communityId ? decodeId('Community', String(f.communityId), 'filter.communityId') : null;
  const [scope, under] = await Promise.all([recordScope(ctx), underIds(ctx, f.under, 'filter.under')]);
  return {
    AND: [
      ownedWhere(scope),
      communityId ? { communityId } : {},
      under ? { organizationId: { in: under } } : {},
      f.status ? { status: f.status } : {},
      f.kind === 'MEMBER' ? { memberId: { not: null } } : f.kind === 'ORGANIZATION' ? { memberId: null } : {},
    ],
  };
}

/** Who holds a registration, by name, for the certificate and for community administrators. */
async function holderOf(ctx: Context, reg: Pick<CommunityRegistration, 'memberId' | 'organizationId'>) {
  const org = await organizationNames(ctx, reg.organizationId);
  if (reg.memberId) {
    const member = await memberNames(ctx, reg.memberId);
    return {
      name: member?.name ?? '',
      organizationName: org?.name ?? member?.organizationName ?? '',
      agency: org?.agency ?? member?.agency ?? null,
    };
  }
  return { name: org?.name ?? '', organizationName: org?.name ?? '', agency: org?.agency ?? null };
}

interface Certificate {
  registration: CommunityRegistration & {
    community: { name: string; street: string | null; district: string | null; partyOrganizationName: string | null };
  };
}

/** 报到 (CommunityRegistration): the type, its queries, the certificate, `registerWithCommunity` and withdrawal. */
export function registerRegistration(builder: Builder, { api, enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');

  builder.prismaNode('CommunityRegistration', {
    description: '报到 — an organization (单位报到) or a member (个人报到) registered with a community',
    id: { field: 'id', description: '全局 ID — global ID' },
    // `node(id:)` must answer outside the viewer's scope exactly as for a missing registration.
    findUnique: async (id, ctx) => ({ id, ...ownedWhere(await recordScope(ctx)) }),
    nullable: true,
    fields: (t) => ({
      kind: t.field({
        type: enums.RegistrationKind,
        description: '类别 — 单位报到 or 个人报到',
        resolve: (reg) => (reg.memberId ? 'MEMBER' : 'ORGANIZATION'),
      }),
      community: t.relation('community', { description: '社区 — where it registered' }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '党组织 — the registering organization, or the member’s organization when they registered; null outside your subtree',
        resolve: (query, reg, _args, ctx) => scopedOrganization(ctx, reg.organizationId, query),
      }),
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '党员 — the member of a personal registration; null for an organization’s, or outside your subtree',
        resolve: (query, reg, _args, ctx) => (reg.memberId ? scopedMember(ctx, reg.memberId, query) : null),
      }),
      holderName: t.string({
        description: '报到人/单位 — name of the member or organization that registered (also shown to the community)',
        resolve: async (reg, _args, ctx) => (await holderOf(ctx, reg)).name,
      }),
      organizationName: t.string({
        description: '所在党组织 — name of the registering organization (for a member: theirs when registering)',
        resolve: async (reg, _args, ctx) => (await holderOf(ctx, reg)).organizationName,
      }),
      date: t.expose('date', { type: 'Date', description: '报到日期 — date of registration' }),
      status: t.expose('status', { type: enums.RegistrationStatus, description: '状态 — registered or withdrawn' }),
      withdrawnOn: t.expose('withdrawnOn', {
        type: 'Date',
        nullable: true,
        description: '撤销日期 — when it was withdrawn (null while active)',
      }),
      certificateNo: t.exposeString('certificateNo', { description: '报到证编号 — number of the registration certificate' }),
    }),
  });

  const CertificateRef = builder.objectRef<Certificate>('CommunityRegistrationCertificate').implement({
    description: '报到证 — what a printed registration certificate shows',
    fields: (t) => ({
      certificateNo: t.string({ description: '编号 — certificate number', resolve: (c) => c.registration.certificateNo }),
      title: t.string({
        description: '标题 — 单位报到证 or 党员报到证',
        resolve: (c) => (c.registration.memberId ? '在职党员到社区报到证' : '机关单位到社区报到证'),
      }),
      kind: t.field({
        type: enums.RegistrationKind,
        description: '类别 — 单位报到 or 个人报到',
        resolve: (c) => (c.registration.memberId ? 'MEMBER' : 'ORGANIZATION'),
      }),
      holderName: t.string({
        description: '报到人/单位 — the member or organization',
        resolve: async (c, _a, ctx) => (await holderOf(ctx, c.registration)).name,
      }),
      organizationName: t.string({
        description: '所在党组织 — the (member’s) organization',
        resolve: async (c, _a, ctx) => (await holderOf(ctx, c.registration)).organizationName,
      }),
      agency: t.string({
        nullable: true,
        description: '所在单位 — the agency',
        resolve: async (c, _a, ctx) => (await holderOf(ctx, c.registration)).agency,
      }),
      communityName: t.string({ description: '社区 — community name', resolve: (c) => c.registration.community.name }),
      street: t.string({ nullable: true, description: '街道 — sub-district', resolve: (c) => c.registration.community.street }),
      district: t.string({ nullable: true, description: '区 — district', resolve: (c) => c.registration.community.district }),
      communityPartyOrganization: t.string({
        nullable: true,
        description: '社区党组织 — the community’s party organization that receives the registration',
        resolve: (c) => c.registration.community.partyOrganizationName,
      }),
      registeredOn: t.field({ type: 'Date', description: '报到日期 — date of registration', resolve: (c) => c.registration.date }),
      valid: t.boolean({
        description: '有效 — true while the registration is active (false once withdrawn)',
        resolve: (c) => c.registration.status === 'REGISTERED',
      }),
      withdrawnOn: t.field({
        type: 'Date',
        nullable: true,
        description: '撤销日期 — null while active',
        resolve: (c) => c.registration.withdrawnOn,
      }),
      issuedOn: t.field({ type: 'Date', description: '打印日期 — today, the day the certificate is printed', resolve: () => utcToday() }),
    }),
  });

  builder.queryField('communityRegistrationCertificate', (t) =>
    t.field({
      type: CertificateRef,
      nullable: true,
      description: '报到证 — the printable certificate of a registration; null when it does not exist or you may not see it',
      authScopes: { authenticated: true },
      args: { registrationId: t.arg.id({ required: true, description: '报到 — global ID of the registration' }) },
      resolve: async (_root, args, ctx) => {
        const id = decodeId('CommunityRegistration', String(args.registrationId), 'registrationId');
        const registration = await ctx.db.communityRegistration.findFirst({
          where: { id, ...ownedWhere(await recordScope(ctx)) },
          include: { community: { select: { name: true, street: true, district: true, partyOrganizationName: true } } },
        });
        return registration ? { registration } : null;
      },
    }),
  );

  const Filter = builder.inputType('CommunityRegistrationFilter', {
    description: '报到筛选 — conditions on registrations (all must hold)',
    fields: (t) => ({
      communityId: t.id({ required: false, description: '社区 — only registrations with this community' }),
      under: t.id({ required: false, description: '党组织 — only registrations filed under this organization and below it' }),
      status: t.field({ type: enums.RegistrationStatus, required: false, description: '状态 — only this status' }),
      kind: t.field({
        type: enums.RegistrationKind,
        required: false,
        description: '类别 — only organizations’ or only members’ registrations',
      }),
    }),
  });

  builder.queryField('communityRegistrations', (t) =>
    t.prismaConnection(
      {
        type: 'CommunityRegistration',
        cursor: 'id',
        description: '报到列表 — registrations you may see (your subtree’s; a community administrator: their community’s), newest first',
        authScopes: { authenticated: true },
        args: { filter: t.arg({ type: Filter, required: false, description: '筛选条件' }) },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.communityRegistration.findMany({
            ...query,
            where: await registrationsWhere(ctx, args.filter),
            orderBy: [{ date: 'desc' }, { id: 'desc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.communityRegistration.count({ where: await registrationsWhere(ctx, args.filter) }),
      },
      { description: '报到分页 — a page of registrations with the total count' },
      { description: '报到分页项 — one registration of a page' },
    ),
  );

  const RegisterInput = builder.inputType('RegisterWithCommunityInput', {
    description: '到社区报到 — register an organization or a member with a community; give exactly one of organizationId and memberId',
    fields: (t) => ({
      communityId: t.id({ required: true, description: '社区 — a community of your department' }),
      organizationId: t.id({ required: false, description: '党组织 — for 单位报到: an organization of your subtree' }),
      memberId: t.id({
        required: false,
        description: '党员 — for 个人报到: a member of your subtree (at most one active personal registration)',
      }),
      date: t.field({ type: 'Date', required: true, description: '报到日期 — not in the future' }),
    }),
  });

  builder.mutationField('registerWithCommunity', (t) =>
    t.prismaField({
      type: 'CommunityRegistration',
      description: '到社区报到 — register an organization (单位报到) or a member (个人报到) with a community (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        input: t.arg({ type: RegisterInput, required: true, description: '报到信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const subject = registrationSubject(
          input.organizationId === null || input.organizationId === undefined ? null : String(input.organizationId),
          input.memberId === null || input.memberId === undefined ? null : String(input.memberId),
        );
        const communityId = decodeId('Community', String(input.communityId), 'input.communityId');
        const memberId = subject === 'MEMBER' ? decodeId('Member', String(input.memberId), 'input.memberId') : null;
        const orgId = subject === 'ORGANIZATION' ? decodeId('Organization', String(input.organizationId), 'input.organizationId') : null;
        checkNotFuture(input.date, 'input.date');
        return api.transact(ctx, async (tx, publish) => {
          const community = await findCommunity(tx, ctx, communityId, String(input.communityId));
          let holder: { name: string; org: { id: string; path: string; name: string } };
          let activeKey: string;
          if (memberId) {
            const member = await findMemberForWrite(tx, ctx, memberId, String(input.memberId));
            holder = { name: member.name, org: member.organization };
            activeKey = activeRegistrationKey({ memberId });
          } else {
            const org = await findOrganizationForWrite(tx, ctx, orgId!, String(input.organizationId));
            holder = { name: org.name, org };
            activeKey = activeRegistrationKey({ organizationId: org.id, communityId });
          }
          const conflict = () =>
            memberId
              ? new ConflictError(`${holder.name} already has an active personal registration; withdraw it first`, {
                  field: 'input.memberId',
                })
              : new ConflictError(`${holder.name} is already registered with ${community.name}`, { field: 'input.organizationId' });
          if ((await tx.communityRegistration.count({ where: { activeKey } })) > 0) throw conflict();
          const id = crypto.randomUUID();
          // A concurrent registration got in between the check and the insert: the unique key refuses it.
          const registration = await uniqueOrConflict(
            () =>
              tx.communityRegistration.create({
                ...query,
                data: {
                  id,
                  communityId,
                  organizationId: holder.org.id,
                  memberId,
                  date: input.date,
                  activeKey,
                  certificateNo: certificateNumber(id, input.date),
                },
              }),
            conflict,
          );
          await publish('community-report.registered', {
            organization: holder.org,
            subjectType: 'CommunityRegistration',
            subjectId: id,
            summary: `${holder.name}到${community.name}报到`,
            data: { communityId, kind: subject, memberId, organizationId: holder.org.id, date: isoDate(input.date) },
          });
          return registration;
        });
      },
    }),
  );

  builder.mutationField('withdrawCommunityRegistration', (t) =>
    t.prismaField({
      type: 'CommunityRegistration',
      description: '撤销报到 — withdraw an active registration of your subtree (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '报到 — global ID' }),
        date: t.arg({
          type: 'Date',
          required: false,
          description: '撤销日期 — default today; not before the registration, not in the future',
        }),
      },
      resolve: async (query, _root, args, ctx) => {
        const id = decodeId('CommunityRegistration', String(args.id), 'id');
        const date = args.date ?? utcToday();
        checkNotFuture(date, 'date');
        // Scope ids are read before the transaction: on the embedded database a query outside it would wait for it.
        const scope = await recordScope(ctx);
        return api.transact(ctx, async (tx) => {
          const reg = await tx.communityRegistration.findFirst({ where: { id, organizationId: { in: scope.organizationIds ?? [] } } });
          if (!reg) throw new NotFoundError('CommunityRegistration', String(args.id));
          if (reg.status !== 'REGISTERED') throw new IllegalStateError(`the registration is already ${reg.status}`, reg.status);
          if (date.getTime() < reg.date.getTime()) throw new InputError('date', 'must not be before the registration date');
          return tx.communityRegistration.update({
            ...query,
            where: { id },
            data: { status: 'WITHDRAWN', withdrawnOn: date, activeKey: null },
          });
        });
      },
    }),
  );
}

/**
 * Members serve and claim where they reported (报到): the member personally, or their organization or an
 * organization above it, must hold an active registration with the community.
 */
export async function assertRegistered(
  tx: Prisma.TransactionClient,
  member: { id: string; name: string; organization: { path: string } },
  community: { id: string; name: string },
  field: string,
): Promise<void> {
  const count = await tx.communityRegistration.count({
    where: {
      communityId: community.id,
      status: 'REGISTERED',
      OR: [{ memberId: member.id }, { memberId: null, organizationId: { in: idsOnPath(member.organization.path) } }],
    },
  });
  if (count === 0)
    throw new InputError(field, `${member.name} has not registered with ${community.name}, personally or through their organization`);
}
