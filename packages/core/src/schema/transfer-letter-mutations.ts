import type { Builder } from '../builder.ts';
import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { Prisma } from '@dangjian/db';
import { transact, type RecordActivity, type Tx } from '../activity/record.ts';
import { requireViewer } from '../auth/subtree.ts';
import { ConflictError, IllegalStateError, InputError, NotFoundError } from '../errors/errors.ts';
import { isoDate, utcToday } from '../kit/dates.ts';
import { uniqueOrConflict } from '../kit/unique.ts';
import { checkNotBefore, checkNotFuture, requiredText } from '../kit/validate/index.ts';
import { incomingWhere, openLetterFor, outgoingWhere, paidUpMonth, stateWhere, storeExpiry } from '../transfers/access.ts';
import { defaultValidUntil, latestValidUntil, receiptDueOn } from '../transfers/rules.ts';
import { decodeId } from './global-id.ts';
import { findMemberInScope, MEMBER_WRITERS, MEMBERSHIP_KINDS } from './member-access.ts';
import { insertMember, parseNewMember, type RegisterMemberFields } from './member-mutations.ts';
import { moveMembership } from './member-transfer.ts';
import { findOrganizationInScope } from './organization-mutations.ts';

/** Pothos resolves a type name to its ref when the schema is built; the input is registered by member-mutations. */
const RegisterMemberInputByName = 'RegisterMemberInput' as unknown as never;

/** Decodes a letter id and stores a lapsed expiry before the mutation's own transaction (see storeExpiry). */
async function expireFirst(ctx: Parameters<typeof requireViewer>[0], globalId: string, today: Date): Promise<void> {
  await storeExpiry(ctx.db, [decodeId('TransferLetter', globalId, 'id')], today);
}

/**
 * Records the activity in the sender's subtree and, for a letter to this deployment, in the receiver's, so
 * that each side's feed hears of a letter decided by the other.
 */
async function recordOnEachSide(
  tx: Tx,
  record: RecordActivity,
  letter: { id: string; issuerId: string | null; destinationId: string | null },
  kind: string,
  summary: string,
  data: Prisma.InputJsonValue,
): Promise<void> {
  for (const id of [letter.issuerId!, ...(letter.destinationId ? [letter.destinationId] : [])]) {
    const organization = await tx.organization.findUniqueOrThrow({ where: { id }, select: { id: true, path: true } });
    await record({ kind, organization, subjectType: 'TransferLetter', subjectId: letter.id, summary, data });
  }
}

