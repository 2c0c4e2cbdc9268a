import { isoDate, utcToday } from '../../kit/dates.ts';
import { computeShortfalls, type Cadence, type MeetingCount } from '../../schema/meeting-cadence.ts';
import { countCadenceMeetings, type LoadedCadenceBranch, loadCadenceBranches } from '../../schema/meeting-cadence-data.ts';
import { daysBetween, type Reminder, type ReminderRule, type ReminderScope } from '../rule.ts';

/** What the rule reads for a department: its branches (as the cadence check sees them) and this quarter's meetings. */
export interface MeetingDueData {
  branches: LoadedCadenceBranch[];
  counts: MeetingCount[];
}

const KIND_NAMES: Record<string, string> = {
  GENERAL_MEETING: '支部党员大会',
  COMMITTEE_MEETING: '支部委员会',
  GROUP_MEETING: '党小组会',
  PARTY_LECTURE: '党课',
  THEME_DAY: '主题党日',
};

/** The current month or quarter: first and last day, and its key (`YYYY-MM` / `YYYY-Qn`). */
export function currentPeriod(cadence: Cadence, today: Date): { from: Date; to: Date; key: string } {
  const span = cadence === 'MONTHLY' ? 1 : 3;
  const first = Math.floor(today.getUTCMonth() / span) * span;
  const from = new Date(Date.UTC(today.getUTCFullYear(), first, 1));
  const to = new Date(Date.UTC(today.getUTCFullYear(), first + span, 0));
  const key = cadence === 'MONTHLY' ? isoDate(from).slice(0, 7) : `${from.getUTCFullYear()}-Q${first / 3 + 1}`;
  return { from, to, key };
}

/**
 * 三会一课提醒 — a required meeting not yet held this month (monthly kinds) or quarter (quarterly kinds) with
 * N days or fewer left in it. What is required is meeting-cadence.ts's rule (committee only where there is
 * one, 党小组会 per group, a temporary branch only during its term). To the branch's SECRETARY.
 */
export const meetingDueRule: ReminderRule<MeetingDueData> = {
  id: 'core.meetingDue',
  description:
    '三会一课提醒 — a required meeting not yet held with the threshold (days) or fewer left in its month or quarter; to the SECRETARY',
  unit: 'DAYS',
  defaults: [21],
  async load(db, { root, now }) {
    const today = utcToday(now);
    const quarter = currentPeriod('QUARTERLY', today);
    // The branches and meetings as the cadence queries read them (one statement each), so a reminder and
    // `meetingShortfalls` never disagree about what a branch owes.
    const branches = await loadCadenceBranches(db, { path: root.path });
    // Meetings held so far this quarter (a month is inside it), per organization, kind and month.
    const counts = await countCadenceMeetings(db, { path: root.path }, quarter.from, today);
    return { branches, counts };
  },
  evaluate(data, scope) {
    return (['QUARTERLY', 'MONTHLY'] as const).flatMap((cadence) => periodReminders(data, scope, cadence));
  },
};

function periodReminders(data: MeetingDueData, { now, thresholds }: ReminderScope, cadence: Cadence): Reminder[] {
  const today = utcToday(now);
  const period = currentPeriod(cadence, today);
  const left = daysBetween(today, period.to);
  const days = [...thresholds].sort((a, b) => a - b).find((n) => left <= n);
  if (days === undefined) return [];
  const byId = new Map(data.branches.map((b) => [b.id, b]));
  const unit = cadence === 'MONTHLY' ? '月' : '季度';
  return computeShortfalls(period.from, period.to, data.branches, data.counts)
    .filter((s) => s.cadence === cadence)
    .map((s) => {
      const branch = byId.get(s.organizationId)!;
      const kind = KIND_NAMES[s.kind] ?? s.kind;
      return {
        subjectType: 'Organization',
        subjectId: branch.id,
        threshold: `${s.kind}@${period.key}:${days}d`,
        organization: { id: branch.id, path: branch.path },
        to: [{ organizationId: branch.id, role: 'SECRETARY' as const }],
        title: `${branch.name}${kind}提醒`,
        body: `${branch.name}本${unit}（${period.key}）${kind}应开${s.required}次、已开${s.held}次，距${unit}末还有${left}天。`,
      };
    });
}
