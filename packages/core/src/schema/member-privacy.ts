import { birthDateFromNationalId } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { hasRole, inSubtree } from '../auth/viewer.ts';
import type { Context } from '../context.ts';
import { ForbiddenError } from '../errors/errors.ts';
import { auditClearReads, type ClearReadAudit } from '../audit/clear-reads.ts';
import { openNationalId } from '../privacy/national-id.ts';
import { maskNationalId, maskPhone } from './member-rules.ts';

/** Personal fields readable in clear, with the name an audit summary gives them. */
const CLEAR_FIELDS = { nationalId: '身份证号', phone: '手机号' } as const;
type ClearField = keyof typeof CLEAR_FIELDS;

/**
 * The audit of clear reads: one request reading many members has its reads written in one transaction, an
 * audit-trail record per member and field, and one `member.personalDataRead` activity per member (what
 * auditors see in the feed).
 */
export const CLEAR_READ_AUDIT: ClearReadAudit<ClearField> = {
  kind: 'member.personalDataRead',
  subjectType: 'Member',
  subjectLabel: '党员',
  fieldLabels: CLEAR_FIELDS,
};

/**
 * What a privacy field reads of a member (Member is in select mode): where the membership lies (for
 * entitlement and the audit record; the name the record also names is in Member's base selection), and
 * the columns the field itself shows.
 */
const selectWith = <C extends string>(...columns: C[]) =>
  ({ organization: { select: { id: true, path: true } }, ...Object.fromEntries(columns.map((c) => [c, true])) }) as {
    organization: { select: { id: true; path: true } };
  } & Record<C, true>;

const CLEAR_ARG = {
  required: true,
  defaultValue: false,
  description:
    '明文 — true to read the value unmasked: needs ADMIN or SECRETARY over the member, and every such read is recorded in the audit trail and as a `member.personalDataRead` activity',
} as const;

interface MemberForPrivacy {
  id: string;
  name: string;
  organization: { id: string; path: string };
}

/**
 * True when the viewer may see this member's personal data: ADMIN or SECRETARY, and the membership
 * in their subtree (a member reached across the tree, e.g. through a cadre post, is not theirs to read).
 */
export function entitled(ctx: Context, member: MemberForPrivacy): boolean {
  return ctx.viewer !== null && hasRole(ctx.viewer, 'ADMIN', 'SECRETARY') && inSubtree(ctx.viewer, member.organization.path);
}

/** Returns the clear value after auditing the read, or fails when the viewer is not entitled. */
async function readClear(ctx: Context, member: MemberForPrivacy, field: ClearField, value: string | null): Promise<string | null> {
  if (!entitled(ctx, member)) {
    throw new ForbiddenError(`reading ${field} in clear requires the ADMIN or SECRETARY role over this member's organization`);
  }
  // Nothing personal is disclosed by an empty field, so it leaves no audit record.
  if (value === null) return null;
  // Waits for the record, so nothing is shown in clear without it.
  await auditClearReads(ctx, CLEAR_READ_AUDIT, field, member);
  return value;
}

/** Personal-data fields of Member (PIPL): masked, withheld, or in clear with an audit record. */
export function registerMemberPrivacy(builder: Builder): void {
  builder.prismaObjectFields('Member', (t) => ({
    nationalId: t.string({
      nullable: true,
      description:
        '身份证号 — national ID number, masked as first 4 + 10 stars + last 4 (`1101**********1234`) unless read with `clear: true` (audited). Reading it in clear without ADMIN or SECRETARY is a FORBIDDEN error on this field.',
      args: { clear: t.arg.boolean(CLEAR_ARG) },
      select: selectWith('nationalId'),
      resolve: (member, args, ctx) => {
        const clear = openNationalId(ctx, member.nationalId, 'Member.nationalId');
        return args.clear ? readClear(ctx, member, 'nationalId', clear) : clear === null ? null : maskNationalId(clear);
      },
    }),
    phone: t.string({
      nullable: true,
      description:
        '手机号 — mobile phone, masked as first 3 + 4 stars + last 4 (`138****5678`) unless read with `clear: true` (audited). Reading it in clear without ADMIN or SECRETARY is a FORBIDDEN error on this field.',
      args: { clear: t.arg.boolean(CLEAR_ARG) },
      select: selectWith('phone'),
      resolve: (member, args, ctx) =>
        args.clear ? readClear(ctx, member, 'phone', member.phone) : member.phone === null ? null : maskPhone(member.phone),
    }),
    birthYear: t.int({
      nullable: true,
      description: '出生年份 — year of birth, visible to everyone who may see the member (the full date is `birthDate`)',
      select: { nationalId: true, birthDate: true },
      resolve: (member, _args, ctx) => {
        const nationalId = openNationalId(ctx, member.nationalId, 'Member.nationalId');
        return (member.birthDate ?? (nationalId ? birthDateFromNationalId(nationalId) : null))?.getUTCFullYear() ?? null;
      },
    }),
    birthDate: t.field({
      type: 'Date',
      nullable: true,
      description:
        '出生日期 — full date of birth; only ADMIN or SECRETARY over the member see it, everyone else gets null (use `birthYear`)',
      select: selectWith('birthDate'),
      resolve: (member, _args, ctx) => (entitled(ctx, member) ? member.birthDate : null),
    }),
    ethnicity: t.string({
      nullable: true,
      description: '民族 — ethnicity; only ADMIN or SECRETARY over the member see it, everyone else gets null',
      select: selectWith('ethnicity'),
      resolve: (member, _args, ctx) => (entitled(ctx, member) ? member.ethnicity : null),
    }),
    education: t.string({
      nullable: true,
      description: '学历 — education; only ADMIN or SECRETARY over the member see it, everyone else gets null',
      select: selectWith('education'),
      resolve: (member, _args, ctx) => (entitled(ctx, member) ? member.education : null),
    }),
  }));
}
