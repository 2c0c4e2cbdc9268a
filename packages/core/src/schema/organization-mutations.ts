import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { OrganizationKind } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import type { OrganizationKindRef } from './organization.ts';
import { organizationScope, requireViewer } from '../auth/subtree.ts';
import type { Context } from '../context.ts';
import { ConflictError, ForbiddenError, InputError, NotFoundError } from '../errors/errors.ts';
import { transact, type Tx } from '../activity/record.ts';
import { decodeId } from './global-id.ts';
import { uniqueOrConflict } from '../kit/unique.ts';
import { checkAfter, optionalText, patchText, requiredText } from '../kit/validate/index.ts';
import { idsOnPath, mayNest } from './organization-rules.ts';
import { lockDepartmentTrees } from '../kit/tree-lock.ts';
import { isoDate } from '../kit/dates.ts';

/** Loads an organization in the viewer's subtree inside a transaction, or fails as if it did not exist. */
export async function findOrganizationInScope(tx: Tx, ctx: Context, globalId: string, field: string) {
  const id = decodeId('Organization', globalId, field);
  const org = await tx.organization.findFirst({ where: { id, ...organizationScope(ctx) } });
  if (!org) throw new NotFoundError('Organization', globalId);
  return org;
}

/** Tables holding a copy of an organization's path (to filter a subtree without a join), re-rooted by a move. */
const PATH_FILED_TABLES = ['Activity', 'DuesUnsettledRun', 'AssessmentScorecard'] as const;

