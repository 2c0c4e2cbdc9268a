import { checkNotFuture, IDEMPOTENCY_KEY_ARG, requiredText, uniqueOrConflict, utcToday } from '@dangjian/core';
import { ConflictError, decodeId, InputError, modelRef, NotFoundError, requestLoader, type Builder, type Context } from '@dangjian/core';
import type { Prisma, VolunteerTeam, VolunteerTeamLevel } from '@dangjian/db';
import { teamNestingError } from './community-rules.ts';
import type { Deps } from './deps.ts';
import {
  AGENCY_WRITERS,
  findMemberForWrite,
  findOrganizationForWrite,
  recordScope,
  teamWhere,
  type RecordScope,
  scopedMember,
  scopedOrganization,
} from './scope.ts';

/** Visible teams by id (for `parent`), in one statement per request. */
async function loadTeams(ctx: Context, ids: readonly string[]): Promise<(VolunteerTeam | null)[]> {
  const rows = await ctx.db.volunteerTeam.findMany({ where: { AND: [teamWhere(await recordScope(ctx)), { id: { in: [...ids] } }] } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Visible child teams of many teams, in one statement per request. */
async function loadChildren(ctx: Context, parentIds: readonly string[]): Promise<VolunteerTeam[][]> {
  const rows = await ctx.db.volunteerTeam.findMany({
    where: { AND: [teamWhere(await recordScope(ctx)), { parentTeamId: { in: [...parentIds] } }] },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  const byParent = new Map<string, VolunteerTeam[]>();
  for (const row of rows) byParent.set(row.parentTeamId!, [...(byParent.get(row.parentTeamId!) ?? []), row]);
  return parentIds.map((id) => byParent.get(id) ?? []);
}

/** 志愿服务队 (VolunteerTeam): 总队 → 支队 → 分队 with leaders and members; agency data only. */
export function registerTeam(builder: Builder, { api, enums }: Deps): void {
  const OrganizationRef = modelRef(builder, 'Organization');
  const MemberRef = modelRef(builder, 'Member');
  const TeamRef = modelRef(builder, 'VolunteerTeam');

  builder.prismaNode('VolunteerTeam', {
    description: '志愿服务队 — a volunteer team: 总队 (corps) → 支队 (detachment) → 分队 (squad)',
    id: { field: 'id', description: '全局 ID — global ID' },
    findUnique: async (id, ctx) => ({ id, AND: [teamWhere(await recordScope(ctx))] }),
    nullable: true,
    fields: (t) => ({
      name: t.exposeString('name', { description: '名称 — e.g. 市直机关党员志愿服务总队' }),
      level: t.expose('level', { type: enums.TeamLevel, description: '层级 — corps, detachment or squad' }),
      organization: t.prismaField({
        type: OrganizationRef,
        nullable: true,
        description: '组建单位 — the organization that runs the team; null outside your subtree',
        resolve: (query, team, _args, ctx) => scopedOrganization(ctx, team.organizationId, query),
      }),
      parent: t.field({
        type: TeamRef,
        nullable: true,
        description: '上级队伍 — the parent team; null for a corps, or when it lies outside your subtree',
        resolve: (team, _args, ctx) =>
          team.parentTeamId
            ? requestLoader(ctx, 'community-report.teams', (ids: readonly string[]) => loadTeams(ctx, ids)).load(team.parentTeamId)
            : null,
      }),
      children: t.field({
        type: [TeamRef],
        description: '下级队伍 — the teams directly under this one that you may see, by name',
        resolve: (team, _args, ctx) =>
          requestLoader(ctx, 'community-report.teamChildren', (ids: readonly string[]) => loadChildren(ctx, ids)).load(team.id),
      }),
      leader: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '队长 — the leader; null when none or outside your subtree',
        resolve: (query, team, _args, ctx) => (team.leaderMemberId ? scopedMember(ctx, team.leaderMemberId, query) : null),
      }),
      members: t.relatedConnection(
        'members',
        {
          cursor: 'id',
          totalCount: true,
          description: '队员 — members of the team, by date joined',
          query: { orderBy: [{ joinedOn: 'asc' }, { id: 'asc' }] },
        },
        { description: '队员分页 — a page of team members with the total count' },
        { description: '队员分页项 — one team member of a page' },
      ),
    }),
  });

  builder.prismaObject('VolunteerTeamMember', {
    description: '队员 — a member of a volunteer team',
    fields: (t) => ({
      member: t.prismaField({
        type: MemberRef,
        nullable: true,
        description: '党员 — the member; null when their membership has since left your subtree',
        resolve: (query, row, _args, ctx) => scopedMember(ctx, row.memberId, query),
      }),
      joinedOn: t.expose('joinedOn', { type: 'Date', description: '入队日期 — date joined' }),
    }),
  });

  const where = async (
    ctx: Context,
    args: { level?: VolunteerTeamLevel | null; parentTeamId?: string | number | null },
  ): Promise<Prisma.VolunteerTeamWhereInput> => {
    const parentTeamId = args.parentTeamId ? decodeId('VolunteerTeam', String(args.parentTeamId), 'parentTeamId') : null;
    return { AND: [teamWhere(await recordScope(ctx)), args.level ? { level: args.level } : {}, parentTeamId ? { parentTeamId } : {}] };
  };

  builder.queryField('volunteerTeams', (t) =>
    t.prismaConnection(
      {
        type: 'VolunteerTeam',
        cursor: 'id',
        description: '志愿服务队列表 — teams run by organizations of your subtree, by level then name',
        authScopes: { authenticated: true },
        args: {
          level: t.arg({ type: enums.TeamLevel, required: false, description: '层级 — only this level' }),
          parentTeamId: t.arg.id({ required: false, description: '上级队伍 — only teams directly under this one' }),
        },
        resolve: async (query, _root, args, ctx) =>
          ctx.db.volunteerTeam.findMany({
            ...query,
            where: await where(ctx, args),
            orderBy: [{ level: 'asc' }, { name: 'asc' }, { id: 'asc' }],
          }),
        totalCount: async (_root, args, ctx) => ctx.db.volunteerTeam.count({ where: await where(ctx, args) }),
      },
      { description: '志愿服务队分页 — a page of teams with the total count' },
      { description: '志愿服务队分页项 — one team of a page' },
    ),
  );

  const CreateInput = builder.inputType('CreateVolunteerTeamInput', {
    description: '组建志愿服务队 — a new team',
    fields: (t) => ({
      organizationId: t.id({
        required: true,
        description: '组建单位 — an organization of your subtree, within the parent team’s organization',
      }),
      name: t.string({ required: true, description: '名称 — at most 100 characters, unique within the organization' }),
      level: t.field({
        type: enums.TeamLevel,
        required: true,
        description: '层级 — CORPS without a parent; DETACHMENT under a CORPS; SQUAD under a DETACHMENT',
      }),
      parentTeamId: t.id({ required: false, description: '上级队伍 — required for a DETACHMENT or SQUAD' }),
      leaderMemberId: t.id({ required: false, description: '队长 — a member within the organization (joins the team too)' }),
    }),
  });

  /** Loads a visible team for a write, or NOT_FOUND. */
  const findTeam = async (tx: Prisma.TransactionClient, scope: RecordScope, globalId: string, field: string) => {
    const id = decodeId('VolunteerTeam', globalId, field);
    const team = await tx.volunteerTeam.findFirst({ where: { id, ...teamWhere(scope) } });
    if (!team) throw new NotFoundError('VolunteerTeam', globalId);
    const org = await tx.organization.findUniqueOrThrow({ where: { id: team.organizationId }, select: { path: true } });
    return { ...team, path: org.path };
  };

  builder.mutationField('createVolunteerTeam', (t) =>
    t.prismaField({
      type: 'VolunteerTeam',
      description: '组建志愿服务队 — create a corps, detachment or squad run by an organization of your subtree (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        input: t.arg({ type: CreateInput, required: true, description: '队伍信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const level: VolunteerTeamLevel = input.level;
        const name = requiredText(input.name, 'input.name', 'name', 100);
        const orgId = decodeId('Organization', String(input.organizationId), 'input.organizationId');
        const leaderId = input.leaderMemberId ? decodeId('Member', String(input.leaderMemberId), 'input.leaderMemberId') : null;
        // Scope ids are read before the transaction: on the embedded database a query outside it would wait for it.
        const scope = await recordScope(ctx);
        return api.transact(ctx, async (tx) => {
          const org = await findOrganizationForWrite(tx, ctx, orgId, String(input.organizationId));
          const parent = input.parentTeamId ? await findTeam(tx, scope, String(input.parentTeamId), 'input.parentTeamId') : null;
          const nesting = teamNestingError(level, parent?.level ?? null);
          if (nesting) throw new InputError(input.parentTeamId ? 'input.parentTeamId' : 'input.level', nesting);
          // Within the parent's organization, so whoever sees a team sees the teams below it.
          if (parent && !org.path.startsWith(parent.path))
            throw new InputError('input.organizationId', 'must lie within the organization of the parent team');
          const leader = leaderId ? await findMemberForWrite(tx, ctx, leaderId, String(input.leaderMemberId)) : null;
          if (leader && !leader.organization.path.startsWith(org.path))
            throw new InputError('input.leaderMemberId', `must be a member of ${org.name} or below it`);
          const taken = () => new ConflictError(`${org.name} already runs a team named ${name}`, { field: 'input.name' });
          if ((await tx.volunteerTeam.count({ where: { organizationId: org.id, name } })) > 0) throw taken();
          return uniqueOrConflict(
            () =>
              tx.volunteerTeam.create({
                ...query,
                data: {
                  organizationId: org.id,
                  name,
                  level,
                  parentTeamId: parent?.id ?? null,
                  leaderMemberId: leader?.id ?? null,
                  ...(leader ? { members: { create: { memberId: leader.id, joinedOn: utcToday() } } } : {}),
                },
              }),
            taken,
          );
        });
      },
    }),
  );

  builder.mutationField('addVolunteerTeamMember', (t) =>
    t.prismaField({
      type: 'VolunteerTeam',
      description: '加入志愿服务队 — add a member of the team’s organization (or below it) to the team (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
        teamId: t.arg.id({ required: true, description: '队伍 — global ID' }),
        memberId: t.arg.id({ required: true, description: '党员 — global ID' }),
        joinedOn: t.arg({ type: 'Date', required: false, description: '入队日期 — default today; not in the future' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const memberId = decodeId('Member', String(args.memberId), 'memberId');
        const joinedOn = args.joinedOn ?? utcToday();
        checkNotFuture(joinedOn, 'joinedOn');
        // Scope ids are read before the transaction: on the embedded database a query outside it would wait for it.
        const scope = await recordScope(ctx);
        return api.transact(ctx, async (tx) => {
          const team = await findTeam(tx, scope, String(args.teamId), 'teamId');
          const member = await findMemberForWrite(tx, ctx, memberId, String(args.memberId));
          if (!member.organization.path.startsWith(team.path))
            throw new InputError('memberId', 'must be a member of the team’s organization or below it');
          const already = () => new ConflictError(`${member.name} is already in ${team.name}`, { field: 'memberId' });
          if ((await tx.volunteerTeamMember.count({ where: { teamId: team.id, memberId } })) > 0) throw already();
          await uniqueOrConflict(() => tx.volunteerTeamMember.create({ data: { teamId: team.id, memberId, joinedOn } }), already);
          return tx.volunteerTeam.findUniqueOrThrow({ ...query, where: { id: team.id } });
        });
      },
    }),
  );

  builder.mutationField('setVolunteerTeamLeader', (t) =>
    t.prismaField({
      type: 'VolunteerTeam',
      description:
        '任命队长 — make a member of the team’s organization (or below it) the leader; they join the team if not yet in it (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        teamId: t.arg.id({ required: true, description: '队伍 — global ID' }),
        memberId: t.arg.id({ required: true, description: '党员 — global ID of the new leader' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const memberId = decodeId('Member', String(args.memberId), 'memberId');
        // Scope ids are read before the transaction: on the embedded database a query outside it would wait for it.
        const scope = await recordScope(ctx);
        return api.transact(ctx, async (tx) => {
          const team = await findTeam(tx, scope, String(args.teamId), 'teamId');
          const member = await findMemberForWrite(tx, ctx, memberId, String(args.memberId));
          if (!member.organization.path.startsWith(team.path))
            throw new InputError('memberId', 'must be a member of the team’s organization or below it');
          await tx.volunteerTeamMember.upsert({
            where: { teamId_memberId: { teamId: team.id, memberId } },
            create: { teamId: team.id, memberId, joinedOn: utcToday() },
            update: {},
          });
          return tx.volunteerTeam.update({ ...query, where: { id: team.id }, data: { leaderMemberId: memberId } });
        });
      },
    }),
  );

  builder.mutationField('removeVolunteerTeamMember', (t) =>
    t.prismaField({
      type: 'VolunteerTeam',
      description: '退出志愿服务队 — remove a member from a team; the leader must be replaced first (ADMIN or SECRETARY)',
      authScopes: AGENCY_WRITERS,
      args: {
        teamId: t.arg.id({ required: true, description: '队伍 — global ID' }),
        memberId: t.arg.id({ required: true, description: '党员 — global ID' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const memberId = decodeId('Member', String(args.memberId), 'memberId');
        // Scope ids are read before the transaction: on the embedded database a query outside it would wait for it.
        const scope = await recordScope(ctx);
        return api.transact(ctx, async (tx) => {
          const team = await findTeam(tx, scope, String(args.teamId), 'teamId');
          if (team.leaderMemberId === memberId) throw new ConflictError('the leader cannot leave the team', { field: 'memberId' });
          const { count } = await tx.volunteerTeamMember.deleteMany({ where: { teamId: team.id, memberId } });
          if (count === 0) throw new NotFoundError('VolunteerTeamMember', String(args.memberId));
          return tx.volunteerTeam.findUniqueOrThrow({ ...query, where: { id: team.id } });
        });
      },
    }),
  );
}
