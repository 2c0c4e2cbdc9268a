import {
  checkNotBefore,
  checkNotFuture,
  ConflictError,
  IDEMPOTENCY_KEY_ARG,
  IllegalStateError,
  requiredText,
  type Builder,
} from '@dangjian/core';
import { WRITERS } from './access.ts';
import type { Deps } from './deps.ts';
import { findPairingInScope } from './pairing-mutations.ts';
import { isoDate } from './personal-data-rules.ts';

/** 走访帮扶记录 (HelpPairingVisit) and `recordPairingVisit`. */
export function registerPairingVisit(builder: Builder, { api }: Deps): void {
  builder.prismaObject('HelpPairingVisit', {
    description: '走访帮扶记录 — one visit or act of help within a pairing',
    fields: (t) => ({
      date: t.expose('date', { type: 'Date', description: '日期 — the day of the visit' }),
      content: t.exposeString('content', { description: '帮扶内容 — what was done' }),
      recordedAt: t.expose('createdAt', { type: 'DateTime', description: '登记时间 — when it was recorded' }),
      pairing: t.relation('pairing', { description: '结对 — the pairing' }),
    }),
  });

  const VisitInput = builder.inputType('RecordPairingVisitInput', {
    description: '登记走访 — a visit or act of help within an open pairing',
    fields: (t) => ({
      pairingId: t.id({ required: true, description: '结对 — an open pairing of your subtree' }),
      date: t.field({ type: 'Date', required: true, description: '日期 — not in the future, not before the pairing started' }),
      content: t.string({ required: true, description: '帮扶内容 — what was done, at most 500 characters' }),
    }),
  });

  builder.mutationField('recordPairingVisit', (t) =>
    t.prismaField({
      type: 'HelpPairingVisit',
      description: '登记走访 — record a visit or help given within an open pairing (ADMIN or SECRETARY)',
      authScopes: WRITERS,
      args: {
        input: t.arg({ type: VisitInput, required: true, description: '走访信息 — the visit' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const content = requiredText(input.content, 'input.content', 'short', 500);
        checkNotFuture(input.date, 'input.date');
        return api.transact(ctx, async (tx, publish) => {
          const pairing = await findPairingInScope(tx, ctx, String(input.pairingId), 'input.pairingId');
          if (pairing.status !== 'OPEN') throw new IllegalStateError('visits are recorded only in an OPEN pairing', pairing.status);
          checkNotBefore(input.date, pairing.startedAt, 'input.date', 'the start of the pairing');
          if ((await tx.helpPairingVisit.count({ where: { pairingId: pairing.id, date: input.date, content } })) > 0) {
            throw new ConflictError(`this visit of ${isoDate(input.date)} is already recorded`, { field: 'input.content' });
          }
          const visit = await tx.helpPairingVisit.create({ ...query, data: { pairingId: pairing.id, date: input.date, content } });
          await publish('dual-cultivation.pairingVisited', {
            organization: pairing.organization,
            subjectType: 'HelpPairing',
            subjectId: pairing.id,
            summary: `结对走访（${isoDate(input.date)}）：${content}`,
            data: { date: isoDate(input.date) },
          });
          return visit;
        });
      },
    }),
  );
}