/** Mutations on the organization tree: create, update, move, renew term, dissolve. */
export function registerOrganizationMutations(builder: Builder, refs: { Kind: OrganizationKindRef }): void {
  const CreateInput = builder.inputType('CreateOrganizationInput', {
    description: '新建党组织',
    fields: (t) => ({
      parentId: t.id({ required: true, description: '上级党组织 — parent organization' }),
      kind: t.field({ type: refs.Kind, required: true, description: '类别 — kind' }),
      name: t.string({ required: true, description: '名称 — name' }),
      code: t.string({ required: true, description: '编码 — unique code (letters, digits, - and _)' }),
      agency: t.string({ required: false, description: '单位 — the agency it belongs to (default: the parent’s)' }),
      termStart: t.field({ type: 'Date', required: false, description: '本届开始 — start of the term' }),
      termEnd: t.field({ type: 'Date', required: false, description: '本届届满 — end of the term' }),
    }),
  });
  const UpdateInput = builder.inputType('UpdateOrganizationInput', {
    description: '修改党组织 — fields left out stay as they are',
    fields: (t) => ({
      name: t.string({ required: false, description: '名称 — name' }),
      code: t.string({ required: false, description: '编码 — unique code' }),
      agency: t.string({ required: false, description: '单位 — agency' }),
    }),
  });

  const checkCode = (code: string | null | undefined, field: string) => {
    if (code !== undefined && code !== null && !/^[A-Za-z0-9_-]{1,40}$/.test(code)) {
      throw new InputError(field, 'must be 1–40 letters, digits, - or _');
    }
  };
  const codeTaken = async (tx: Tx, code: string, exceptId?: string) =>
    (await tx.organization.count({ where: { code, ...(exceptId ? { NOT: { id: exceptId } } : {}) } })) > 0;

  builder.mutationField('createOrganization', (t) =>
    t.prismaField({
      type: 'Organization',
      description: '新建党组织 — create an organization under a parent in your subtree',
      authScopes: { role: 'ADMIN' },
      args: { input: t.arg({ type: CreateInput, required: true }), idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG) },
      resolve: async (query, _root, { input }, ctx) => {
        const kind: OrganizationKind = input.kind;
        const name = requiredText(input.name, 'input.name', 'name', 100);
        const agency = optionalText(input.agency, 'input.agency', 'name', 100);
        checkCode(input.code, 'input.code');
        checkAfter(input.termEnd, input.termStart, 'input.termEnd', 'termStart');
        return transact(ctx, async (tx, record) => {
          const parent = await findOrganizationInScope(tx, ctx, input.parentId, 'input.parentId');
          if (!mayNest(kind, parent.kind)) throw new InputError('input.kind', `a ${kind} cannot be placed under a ${parent.kind}`);
          const taken = () => new ConflictError(`organization code ${input.code} is already used`, { field: 'input.code' });
          if (await codeTaken(tx, input.code)) throw taken();
          const id = crypto.randomUUID();
          // The check above answers the usual case; two creates of one code at once meet at the unique index.
          const org = await uniqueOrConflict(
            () =>
              tx.organization.create({
                ...query,
                data: {
                  id,
                  kind,
                  name,
                  code: input.code,
                  agency: agency ?? parent.agency,
                  parentId: parent.id,
                  path: `${parent.path}${id}/`,
                  depth: parent.depth + 1,
                  termStart: input.termStart ?? null,
                  termEnd: input.termEnd ?? null,
                },
              }),
            taken,
          );
          await record({
            kind: 'organization.created',
            organization: { id, path: `${parent.path}${id}/` },
            subjectType: 'Organization',
            subjectId: id,
            summary: `成立${name}（上级：${parent.name}）`,
          });
          return org;
        });
      },
    }),
  );

  builder.mutationField('updateOrganization', (t) =>
    t.prismaField({
      type: 'Organization',
      description: '修改党组织 — rename, recode or change the agency',
      authScopes: { role: 'ADMIN' },
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateInput, required: true }) },
      resolve: async (query, _root, { id, input }, ctx) => {
        const name = requiredText(input.name, 'input.name', 'name', 100);
        const agency = patchText(input.agency, 'input.agency', 'name', 100);
        checkCode(input.code, 'input.code');
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(id), 'id');
          if (input.code && (await codeTaken(tx, input.code, org.id))) {
            throw new ConflictError(`organization code ${input.code} is already used`, { field: 'input.code' });
          }
          const updated = await uniqueOrConflict(
            () =>
              tx.organization.update({
                ...query,
                where: { id: org.id },
                data: {
                  ...(name ? { name } : {}),
                  ...(input.code ? { code: input.code } : {}),
                  ...(agency !== undefined ? { agency } : {}),
                },
              }),
            () => new ConflictError(`organization code ${input.code} is already used`, { field: 'input.code' }),
          );
          await record({
            kind: 'organization.updated',
            organization: org,
            subjectType: 'Organization',
            subjectId: org.id,
            summary: `修改${org.name}的信息`,
            data: { before: { name: org.name, code: org.code, agency: org.agency }, changes: { ...input } },
          });
          return updated;
        });
      },
    }),
  );

  builder.mutationField('moveOrganization', (t) =>
    t.prismaField({
      type: 'Organization',
      description: '调整隶属关系 — move an organization (with its whole subtree) under a new parent',
      authScopes: { role: 'ADMIN' },
      args: {
        id: t.arg.id({ required: true, description: '要调整的党组织' }),
        newParentId: t.arg.id({ required: true, description: '新的上级党组织' }),
      },
      resolve: async (query, _root, { id, newParentId }, ctx) => {
        const viewer = requireViewer(ctx);
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(id), 'id');
          if (org.path === viewer.organizationPath) throw new ForbiddenError('you cannot move the organization you act for');
          const parent = await findOrganizationInScope(tx, ctx, String(newParentId), 'newParentId');
          if (parent.path.startsWith(org.path))
            throw new InputError('newParentId', 'cannot move an organization under itself or its own descendant');
          if (!mayNest(org.kind, parent.kind)) throw new InputError('newParentId', `a ${org.kind} cannot be placed under a ${parent.kind}`);
          // A publication in progress in either department files its cards under the paths it read: wait for it.
          await lockDepartmentTrees(tx, [idsOnPath(org.path)[0]!, idsOnPath(parent.path)[0]!]);
          const oldParentId = org.parentId;
          const newPath = `${parent.path}${org.id}/`;
          const delta = parent.depth + 1 - org.depth;
          // One statement per table re-roots the whole subtree, however large it is.
          await tx.$executeRawUnsafe(
            `UPDATE "Organization" SET path = $1 || substr(path, length($2) + 1), depth = depth + $3, "updatedAt" = now() WHERE path LIKE $2 || '%'`,
            newPath,
            org.path,
            delta,
          );
          // Rows filed by a copy of their organization's path follow it. Published cards among them: their content
          // never changes (the table's trigger lets only `path` through), so a ranking shows each card to whoever
          // now has its organization in view.
          for (const table of PATH_FILED_TABLES) {
            await tx.$executeRawUnsafe(
              `UPDATE "${table}" SET path = $1 || substr(path, length($2) + 1) WHERE path LIKE $2 || '%'`,
              newPath,
              org.path,
            );
          }
          const moved = await tx.organization.update({ ...query, where: { id: org.id }, data: { parentId: parent.id } });
          await record({
            kind: 'organization.moved',
            organization: { id: org.id, path: newPath },
            subjectType: 'Organization',
            subjectId: org.id,
            summary: `${org.name}改隶${parent.name}`,
            data: { fromParentId: oldParentId, toParentId: parent.id },
          });
          return moved;
        });
      },
    }),
  );

  builder.mutationField('renewOrganizationTerm', (t) =>
    t.prismaField({
      type: 'Organization',
      description: '换届 — start a new term; the ending term is kept in `terms`',
      authScopes: { role: 'ADMIN' },
      args: {
        id: t.arg.id({ required: true }),
        termStart: t.arg({ type: 'Date', required: true, description: '新一届开始' }),
        termEnd: t.arg({ type: 'Date', required: true, description: '新一届届满' }),
        note: t.arg.string({ required: false, description: '说明 — e.g. 选举大会 details' }),
      },
      resolve: async (query, _root, args, ctx) => {
        checkAfter(args.termEnd, args.termStart, 'termEnd', 'termStart');
        const note = optionalText(args.note, 'note', 'short', 500);
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(args.id), 'id');
          if (org.termStart && args.termStart.getTime() < org.termStart.getTime()) {
            throw new InputError('termStart', 'must not be before the start of the current term');
          }
          await tx.organizationTerm.create({
            data: { organizationId: org.id, termStart: org.termStart, termEnd: org.termEnd, renewedBy: ctx.viewer?.userId ?? null, note },
          });
          const renewed = await tx.organization.update({
            ...query,
            where: { id: org.id },
            data: { termStart: args.termStart, termEnd: args.termEnd },
          });
          await record({
            kind: 'organization.termRenewed',
            organization: org,
            subjectType: 'Organization',
            subjectId: org.id,
            summary: `${org.name}完成换届`,
            data: { termStart: isoDate(args.termStart), termEnd: isoDate(args.termEnd) },
          });
          return renewed;
        });
      },
    }),
  );

  builder.mutationField('dissolveOrganization', (t) =>
    t.field({
      type: 'ID',
      description: '撤销党组织 — remove an organization with no children and no members; returns its ID',
      authScopes: { role: 'ADMIN' },
      args: { id: t.arg.id({ required: true }) },
      resolve: async (_root, { id }, ctx) => {
        const viewer = requireViewer(ctx);
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(id), 'id');
          if (org.path === viewer.organizationPath) throw new ForbiddenError('you cannot dissolve the organization you act for');
          const [children, members] = await Promise.all([
            tx.organization.count({ where: { parentId: org.id } }),
            tx.member.count({ where: { organizationId: org.id } }),
          ]);
          if (children > 0 || members > 0) {
            throw new ConflictError(`${org.name} still has ${children} organizations and ${members} members`, { children, members });
          }
          // The activity outlives the organization: filed under the parent, it keeps the parent's path.
          await record({
            kind: 'organization.dissolved',
            organization: { id: org.parentId!, path: org.path.slice(0, org.path.length - org.id.length - 1) },
            subjectType: 'Organization',
            subjectId: org.id,
            summary: `撤销${org.name}`,
            data: { name: org.name, code: org.code },
          });
          await tx.organization.delete({ where: { id: org.id } });
          return String(id);
        });
      },
    }),
  );
}
