import type { Builder } from '../builder.ts';
import { transact } from '../activity/record.ts';
import { requireViewer } from '../auth/subtree.ts';
import { ForbiddenError } from '../errors/errors.ts';
import { rootOf } from '../plugin/access.ts';
import { optionalText, requiredText } from '../kit/validate/index.ts';

/** 吊销会话: roles live in the signed token until it expires; this is how they stop taking effect earlier. */
export function registerSessionRevocation(builder: Builder): void {
  const SessionRevocation = builder.prismaObject('SessionRevocation', {
    description: '会话吊销 — every token of the user issued before `revokedBefore` is refused, and their open sockets were closed',
    fields: (t) => ({
      userId: t.exposeString('userId', { description: '用户 — the user id (the token’s `sub`)' }),
      revokedBefore: t.expose('revokedBefore', {
        type: 'DateTime',
        description: '生效时间 — tokens issued at or before this instant are void',
      }),
      revokedBy: t.exposeString('revokedBy', { nullable: true, description: '操作人 — who revoked' }),
      reason: t.exposeString('reason', { nullable: true, description: '原因 — why (e.g. 岗位调整, 账号停用)' }),
    }),
  });

  builder.mutationField('revokeSessions', (t) =>
    t.prismaField({
      type: SessionRevocation,
      description:
        '吊销会话 — void every token a user holds now (ADMIN of a top-level organization): their requests fail as UNAUTHENTICATED and ' +
        'their open subscriptions end at once (socket closed with 4403) on every server process. They sign in again to get a token with their current roles.',
      authScopes: { role: 'ADMIN' },
      args: {
        userId: t.arg.string({ required: true, description: '用户 — the user id (the token’s `sub`)' }),
        reason: t.arg.string({ required: false, description: '原因 — why, kept with the revocation' }),
      },
      resolve: async (query, _root, { userId, reason }, ctx) => {
        const viewer = requireViewer(ctx);
        const rootId = rootOf(viewer);
        if (viewer.organizationId !== rootId) throw new ForbiddenError('only an admin of a top-level organization may revoke sessions');
        const user = requiredText(userId, 'userId', 'name');
        const why = optionalText(reason, 'reason', 'name');
        const revokedBefore = new Date();
        const row = await transact(ctx, async (tx, record) => {
          const saved = await tx.sessionRevocation.upsert({
            ...query,
            where: { userId: user },
            create: { userId: user, revokedBefore, revokedBy: viewer.userId, reason: why },
            update: { revokedBefore, revokedBy: viewer.userId, reason: why },
          });
          const root = await tx.organization.findUniqueOrThrow({ where: { id: rootId }, select: { id: true, path: true } });
          await record({
            kind: 'session.revoked',
            organization: root,
            subjectType: 'User',
            subjectId: user,
            summary: `吊销用户 ${user} 的会话`,
            data: { reason: why },
          });
          return saved;
        });
        // After commit, so no process closes a socket for a revocation that rolled back.
        ctx.pubsub.publish('sessions:revoked', { userId: user, revokedBefore: revokedBefore.getTime() });
        return row;
      },
    }),
  );
}
