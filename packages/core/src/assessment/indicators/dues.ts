import { dueStatements, loadSubtreeDues, percent } from '../../dues/collection.ts';
import { monthStart } from '../../schema/member-rules.ts';
import { formatFen } from '../../dues/standard.ts';
import type { IndicatorDefinition, IndicatorEvidence } from '../indicator.ts';
import { onTimeCountsByPath } from './dues-on-time-sql.ts';

/** Most evidence rows listed for one organization (the shortfalls first). */
const MAX_EVIDENCE = 500;

/** The paths to read: the nearest common ancestor of several (within one department), else the paths. */
export function commonSubtree(paths: readonly string[]): readonly string[] {
  if (paths.length < 2) return paths;
  let prefix = paths[0]!;
  for (const path of paths) while (!path.startsWith(prefix)) prefix = prefix.slice(0, prefix.lastIndexOf('/', prefix.length - 2) + 1);
  return prefix.length > 1 ? [prefix] : paths;
}

/**
 * core.dues.onTime — 党费按时缴纳率: the share of member-months due in the period (the members of the
 * organization's subtree, from each member's joining month, up to the latest month due by `today`) paid at
 * their standard by the due date. Exempt months (standard 0) are left out; a month without a base counts as
 * paid on time when any payment was made by the due date. Members count where their membership is now.
 */
export const duesOnTime: IndicatorDefinition = {
  id: 'core.dues.onTime',
  name: '党费按时足额缴纳率',
  description:
    '党费按时足额缴纳率 — share of member-months due in the period that were paid at the standard by their due date (the department’s due day, default the month’s end); exempt months are not counted',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: ['WORKING_COMMITTEE', 'COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'TEMPORARY_BRANCH'],

  // One statement for any number of organizations: the member-months are stated and counted per
  // organization in SQL (dues-on-time-sql.ts); a member counts for each asked organization among its
  // ancestors — a walk up the few thousand organization paths, not members × organizations.
  async value({ db, organizations, period, today }) {
    const values = new Map<string, number | null>();
    if (organizations.length === 0) return values;
    // One subtree, that of the organizations' nearest common ancestor: thousands of `path LIKE` alternatives
    // (a ranking's every branch) took ~10 s in PostgreSQL.
    const counts = await onTimeCountsByPath(
      db,
      commonSubtree(organizations.map((o) => o.path)),
      monthStart(period.from),
      monthStart(period.to),
      today,
    );
    const tallies = new Map(organizations.map((o) => [o.path, { chargeable: 0, onTime: 0 }]));
    for (const row of counts) {
      for (let end = row.path.indexOf('/', 1); end > 0; end = row.path.indexOf('/', end + 1)) {
        const tally = tallies.get(row.path.slice(0, end + 1));
        if (!tally) continue;
        tally.chargeable += row.chargeable;
        tally.onTime += row.onTime;
      }
    }
    for (const org of organizations) {
      const tally = tallies.get(org.path)!;
      values.set(org.id, percent(tally.onTime, tally.chargeable));
    }
    return values;
  },

  async evidence({ db, organization, period, today }) {
    const from = monthStart(period.from);
    const to = monthStart(period.to);
    const { members, data, settings } = await loadSubtreeDues(db, [organization.path], from);
    const rows: IndicatorEvidence[] = [];
    for (const member of members) {
      const memberData = data.get(member.id);
      if (!memberData) continue;
      for (const s of dueStatements(memberData, from, to, settings(member.path).dueDay, today)) {
        if (s.standardFen === 0) continue;
        const month = s.month.toISOString().slice(0, 7);
        const what = s.settledOnTime
          ? '按时足额'
          : s.owedFen === null || s.owedFen > 0
            ? `欠缴${s.owedFen === null ? '' : `${formatFen(s.owedFen)}元`}`
            : '逾期缴纳';
        rows.push({ type: 'Member', id: member.id, label: `${member.name} ${month} ${what}`, date: s.dueDate, counts: s.settledOnTime });
      }
    }
    // Shortfalls first, then by date; a long list is cut (the value is computed from all of them).
    rows.sort((a, b) => Number(a.counts) - Number(b.counts) || a.date!.getTime() - b.date!.getTime() || a.label.localeCompare(b.label));
    return rows.slice(0, MAX_EVIDENCE);
  },
};
