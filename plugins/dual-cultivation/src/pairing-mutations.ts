import {
  checkNotBefore,
  checkNotFuture,
  ConflictError,
  decodeId,
  IDEMPOTENCY_KEY_ARG,
  IllegalStateError,
  InputError,
  NotFoundError,
  requiredText,
  type Builder,
  type Context,
  type Tx,
} from '@dangjian/core';
import { findMemberInScope, scopedOrganization, WRITERS } from './access.ts';
import type { Deps } from './deps.ts';
import { isoDate, moneyProblem } from './personal-data-rules.ts';
import { findTalentInScope } from './talent-mutations.ts';

/** Most jobs one pairing may claim (a guard against typing errors). */
const MAX_JOBS = 100_000;

/** Loads a pairing of the viewer's subtree inside a transaction, or NOT_FOUND. */
export async function findPairingInScope(tx: Tx, ctx: Context, globalId: string, field: string) {
  const id = decodeId('HelpPairing', globalId, field);
  const pairing = await tx.helpPairing.findUnique({ where: { id } });
  const organization = pairing ? await scopedOrganization(tx, ctx, pairing.organizationId) : null;
  if (!pairing || !organization) throw new NotFoundError('HelpPairing', globalId);
  return { ...pairing, organization };
}

/** createHelpPairing (结对) and closeHelpPairing. */
export function registerPairingMutations(builder: Builder, { api }: Deps): void {
  const CreateInput = builder.inputType('CreateHelpPairingInput', {
    description: '结对子 — pair a member with a talent or with a household in difficulty (give exactly one of talentId and householdId)',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '结对党员 — a member of your subtree' }),
      talentId: t.id({ required: false, description: '致富能人 — a talent of your subtree (not the member themself)' }),
      householdId: t.id({ required: false, description: '困难户 — a household of your subtree' }),
      goals: t.string({ required: true, description: '帮扶目标 — goals, at most 500 characters' }),
      startedAt: t.field({ type: 'Date', required: true, description: '结对日期 — not in the future, not before the member joined' }),
    }),
  });
  const CloseInput = builder.inputType('CloseHelpPairingInput', {
    description: '结束结对 — close an open pairing with its outcome',
    fields: (t) => ({
      closedAt: t.field({
        type: 'Date',
        required: true,
        description: '结束日期 — not in the future, not before the start or the latest visit',
      }),
      result: t.string({ required: true, description: '帮扶成效 — the result, at most 500 characters' }),
      incomeChange: t.field({
        type: 'Decimal',
        required: false,
        description: '收入变化 — yearly income change of the helped party in yuan, at most two decimals (negative for a fall)',
      }),
      jobsCreated: t.int({ required: false, description: `带动就业 — jobs created, 0–${MAX_JOBS}` }),
    }),
  });

  builder.mutationField('createHelpPairing', (t) =>
    t.prismaField({
      type: 'HelpPairing',
      description:
        '结对子 — pair a member with a talent or a household in difficulty (ADMIN or SECRETARY); one open pairing per member and partner',
      authScopes: WRITERS,
      args: {
        input: t.arg({ type: CreateInput, required: true, description: '结对信息 — the pairing' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        if (!input.talentId === !input.householdId) throw new InputError('input.talentId', 'give exactly one of talentId and householdId');
        const goals = requiredText(input.goals, 'input.goals', 'short', 500);
        checkNotFuture(input.startedAt, 'input.startedAt');
        return api.transact(ctx, async (tx, publish) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          checkNotBefore(input.startedAt, member.joinedAt, 'input.startedAt', 'the day the member joined');
          let partner: { talentId: string } | { householdId: string };
          let partnerName: string;
          if (input.talentId) {
            const talent = await findTalentInScope(tx, ctx, String(input.talentId), 'input.talentId');
            if (talent.memberId === member.id) throw new InputError('input.talentId', 'is the member themself');
            partner = { talentId: talent.id };
            partnerName = `致富能人${talent.name}`;
          } else {
            const householdId = decodeId('DifficultHousehold', String(input.householdId), 'input.householdId');
            const household = await tx.difficultHousehold.findUnique({ where: { id: householdId } });
            if (!household || !(await scopedOrganization(tx, ctx, household.organizationId)))
              throw new NotFoundError('DifficultHousehold', String(input.householdId));
            partner = { householdId: household.id };
            partnerName = `困难户${household.village}${household.name}`;
          }
          if ((await tx.helpPairing.count({ where: { memberId: member.id, status: 'OPEN', ...partner } })) > 0) {
            throw new ConflictError(`${member.name} already has an open pairing with this ${input.talentId ? 'talent' : 'household'}`, {
              field: input.talentId ? 'input.talentId' : 'input.householdId',
            });
          }
          const pairing = await tx.helpPairing.create({
            ...query,
            data: { memberId: member.id, organizationId: member.organizationId, goals, startedAt: input.startedAt, ...partner },
          });
          await publish('dual-cultivation.pairingCreated', {
            organization: member.organization,
            subjectType: 'HelpPairing',
            subjectId: pairing.id,
            summary: `${member.name}与${partnerName}结对（${isoDate(input.startedAt)}）`,
            data: { partner: input.talentId ? 'TALENT' : 'HOUSEHOLD', startedAt: isoDate(input.startedAt) },
          });
          return pairing;
        });
      },
    }),
  );

  builder.mutationField('closeHelpPairing', (t) =>
    t.prismaField({
      type: 'HelpPairing',
      description: '结束结对 — close an open pairing with its result, income change and jobs created (ADMIN or SECRETARY)',
      authScopes: WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '结对 — global ID of the pairing' }),
        input: t.arg({ type: CloseInput, required: true, description: '结对成效 — the outcome' }),
      },
      resolve: async (query, _root, { id, input }, ctx) => {
        const result = requiredText(input.result, 'input.result', 'short', 500);
        checkNotFuture(input.closedAt, 'input.closedAt');
        const incomeChange = input.incomeChange ?? null;
        const problem = incomeChange === null ? null : moneyProblem(incomeChange, true);
        if (problem) throw new InputError('input.incomeChange', problem);
        const jobs = input.jobsCreated ?? null;
        if (jobs !== null && (jobs < 0 || jobs > MAX_JOBS)) throw new InputError('input.jobsCreated', `must be between 0 and ${MAX_JOBS}`);
        return api.transact(ctx, async (tx, publish) => {
          const pairing = await findPairingInScope(tx, ctx, String(id), 'id');
          if (pairing.status !== 'OPEN')
            throw new IllegalStateError(`the pairing was already closed on ${isoDate(pairing.closedAt!)}`, pairing.status);
          checkNotBefore(input.closedAt, pairing.startedAt, 'input.closedAt', 'the start of the pairing');
          const last = await tx.helpPairingVisit.findFirst({
            where: { pairingId: pairing.id },
            orderBy: { date: 'desc' },
            select: { date: true },
          });
          if (last) checkNotBefore(input.closedAt, last.date, 'input.closedAt', 'the latest visit');
          // Only an open pairing closes: a concurrent close leaves nothing to update here.
          const closed = await tx.helpPairing.updateMany({
            where: { id: pairing.id, status: 'OPEN' },
            data: { status: 'CLOSED', closedAt: input.closedAt, result, incomeChange, jobsCreated: jobs },
          });
          if (closed.count !== 1) throw new IllegalStateError('the pairing was closed meanwhile', 'CLOSED');
          await publish('dual-cultivation.pairingClosed', {
            organization: pairing.organization,
            subjectType: 'HelpPairing',
            subjectId: pairing.id,
            summary: `结对帮扶结束（${isoDate(input.closedAt)}）：${result}`,
            data: { closedAt: isoDate(input.closedAt), incomeChange, jobsCreated: jobs },
          });
          return tx.helpPairing.findUniqueOrThrow({ ...query, where: { id: pairing.id } });
        });
      },
    }),
  );
}
