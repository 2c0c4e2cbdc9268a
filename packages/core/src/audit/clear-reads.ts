import type { Context } from '../context.ts';
import { requestLoader } from '../loaders.ts';
import { appendAuditIn } from './append.ts';
import { auditEntry } from './record.ts';

/** How clear reads of one type of object (a member, a talent …) are recorded. */
export interface ClearReadAudit<F extends string> {
  /** The activity kind written, one per object and request (e.g. `member.personalDataRead`); it also names the request's batch. */
  kind: string;
  /** The object's GraphQL type: the activity's `subjectType`, audit operations `read:<type>.<field>`, targets `<type>:<id>`. */
  subjectType: string;
  /** What the activity summary calls the object, e.g. `党员`. */
  subjectLabel: string;
  /** What the activity summary calls each field, e.g. `{ nationalId: '身份证号' }`. */
  fieldLabels: Readonly<Record<F, string>>;
}

/** The object a clear read is of, and the organization it lies in (that of its activity and audit records). */
export interface ClearReadSubject {
  id: string;
  name: string;
  organization: { id: string; path: string };
}

/**
 * Records a read of `field` of `subject` in clear, and resolves once it is written: the caller awaits it
 * before returning the value, so nothing is shown in clear without its record (fail closed — when the
 * write fails, so does the read).
 *
 * One request's reads of the same `audit.kind` are collected and written together, in one transaction of
 * the request's own (a query has none): one `audit.kind` activity per object, listing the fields read of
 * it in the order first read (`查看党员张三的身份证号、手机号（明文）`), and an audit-trail record per object
 * and field. The same read twice in a request is recorded once. Who may read in clear is the caller's
 * decision, made before calling this.
 */
export async function auditClearReads<F extends string>(
  ctx: Context,
  audit: ClearReadAudit<F>,
  field: F,
  subject: ClearReadSubject,
): Promise<void> {
  // The key carries what the audit needs; equal reads in one request share a key and are written once.
  const { id, path } = subject.organization;
  const key = JSON.stringify([field, { id: subject.id, name: subject.name, organization: { id, path } }]);
  await requestLoader<string, true>(ctx, audit.kind, (keys) => writeClearReads(ctx, audit, keys)).load(key);
}

async function writeClearReads<F extends string>(ctx: Context, audit: ClearReadAudit<F>, keys: readonly string[]): Promise<true[]> {
  const bySubject = new Map<string, { subject: ClearReadSubject; fields: F[] }>();
  for (const key of keys) {
    const [field, subject] = JSON.parse(key) as [F, ClearReadSubject];
    const entry = bySubject.get(subject.id) ?? { subject, fields: [] };
    entry.fields.push(field);
    bySubject.set(subject.id, entry);
  }
  await recordClearReads(ctx, audit, [...bySubject.values()]);
  return keys.map(() => true);
}

/**
 * Writes clear reads of many objects at once, in one transaction: a `audit.kind` activity per object and an
 * audit-trail record per object and field — what a request's reads produce, for a caller reading in pages
 * (an export) that must record each page before handing it out.
 */
export async function recordClearReads<F extends string>(
  ctx: Context,
  audit: ClearReadAudit<F>,
  reads: readonly { subject: ClearReadSubject; fields: readonly F[] }[],
): Promise<void> {
  if (reads.length === 0) return;
  // The activities (for the feed) and the audit-trail records commit together or not at all.
  await ctx.db.$transaction(async (tx) => {
    await tx.activity.createMany({
      data: reads.map(({ subject, fields }) => ({
        kind: audit.kind,
        organizationId: subject.organization.id,
        path: subject.organization.path,
        actorId: ctx.viewer?.userId ?? null,
        subjectType: audit.subjectType,
        subjectId: subject.id,
        summary: `查看${audit.subjectLabel}${subject.name}的${fields.map((f) => audit.fieldLabels[f]).join('、')}（明文）`,
        data: { fields: [...fields] },
      })),
    });
    const entries = reads.flatMap(({ subject, fields }) =>
      fields.map((field) =>
        auditEntry(ctx, {
          operation: `read:${audit.subjectType}.${field}`,
          target: `${audit.subjectType}:${subject.id}`,
          result: 'OK',
          organizationId: subject.organization.id,
        }),
      ),
    );
    await appendAuditIn(tx, entries);
  });
}
