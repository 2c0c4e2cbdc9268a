// 三会一课, 主题党日 and 组织生活会 as indicators. The cadence rules are meeting-cadence.ts's (the same that
// `meetingShortfalls` applies): whole calendar months/quarters inside the period, a temporary branch only
// over its term, 党小组会 per group, 支委会 only where the branch has a committee. Each value covers the
// branch's own meetings (and, for 党小组会, its groups'), not its subtree.

import type { MeetingKind, PrismaClient } from '@dangjian/db';
import { isoDate } from '../../kit/dates.ts';
import {
  CADENCE,
  CADENCE_KINDS,
  type CadenceTally,
  MEETING_KIND_LABELS,
  monthKey,
  requiredUnits,
  tallyCadence,
  unitOfMonth,
} from '../../schema/meeting-cadence.ts';
import { CADENCE_ORGANIZATION_KINDS, countCadenceMeetings, loadCadenceBranches } from '../../schema/meeting-cadence-data.ts';

import type { IndicatorDefinition, IndicatorEvidence, IndicatorMemo } from '../indicator.ts';
import { applicableIds, measuredUntil, percent, valuesOf } from '../indicator-values.ts';

const BRANCH_KINDS = CADENCE_ORGANIZATION_KINDS;

function meetingEvidence(m: { id: string; kind: MeetingKind; date: Date; topic: string }, counts: boolean): IndicatorEvidence {
  return { type: 'Meeting', id: m.id, label: `${MEETING_KIND_LABELS[m.kind]} ${isoDate(m.date)} ${m.topic}`, date: m.date, counts };
}

/**
 * The cadence tallies of every 三会一课 kind for the branches `ids`, by kind and branch: the branches and
 * the meeting counts are read once, and — with a memo — once for all five cadence indicators of a
 * computation, not once each.
 */
function cadenceTallies(input: {
  db: PrismaClient;
  ids: readonly string[];
  from: Date;
  until: Date;
  memo: IndicatorMemo | undefined;
}): Promise<Map<MeetingKind, Map<string, CadenceTally>>> {
  const { db, ids, from, until } = input;
  const load = async () => {
    const [branches, counts] = await Promise.all([
      loadCadenceBranches(db, { ids }),
      countCadenceMeetings(db, { ids }, from, until, CADENCE_KINDS),
    ]);
    const byKind = new Map<MeetingKind, Map<string, CadenceTally>>(CADENCE_KINDS.map((k) => [k, new Map()]));
    for (const tally of tallyCadence(from, until, branches, counts, CADENCE_KINDS))
      byKind.get(tally.kind)!.set(tally.organizationId, tally);
    return byKind;
  };
  if (!input.memo) return load();
  return input.memo.get(`core.meetings.cadence:${isoDate(from)}:${isoDate(until)}:${ids.join(',')}`, load);
}

/** An indicator of one 三会一课 kind against its cadence: the share of required months/quarters held. */
function cadenceIndicator(id: string, kind: MeetingKind, name: string, description: string): IndicatorDefinition {
  const cadence = CADENCE.find(([k]) => k === kind)![1];
  return {
    id,
    name,
    description,
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    appliesTo: BRANCH_KINDS,
    async value({ db, organizations, period, today, memo }) {
      const ids = applicableIds(organizations, BRANCH_KINDS);
      const until = measuredUntil(period, today);
      if (ids.length === 0 || until.getTime() < period.from.getTime()) return valuesOf(organizations, BRANCH_KINDS, () => null);
      const tallies = (await cadenceTallies({ db, ids, from: period.from, until, memo })).get(kind)!;
      return valuesOf(organizations, BRANCH_KINDS, (orgId) => {
        const tally = tallies.get(orgId);
        return tally ? percent(tally.held, tally.required) : null;
      });
    },
    async evidence({ db, organization, period, today }) {
      if (!BRANCH_KINDS.some((k) => k === organization.kind)) return [];
      const until = measuredUntil(period, today);
      const [branch] = await loadCadenceBranches(db, { ids: [organization.id] });
      if (!branch) return [];
      const units = until.getTime() < period.from.getTime() ? new Set<string>() : requiredUnits(branch, cadence, period.from, until);
      const holders = kind === 'GROUP_MEETING' ? branch.groupIds : [branch.id];
      const meetings = await db.meeting.findMany({
        where: { organizationId: { in: [...holders] }, kind, date: { gte: period.from, lte: period.to } },
        select: { id: true, kind: true, date: true, topic: true },
        orderBy: [{ date: 'asc' }, { id: 'asc' }],
      });
      // A meeting in a month the period only touches (or one still running) does not count, as in the value.
      return meetings.map((m) => meetingEvidence(m, units.has(unitOfMonth(cadence, monthKey(m.date)))));
    },
  };
}