/** The mutations of a transfer letter: issue, accept, return, withdraw, record the receipt, receive from outside. */
export function registerTransferLetterMutations(builder: Builder): void {
  const IssueInput = builder.inputType('IssueTransferLetterInput', {
    description:
      '开具介绍信 — a transfer letter for a member of your subtree, to an organization of this deployment (destinationOrganizationId) or to an external destination (destinationName and destinationAddress)',
    fields: (t) => ({
      memberId: t.id({ required: true, description: '党员 — the member transferring out' }),
      number: t.string({
        required: true,
        description: '介绍信编号 — the letter’s number, unique for the issuing organization; at most 64 characters',
      }),
      destinationOrganizationId: t.id({
        required: false,
        description: '接收党支部 — a branch anywhere in this deployment (another department included)',
      }),
      destinationName: t.string({ required: false, description: '外部接收党组织 — name of an external destination' }),
      destinationAddress: t.string({ required: false, description: '外部接收地址 — address of an external destination' }),
      reason: t.string({ required: true, description: '转接原因 — reason, e.g. 工作调动; at most 200 characters' }),
      issuedOn: t.field({ type: 'Date', required: false, description: '开具日期 — default today; not in the future' }),
      validUntil: t.field({
        type: 'Date',
        required: false,
        description: '有效期至 — last valid day; default ten days after issue, at most three months after it',
      }),
    }),
  });

  builder.mutationField('issueTransferLetter', (t) =>
    t.prismaField({
      type: 'TransferLetter',
      description:
        '开具组织关系介绍信 — issue a transfer letter (ADMIN or SECRETARY of the member’s organization or above). The member is transferring out and belongs to the sender until the letter is accepted; a second open letter is a CONFLICT.',
      authScopes: MEMBER_WRITERS,
      args: {
        input: t.arg({ type: IssueInput, required: true, description: '介绍信 — the letter' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const today = utcToday();
        const number = requiredText(input.number, 'input.number', 'code');
        const reason = requiredText(input.reason, 'input.reason', 'name');
        const destinationName = requiredText(input.destinationName, 'input.destinationName', 'name');
        const destinationAddress = requiredText(input.destinationAddress, 'input.destinationAddress', 'name');
        const internal = input.destinationOrganizationId != null;
        if (internal && (destinationName != null || destinationAddress != null)) {
          throw new InputError('input.destinationName', 'give either destinationOrganizationId or an external destination, not both');
        }
        if (!internal && destinationName == null) {
          throw new InputError('input.destinationOrganizationId', 'give an organization of this deployment or an external destinationName');
        }
        if (!internal && destinationAddress == null)
          throw new InputError('input.destinationAddress', 'is required for an external destination');
        const issuedOn = input.issuedOn ?? today;
        checkNotFuture(issuedOn, 'input.issuedOn');
        const validUntil = input.validUntil ?? defaultValidUntil(issuedOn);
        checkNotBefore(validUntil, issuedOn, 'input.validUntil', 'the day of issue');
        if (validUntil.getTime() > latestValidUntil(issuedOn).getTime()) {
          throw new InputError('input.validUntil', `must be at most three months after issue (${isoDate(latestValidUntil(issuedOn))})`);
        }
        return transact(ctx, async (tx, record) => {
          const member = await findMemberInScope(tx, ctx, String(input.memberId), 'input.memberId');
          if (member.standing !== 'ACTIVE') {
            throw new IllegalStateError(`${member.name} is ${member.standing}; only an ACTIVE member can transfer`, member.standing);
          }
          let destination: { id: string; name: string; path: string } | null = null;
          if (internal) {
            // Any organization of the deployment may be addressed: the receiving side need not be in the sender's subtree.
            const id = decodeId('Organization', String(input.destinationOrganizationId), 'input.destinationOrganizationId');
            const org = await tx.organization.findUnique({ where: { id } });
            if (!org) throw new NotFoundError('Organization', String(input.destinationOrganizationId));
            if (!MEMBERSHIP_KINDS.includes(org.kind)) {
              throw new InputError('input.destinationOrganizationId', `memberships belong to a branch (党支部), not to a ${org.kind}`);
            }
            if (org.id === member.organizationId)
              throw new InputError('input.destinationOrganizationId', 'is already the organization of this membership');
            destination = org;
          }
          // Raising the member's version locks the row: two letters issued at once for one member queue here,
          // and the second sees the first as open.
          await tx.member.update({ where: { id: member.id }, data: { version: { increment: 1 } } });
          const open = await tx.transferLetter.findFirst({
            where: { memberId: member.id, ...stateWhere('ISSUED', today) },
            select: { number: true },
          });
          if (open)
            throw new ConflictError(`${member.name} already has an open transfer letter (${open.number})`, { field: 'input.memberId' });
          const issuer = member.organization;
          const paidUpTo = await paidUpMonth(tx, member);
          const letter = await uniqueOrConflict(
            () =>
              tx.transferLetter.create({
                ...query,
                data: {
                  number,
                  memberId: member.id,
                  memberName: member.name,
                  issuerId: issuer.id,
                  issuerName: issuer.name,
                  destinationId: destination?.id ?? null,
                  destinationName: destination?.name ?? destinationName!,
                  destinationAddress: destination ? null : destinationAddress,
                  paidUpTo,
                  issuedOn,
                  validUntil,
                  receiptDueOn: receiptDueOn(issuedOn),
                  reason,
                  actorId: viewer.userId,
                },
              }),
            () => new ConflictError(`${issuer.name} already issued a transfer letter numbered ${number}`, { field: 'input.number' }),
          );
          const data = { letterId: letter.id, number, validUntil: isoDate(validUntil) };
          const toName = destination?.name ?? destinationName!;
          await record({
            kind: 'member.transferLetterIssued',
            organization: issuer,
            subjectType: 'TransferLetter',
            subjectId: letter.id,
            summary: `${issuer.name}为${member.name}开具组织关系介绍信（${number}），转往${toName}`,
            data,
          });
          // The receiving side hears of it in its own subtree: only what the letter carries.
          if (destination) {
            await record({
              kind: 'member.transferLetterIncoming',
              organization: destination,
              subjectType: 'TransferLetter',
              subjectId: letter.id,
              summary: `收到${issuer.name}开具的${member.name}组织关系介绍信（${number}）`,
              data,
            });
          }
          return letter;
        });
      },
    }),
  );

  builder.mutationField('acceptTransferLetter', (t) =>
    t.prismaField({
      type: 'TransferLetter',
      description:
        '接收组织关系 — accept a letter addressed to your subtree (ADMIN or SECRETARY): the member moves there, history kept, and the receipt (回执) is recorded. A letter not ISSUED (accepted, expired …) is ILLEGAL_STATE.',
      authScopes: MEMBER_WRITERS,
      args: { id: t.arg.id({ required: true, description: '介绍信 — global ID of the letter' }) },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const today = utcToday();
        await expireFirst(ctx, String(args.id), today);
        return transact(ctx, async (tx, record) => {
          const letter = await openLetterFor(tx, incomingWhere(ctx), String(args.id), 'id', today, 'accepted');
          const taken = await tx.transferLetter.updateMany({
            where: { id: letter.id, state: 'ISSUED' },
            data: { state: 'ACCEPTED', receiptOn: today, decidedAt: new Date(), actorId: viewer.userId },
          });
          // A concurrent acceptance got in first: refuse with the state it left.
          if (taken.count === 0) throw new IllegalStateError(`transfer letter ${letter.number} is no longer ISSUED`, 'ACCEPTED');
          const member = await tx.member.findUniqueOrThrow({ where: { id: letter.memberId }, include: { organization: true } });
          const destination = await tx.organization.findUniqueOrThrow({ where: { id: letter.destinationId! } });
          await moveMembership(tx, record, member, destination, `${letter.reason}（介绍信${letter.number}）`, viewer.userId);
          return tx.transferLetter.findUniqueOrThrow({ ...query, where: { id: letter.id } });
        });
      },
    }),
  );

  builder.mutationField('returnTransferLetter', (t) =>
    t.prismaField({
      type: 'TransferLetter',
      description:
        '退回介绍信 — return a letter addressed to your subtree with a reason (ADMIN or SECRETARY); the member stays with the sender',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '介绍信 — global ID of the letter' }),
        reason: t.arg.string({ required: true, description: '退回原因 — why it is returned; at most 200 characters' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const today = utcToday();
        const reason = requiredText(args.reason, 'reason', 'name');
        await expireFirst(ctx, String(args.id), today);
        return transact(ctx, async (tx, record) => {
          const letter = await openLetterFor(tx, incomingWhere(ctx), String(args.id), 'id', today, 'returned');
          const returned = await tx.transferLetter.update({
            ...query,
            where: { id: letter.id },
            data: { state: 'RETURNED', returnReason: reason, decidedAt: new Date(), actorId: viewer.userId },
          });
          const summary = `${letter.destinationName}退回${letter.memberName}的组织关系介绍信（${letter.number}）：${reason}`;
          await recordOnEachSide(tx, record, letter, 'member.transferLetterReturned', summary, {
            letterId: letter.id,
            number: letter.number,
            reason,
          });
          return returned;
        });
      },
    }),
  );

  builder.mutationField('withdrawTransferLetter', (t) =>
    t.prismaField({
      type: 'TransferLetter',
      description: '撤回介绍信 — withdraw a letter your subtree issued, before it is accepted (ADMIN or SECRETARY)',
      authScopes: MEMBER_WRITERS,
      args: { id: t.arg.id({ required: true, description: '介绍信 — global ID of the letter' }) },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const today = utcToday();
        await expireFirst(ctx, String(args.id), today);
        return transact(ctx, async (tx, record) => {
          const letter = await openLetterFor(tx, outgoingWhere(ctx), String(args.id), 'id', today, 'withdrawn');
          const withdrawn = await tx.transferLetter.update({
            ...query,
            where: { id: letter.id },
            data: { state: 'WITHDRAWN', decidedAt: new Date(), actorId: viewer.userId },
          });
          const summary = `${letter.issuerName}撤回${letter.memberName}的组织关系介绍信（${letter.number}）`;
          await recordOnEachSide(tx, record, letter, 'member.transferLetterWithdrawn', summary, {
            letterId: letter.id,
            number: letter.number,
          });
          return withdrawn;
        });
      },
    }),
  );

  builder.mutationField('recordTransferReceipt', (t) =>
    t.prismaField({
      type: 'TransferLetter',
      description:
        '登记回执 — record the receipt (回执) returned for an external letter your subtree issued (ADMIN or SECRETARY): the letter is COMPLETED and the member TRANSFERRED_OUT (off the roll, history kept)',
      authScopes: MEMBER_WRITERS,
      args: {
        id: t.arg.id({ required: true, description: '介绍信 — global ID of the letter' }),
        receivedOn: t.arg({ type: 'Date', required: false, description: '回执日期 — default today; not in the future, not before issue' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const viewer = requireViewer(ctx);
        const today = utcToday();
        const receivedOn = args.receivedOn ?? today;
        checkNotFuture(receivedOn, 'receivedOn');
        return transact(ctx, async (tx, record) => {
          const letter = await openLetterFor(tx, outgoingWhere(ctx), String(args.id), 'id', today, 'completed');
          if (letter.destinationId !== null) {
            throw new InputError('id', 'is a letter to an organization of this deployment: its receipt is recorded when it is accepted');
          }
          checkNotBefore(receivedOn, letter.issuedOn, 'receivedOn', 'the day of issue');
          const completed = await tx.transferLetter.update({
            ...query,
            where: { id: letter.id },
            data: { state: 'COMPLETED', receiptOn: receivedOn, decidedAt: new Date(), actorId: viewer.userId },
          });
          // The membership now belongs elsewhere: off this deployment's rolls, counts and arrears (TRANSFERRED_OUT
          // is not ON_ROLL), its history kept. Until the receipt the sender stayed responsible.
          await tx.member.update({
            where: { id: letter.memberId },
            data: { standing: 'TRANSFERRED_OUT', standingSince: receivedOn, version: { increment: 1 } },
          });
          const organization = await tx.organization.findUniqueOrThrow({
            where: { id: letter.issuerId! },
            select: { id: true, path: true },
          });
          await record({
            kind: 'member.transferLetterCompleted',
            organization,
            subjectType: 'TransferLetter',
            subjectId: letter.id,
            summary: `${letter.memberName}的组织关系已转至${letter.destinationName}，回执已登记（${letter.number}）`,
            data: { letterId: letter.id, number: letter.number, receiptOn: isoDate(receivedOn) },
          });
          return completed;
        });
      },
    }),
  );

  const ReceiveInput = builder.inputType('ReceiveMemberFromOutsideInput', {
    description: '外部转入 — a member arriving with a letter from an organization outside this deployment',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '接收党支部 — the branch of your subtree receiving the member' }),
      letterNumber: t.string({ required: true, description: '介绍信编号 — the incoming letter’s number; at most 64 characters' }),
      originName: t.string({ required: true, description: '转出党组织 — the sending organization; at most 200 characters' }),
      issuedOn: t.field({ type: 'Date', required: true, description: '开具日期 — when the incoming letter was issued; not in the future' }),
      paidUpTo: t.field({
        type: 'Date',
        required: false,
        description: '党费交至 — any day of the month the dues are paid up to, as the letter states',
      }),
      member: t.field({
        type: RegisterMemberInputByName,
        required: true,
        description: '党员信息 — the member, as for registerMember (organizationId is ignored)',
      }),
    }),
  });

  builder.mutationField('receiveMemberFromOutside', (t) =>
    t.prismaField({
      type: 'TransferLetter',
      description:
        '外部转入 — register a member arriving from outside this deployment with the incoming letter’s number (ADMIN or SECRETARY of the receiving branch or above); the letter is recorded as ACCEPTED',
      authScopes: MEMBER_WRITERS,
      args: {
        input: t.arg({ type: ReceiveInput, required: true, description: '转入 — the arrival' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const viewer = requireViewer(ctx);
        const today = utcToday();
        const number = requiredText(input.letterNumber, 'input.letterNumber', 'code');
        const originName = requiredText(input.originName, 'input.originName', 'name');
        checkNotFuture(input.issuedOn, 'input.issuedOn');
        const facts = parseNewMember(input.member as RegisterMemberFields, 'input.member');
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
          if (!MEMBERSHIP_KINDS.includes(org.kind)) {
            throw new InputError('input.organizationId', `memberships belong to a branch (党支部), not to a ${org.kind}`);
          }
          const duplicate = await tx.transferLetter.count({ where: { issuerId: null, destinationId: org.id, number, originName } });
          if (duplicate > 0)
            throw new ConflictError(`letter ${number} from ${originName} is already recorded here`, { field: 'input.letterNumber' });
          const member = await insertMember(tx, ctx, record, org, facts, undefined, 'input.member.nationalId');
          const letter = await tx.transferLetter.create({
            ...query,
            data: {
              number,
              memberId: member.id,
              memberName: member.name,
              issuerId: null,
              issuerName: originName,
              originName,
              destinationId: org.id,
              destinationName: org.name,
              paidUpTo: input.paidUpTo ? new Date(Date.UTC(input.paidUpTo.getUTCFullYear(), input.paidUpTo.getUTCMonth(), 1)) : null,
              issuedOn: input.issuedOn,
              validUntil: input.issuedOn,
              receiptDueOn: receiptDueOn(input.issuedOn),
              receiptOn: today,
              state: 'ACCEPTED',
              decidedAt: new Date(),
              reason: '外部转入',
              actorId: viewer.userId,
            },
          });
          await record({
            kind: 'member.transferredIn',
            organization: org,
            subjectType: 'Member',
            subjectId: member.id,
            summary: `${member.name}的组织关系由${originName}转入${org.name}（介绍信${number}）`,
            data: { letterId: letter.id, number, originName },
          });
          return letter;
        });
      },
    }),
  );
}
