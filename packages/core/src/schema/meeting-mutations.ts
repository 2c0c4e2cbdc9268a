import { IDEMPOTENCY_KEY_ARG } from '../activity/idempotency.ts';
import type { MeetingKind } from '@dangjian/db';
import type { Builder } from '../builder.ts';
import { organizationScope } from '../auth/subtree.ts';
import { transact } from '../activity/record.ts';
import { ConflictError, InputError } from '../errors/errors.ts';
import { ADMIN_OR_SECRETARY, assertMayWrite } from './cadre-access.ts';
import { checkNotFuture, optionalText, requiredText } from '../kit/validate/index.ts';
import { membershipScopePath } from './cadre-rules.ts';
import { MEETING_KIND_LABELS } from './meeting-cadence.ts';
import { isoDate } from '../kit/dates.ts';
import { decodeId } from './global-id.ts';
import type { MeetingKindRef } from './meeting.ts';
import { findOrganizationInScope } from './organization-mutations.ts';

const MAX_ATTENDEES = 1000;

interface AttendanceInput {
  memberId: string | number;
  present: boolean;
  absenceReason?: string | null;
}

interface CheckedAttendance {
  memberId: string;
  present: boolean;
  absenceReason: string | null;
}

/** Validates the attendance list on its own (IDs, reasons, duplicates), naming the entry at fault. */
function checkAttendance(list: readonly AttendanceInput[]): CheckedAttendance[] {
  if (list.length === 0) throw new InputError('input.attendance', 'must list at least one attendee');
  if (list.length > MAX_ATTENDEES) throw new InputError('input.attendance', `must list at most ${MAX_ATTENDEES} attendees`);
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const field = `input.attendance[${i}]`;
    const memberId = decodeId('Member', String(entry.memberId), `${field}.memberId`);
    if (seen.has(memberId)) throw new InputError(`${field}.memberId`, 'is listed more than once');
    seen.add(memberId);
    const reason = optionalText(entry.absenceReason, `${field}.absenceReason`, 'name');
    if (!entry.present && !reason) throw new InputError(`${field}.absenceReason`, 'is required for an absent attendee');
    if (entry.present && reason) throw new InputError(`${field}.absenceReason`, 'must be empty for a present attendee');
    return { memberId, present: entry.present, absenceReason: reason };
  });
}

/** `recordMeeting`: one meeting with its attendance, written together or not at all. */
export function registerMeetingMutations(builder: Builder, refs: { Kind: MeetingKindRef }): void {
  const AttendanceInput = builder.inputType('MeetingAttendanceInput', {
    description: '出席情况 — one member expected at the meeting',
    fields: (t) => ({
      memberId: t.id({
        required: true,
        description: '党员 — a member of the organization or below it (for a 党小组 or 临时党支部: of its parent or below)',
      }),
      present: t.boolean({ required: true, description: '出席 — true when present' }),
      absenceReason: t.string({
        required: false,
        description: '缺席原因 — required when absent, empty when present (at most 200 characters)',
      }),
    }),
  });

  const RecordMeetingInput = builder.inputType('RecordMeetingInput', {
    description: '登记组织生活 — record a meeting that was held',
    fields: (t) => ({
      organizationId: t.id({ required: true, description: '党组织 — who held it' }),
      kind: t.field({
        type: refs.Kind,
        required: true,
        description: '类别 — kind; GROUP_MEETING exactly when the organization is a 党小组',
      }),
      date: t.field({ type: 'Date', required: true, description: '日期 — the day it was held; not in the future' }),
      topic: t.string({ required: true, description: '主题 — topic (at most 200 characters)' }),
      attendance: t.field({ type: [AttendanceInput], required: true, description: '出席情况 — every member expected, each once' }),
    }),
  });

  builder.mutationField('recordMeeting', (t) =>
    t.prismaField({
      type: 'Meeting',
      description: '登记组织生活 — record a meeting of an organization in your subtree with its attendance (ADMIN or SECRETARY)',
      authScopes: ADMIN_OR_SECRETARY,
      args: {
        input: t.arg({ type: RecordMeetingInput, required: true, description: '会议信息' }),
        idempotencyKey: t.arg.string(IDEMPOTENCY_KEY_ARG),
      },
      resolve: async (query, _root, { input }, ctx) => {
        const kind: MeetingKind = input.kind;
        const topic = requiredText(input.topic, 'input.topic', 'name');
        checkNotFuture(input.date, 'input.date');
        const attendance = checkAttendance(input.attendance);
        return transact(ctx, async (tx, record) => {
          const org = await findOrganizationInScope(tx, ctx, String(input.organizationId), 'input.organizationId');
          assertMayWrite(ctx, org, false);
          // A 党小组 holds only 党小组会, and only a 党小组 does: the cadence check counts group meetings per group.
          if ((kind === 'GROUP_MEETING') !== (org.kind === 'GROUP')) {
            throw new InputError(
              'input.kind',
              org.kind === 'GROUP' ? 'a 党小组 records only GROUP_MEETING' : 'GROUP_MEETING is recorded by the 党小组 that held it',
            );
          }
          const members = await tx.member.findMany({
            where: {
              id: { in: attendance.map((a) => a.memberId) },
              AND: [{ organization: organizationScope(ctx) }, { organization: { path: { startsWith: membershipScopePath(org) } } }],
            },
            select: { id: true, joinedAt: true },
          });
          const joined = new Map(members.map((m) => [m.id, m.joinedAt]));
          attendance.forEach((entry, i) => {
            const joinedAt = joined.get(entry.memberId);
            // Nonexistent, outside the viewer's subtree and outside the organization all read the same.
            if (!joinedAt)
              throw new InputError(`input.attendance[${i}].memberId`, `is not a member of ${org.name} or of an organization below it`);
            if (joinedAt.getTime() > input.date.getTime())
              throw new InputError(`input.attendance[${i}].memberId`, 'joined the party after the meeting date');
          });
          const duplicate = await tx.meeting.count({ where: { organizationId: org.id, kind, date: input.date, topic } });
          if (duplicate > 0)
            throw new ConflictError(`${org.name} already recorded this ${kind} on ${isoDate(input.date)}`, { field: 'input.topic' });
          const meeting = await tx.meeting.create({
            ...query,
            data: { organizationId: org.id, kind, date: input.date, topic, attendance: { createMany: { data: attendance } } },
          });
          const present = attendance.filter((a) => a.present).length;
          await record({
            kind: 'meeting.recorded',
            organization: org,
            subjectType: 'Meeting',
            subjectId: meeting.id,
            summary: `${org.name}召开${MEETING_KIND_LABELS[kind]}：${topic}（应到${attendance.length}人，实到${present}人）`,
            data: { kind, date: isoDate(input.date), present, absent: attendance.length - present },
          });
          return meeting;
        });
      },
    }),
  );
}