const CADENCE_RULE =
  '只计期间内完整的自然月/季度（未结束的月份不计），临时党支部只计其存续期 — only whole calendar months/quarters inside the period count ' +
  '(months not yet ended are not owed), a temporary branch only over its term. Applies to 党支部 and 临时党支部; the branch’s own meetings.';

/** 支部党员大会 held in each required quarter. */
export const generalMeetingIndicator = cadenceIndicator(
  'core.meetings.generalMeeting',
  'GENERAL_MEETING',
  '支部党员大会按期召开率',
  `支部党员大会每季度至少召开一次：召开的季度占应召开季度的百分比 — share of required quarters with a branch general meeting. ${CADENCE_RULE}`,
);

/** 支部委员会 held in each required month (only where the branch has a committee). */
export const committeeMeetingIndicator = cadenceIndicator(
  'core.meetings.committeeMeeting',
  'COMMITTEE_MEETING',
  '支部委员会按期召开率',
  '支部委员会每月至少召开一次：召开的月份占应召开月份的百分比；不设支部委员会的支部不适用 — share of required months with a branch ' +
    `committee meeting; not applicable to a branch without a committee (only a secretary). ${CADENCE_RULE}`,
);

/** 党小组会 held by each group in each required month. */
export const groupMeetingIndicator = cadenceIndicator(
  'core.meetings.groupMeeting',
  'GROUP_MEETING',
  '党小组会按期召开率',
  '每个党小组每月至少召开一次党小组会：召开的(党小组, 月份)占应召开的百分比；未设党小组的支部不适用 — share of required (group, month) ' +
    `pairs with a group meeting; not applicable to a branch without groups. ${CADENCE_RULE}`,
);

/** 党课 held in each required quarter. */
export const partyLectureIndicator = cadenceIndicator(
  'core.meetings.partyLecture',
  'PARTY_LECTURE',
  '党课按期开展率',
  `党课每季度至少一次：开展的季度占应开展季度的百分比 — share of required quarters with a party lecture. ${CADENCE_RULE}`,
);

/** 主题党日 held in each required month. */
export const themeDayIndicator = cadenceIndicator(
  'core.meetings.themeDay',
  'THEME_DAY',
  '主题党日按期开展率',
  `主题党日每月一次：开展的月份占应开展月份的百分比 — share of required months with a theme day. ${CADENCE_RULE}`,
);

/** 组织生活会 held at least once in the period (the scheme's year). */
export const organizationalLifeIndicator: IndicatorDefinition = {
  id: 'core.meetings.organizationalLife',
  name: '组织生活会召开情况',
  description:
    '期间内（考核年度）召开组织生活会为1，否则为0；适用于党支部和临时党支部，只计本支部召开的会议 — 1 when the branch held an organizational life ' +
    'meeting in the period (the scheme’s year), else 0; applies to 党支部 and 临时党支部, the branch’s own meetings.',
  unit: 'YES_NO',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: BRANCH_KINDS,
  async value({ db, organizations, period }) {
    const ids = applicableIds(organizations, BRANCH_KINDS);
    const held =
      ids.length === 0
        ? []
        : await db.meeting.groupBy({
            by: ['organizationId'],
            where: { organizationId: { in: ids }, kind: 'ORGANIZATIONAL_LIFE_MEETING', date: { gte: period.from, lte: period.to } },
            _count: { _all: true },
          });
    const holding = new Set(held.map((r) => r.organizationId));
    return valuesOf(organizations, BRANCH_KINDS, (id) => (holding.has(id) ? 1 : 0));
  },
  async evidence({ db, organization, period }) {
    if (!BRANCH_KINDS.some((k) => k === organization.kind)) return [];
    const meetings = await db.meeting.findMany({
      where: { organizationId: organization.id, kind: 'ORGANIZATIONAL_LIFE_MEETING', date: { gte: period.from, lte: period.to } },
      select: { id: true, kind: true, date: true, topic: true },
      orderBy: [{ date: 'asc' }, { id: 'asc' }],
    });
    return meetings.map((m) => meetingEvidence(m, true));
  },
};
