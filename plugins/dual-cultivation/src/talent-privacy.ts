import { appendAuditIn, auditEntry, ForbiddenError, openNationalId, hasRole, inSubtree, loadOrganization, requestLoader, type Builder, type Context } from '@dangjian/core';
import type { Talent } from '@dangjian/db';
import { maskNationalId, maskPhone } from './personal-data-rules.ts';

/** Personal fields readable in clear, with the name an audit summary gives them. */
const CLEAR_FIELDS = { nationalId: '身份证号', phone: '手机号' } as const;
type ClearField = keyof typeof CLEAR_FIELDS;

/** The audit activity of clear reads; visible in feeds only to auditors and admins (plugin.ts). */
export const PERSONAL_DATA_READ = 'dual-cultivation.personalDataRead';

const CLEAR_ARG = {
  required: true,
  defaultValue: false,
  description:
    '明文 — true to read the value unmasked: needs ADMIN or SECRETARY over the talent’s organization, and every such read is recorded as a `dual-cultivation.personalDataRead` activity',
} as const;

interface Audited {
  talentId: string;
  name: string;
  organization: { id: string; path: string };
}

/**
 * Writes the audit of clear reads, as core does for members: one request reading many talents collects
 * its reads and writes them in one statement, one activity per talent listing the fields read. A query
 * has no transaction, and the read waits for the audit, so nothing is shown in clear without its record.
 */
async function auditClearReads(ctx: Context, keys: readonly string[]): Promise<true[]> {
  const byTalent = new Map<string, { talent: Audited; fields: ClearField[] }>();
  for (const key of keys) {
    const [field, talent] = JSON.parse(key) as [ClearField, Audited];
    const entry = byTalent.get(talent.talentId) ?? { talent, fields: [] };
    entry.fields.push(field);
    byTalent.set(talent.talentId, entry);
  }
  const reads = [...byTalent.values()];
  // The activity (for the feed) and the audit-trail records commit together or not at all.
  await ctx.db.$transaction(async (tx) => {
    await tx.activity.createMany({
      data: reads.map(({ talent, fields }) => ({
        kind: PERSONAL_DATA_READ,
        organizationId: talent.organization.id,
        path: talent.organization.path,
        actorId: ctx.viewer?.userId ?? null,
        subjectType: 'Talent',
        subjectId: talent.talentId,
        summary: `查看致富能人${talent.name}的${fields.map((f) => CLEAR_FIELDS[f]).join('、')}（明文）`,
        data: { fields },
      })),
    });
    const entries = reads.flatMap(({ talent, fields }) =>
      fields.map((field) => auditEntry(ctx, { operation: `read:Talent.${field}`, target: `Talent:${talent.talentId}`, result: 'OK', organizationId: talent.organization.id })),
    );
    await appendAuditIn(tx, entries);
  });
  return keys.map(() => true);
}

/** Returns the clear value after auditing the read, or fails when the viewer is not entitled. */
async function readClear(ctx: Context, talent: Talent, field: ClearField, value: string | null): Promise<string | null> {
  const org = ctx.viewer && hasRole(ctx.viewer, 'ADMIN', 'SECRETARY') ? await loadOrganization(ctx, talent.organizationId) : null;
  if (!ctx.viewer || !org || !inSubtree(ctx.viewer, org.path)) {
    throw new ForbiddenError(`reading ${field} in clear requires the ADMIN or SECRETARY role over the talent's organization`);
  }
  // Nothing personal is disclosed by an empty field, so it leaves no audit record.
  if (value === null) return null;
  const key = JSON.stringify([field, { talentId: talent.id, name: talent.name, organization: { id: org.id, path: org.path } }]);
  await requestLoader<string, true>(ctx, PERSONAL_DATA_READ, (keys) => auditClearReads(ctx, keys)).load(key);
  return value;
}

/** Personal-data fields of Talent (PIPL): masked exactly like a member's, or in clear with an audit record. */
export function registerTalentPrivacy(builder: Builder): void {
  builder.prismaObjectFields('Talent', (t) => ({
    nationalId: t.string({
      nullable: true,
      description:
        '身份证号 — national ID number, masked as first 4 + 10 stars + last 4 (`1101**********1234`) unless read with `clear: true` (audited). Reading it in clear without ADMIN or SECRETARY is a FORBIDDEN error on this field.',
      args: { clear: t.arg.boolean(CLEAR_ARG) },
      resolve: (talent, args, ctx) => {
        const clear = openNationalId(ctx, talent.nationalId, 'Talent.nationalId');
        return args.clear ? readClear(ctx, talent, 'nationalId', clear) : clear === null ? null : maskNationalId(clear);
      },
    }),
    phone: t.string({
      nullable: true,
      description:
        '手机号 — mobile phone, masked as first 3 + 4 stars + last 4 (`138****5678`) unless read with `clear: true` (audited). Reading it in clear without ADMIN or SECRETARY is a FORBIDDEN error on this field.',
      args: { clear: t.arg.boolean(CLEAR_ARG) },
      resolve: (talent, args, ctx) => (args.clear ? readClear(ctx, talent, 'phone', talent.phone) : talent.phone === null ? null : maskPhone(talent.phone)),
    }),
  }));
}
