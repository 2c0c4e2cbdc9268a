import {
  auditClearReads,
  ForbiddenError,
  openNationalId,
  hasRole,
  inSubtree,
  loadOrganization,
  type Builder,
  type ClearReadAudit,
  type Context,
} from '@dangjian/core';
import type { Talent } from '@dangjian/db';
import { maskNationalId, maskPhone } from './personal-data-rules.ts';
import type { Deps } from './deps.ts';

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

/**
 * The audit of clear reads, as core does for members: one request reading many talents has its reads
 * written in one transaction, one activity per talent listing the fields read and an audit-trail record
 * per talent and field.
 */
const CLEAR_READ_AUDIT: ClearReadAudit<ClearField> = {
  kind: PERSONAL_DATA_READ,
  subjectType: 'Talent',
  subjectLabel: '致富能人',
  fieldLabels: CLEAR_FIELDS,
};

/** Returns the clear value after auditing the read, or fails when the viewer is not entitled. */
async function readClear(ctx: Context, talent: Talent, field: ClearField, value: string | null): Promise<string | null> {
  const org = ctx.viewer && hasRole(ctx.viewer, 'ADMIN', 'SECRETARY') ? await loadOrganization(ctx, talent.organizationId) : null;
  if (!ctx.viewer || !org || !inSubtree(ctx.viewer, org.path)) {
    throw new ForbiddenError(`reading ${field} in clear requires the ADMIN or SECRETARY role over the talent's organization`);
  }
  // Nothing personal is disclosed by an empty field, so it leaves no audit record.
  if (value === null) return null;
  // Waits for the record, so nothing is shown in clear without it.
  await auditClearReads(ctx, CLEAR_READ_AUDIT, field, { id: talent.id, name: talent.name, organization: { id: org.id, path: org.path } });
  return value;
}

/** Personal-data fields of Talent (PIPL): masked exactly like a member's, or in clear with an audit record. */
export function registerTalentPrivacy(builder: Builder, _deps: Deps): void {
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
      resolve: (talent, args, ctx) =>
        args.clear ? readClear(ctx, talent, 'phone', talent.phone) : talent.phone === null ? null : maskPhone(talent.phone),
    }),
  }));
}
