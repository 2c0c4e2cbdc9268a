/**
 * Scenario 8's peer (issue 23 §4): the live ranking as a hand-written program would compute it — one SQL
 * query per indicator against the tables Prisma created, the scoring and ranking in TypeScript — for the
 * subset of the scheme's indicators re-implemented here and checked equal to ours (PEER_ITEMS). The other
 * fourteen (the five 三会一课 cadences with their month/quarter/term rules, terms, cadres, training,
 * assessments, party-brand, talents, rectifications) are not re-implemented: the comparison is on a scheme
 * of these six items, ranked by both.
 */
import type pg from 'pg';

/** Six items, 27 points: indicators whose value is one query, re-implemented below. */
export const PEER_ITEMS = [
  {
    category: 'PARTY',
    name: '组织生活会召开',
    maxPoints: '5.00',
    source: 'INDICATOR',
    indicatorId: 'core.meetings.organizationalLife',
    rule: { kind: 'STEPPED', steps: [{ atLeast: '1.00', points: '5.00' }] },
  },
  {
    category: 'PARTY',
    name: '党费按时足额缴纳',
    maxPoints: '8.00',
    source: 'INDICATOR',
    indicatorId: 'core.dues.onTime',
    rule: {
      kind: 'STEPPED',
      steps: [
        { atLeast: '80.00', points: '4.00' },
        { atLeast: '95.00', points: '8.00' },
      ],
    },
  },
  {
    category: 'INTEGRATED',
    name: '结对帮带走访',
    maxPoints: '4.00',
    source: 'INDICATOR',
    indicatorId: 'dual-cultivation.pairings.visited',
    rule: { kind: 'PROPORTIONAL', target: '100.00' },
  },
  {
    category: 'INTEGRATED',
    name: '报到党员服务时长',
    maxPoints: '4.00',
    source: 'INDICATOR',
    indicatorId: 'community-report.service.hoursPerMember',
    rule: { kind: 'PROPORTIONAL', target: '10.00' },
  },
  {
    category: 'INTEGRATED',
    name: '完成社区需求',
    maxPoints: '4.00',
    source: 'INDICATOR',
    indicatorId: 'community-report.demands.completed',
    rule: { kind: 'STEPPED', steps: [{ atLeast: '1.00', points: '4.00' }] },
  },
  {
    category: 'INTEGRATED',
    name: '问题线索处置',
    maxPoints: '2.00',
    source: 'INDICATOR',
    indicatorId: 'discipline.clues.disposed',
    rule: { kind: 'PROPORTIONAL', target: '100.00' },
  },
];
export const PEER_TOTAL = '27.00';

const cents = (text: string) => Math.round(Number(text) * 100);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const pct1 = (part: number, whole: number) => (whole <= 0 ? null : Math.round((part / whole) * 1000) / 10);
const pct2 = (part: number, whole: number) => (whole === 0 ? null : Math.round((part * 10_000) / whole) / 100);

interface Branch {
  id: string;
  code: string;
  path: string;
}

/** Values per branch id (null: not applicable) for each peer indicator: one statement each. */
async function values(pool: pg.Pool, branches: Branch[], year: number, today: Date): Promise<Map<string, Map<string, number | null>>> {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const until = iso(new Date(Math.min(Date.UTC(year, 11, 31), today.getTime())));
  const ids = branches.map((b) => b.id);
  const paths = branches.map((b) => b.path);
  const idOfPath = new Map(branches.map((b) => [b.path, b.id]));
  const all = (f: (b: Branch) => number | null) => new Map(branches.map((b) => [b.id, f(b)]));
  const department = `/${branches[0]!.path.split('/')[1]}/`;
  const todayIso = iso(today);

  const [life, dues, visited, hours, demands, clues] = await Promise.all([
    pool.query<{ id: string }>(
      `SELECT DISTINCT "organizationId" AS id FROM "Meeting"
        WHERE "organizationId" = ANY($1::text[]) AND kind = 'ORGANIZATIONAL_LIFE_MEETING' AND date BETWEEN $2::date AND $3::date`,
      [ids, from, to],
    ),
    // Member-months of the year due by today (the department's due day, else the month's end), chargeable
    // when the standard (base by category and bracket, lowered by a reduction) is not 0, on time when paid
    // in full by the due day; counted by the member's organization, summed up to each branch below.
    pool.query<{ path: string; chargeable: number; on_time: number }>(
      `WITH mm AS (
         SELECT m.id, o.path, g.month::date AS month,
                (g.month + make_interval(days => LEAST(COALESCE(s."dueDay", 31), extract(day FROM g.month + interval '1 month - 1 day')::int) - 1))::date AS due
           FROM "Member" m
           JOIN "Organization" o ON o.id = m."organizationId"
           LEFT JOIN "DuesSetting" s ON s."organizationId" = split_part(o.path, '/', 2)
           CROSS JOIN LATERAL generate_series(GREATEST($2::date, date_trunc('month', m."joinedAt")::date)::timestamp,
                                              date_trunc('month', $3::date), interval '1 month') g(month)
          WHERE o.path LIKE $1 || '%'),
       due AS (SELECT * FROM mm WHERE month < date_trunc('month', $4::date) OR $4::date > due),
       base AS (
         SELECT b."memberId", b."effectiveFrom", lead(b."effectiveFrom") OVER (PARTITION BY b."memberId" ORDER BY b."effectiveFrom") AS next,
                CASE b.category::text
                  WHEN 'FARMER' THEN COALESCE(b."fixedFen", 20)
                  WHEN 'RETIRED' THEN (2 * COALESCE(b."baseFen", 0)::bigint * (CASE WHEN COALESCE(b."baseFen", 0) <= 500000 THEN 50 ELSE 100 END) + 10000) / 20000
                  WHEN 'STUDENT' THEN 20 WHEN 'UNEMPLOYED' THEN 20 WHEN 'SUBSISTENCE' THEN 20
                  ELSE (2 * COALESCE(b."baseFen", 0)::bigint * (CASE WHEN COALESCE(b."baseFen", 0) <= 300000 THEN 50 WHEN COALESCE(b."baseFen", 0) <= 500000 THEN 100 WHEN COALESCE(b."baseFen", 0) <= 1000000 THEN 150 ELSE 200 END) + 10000) / 20000
                END AS std
           FROM "DuesBase" b JOIN "Member" m ON m.id = b."memberId" JOIN "Organization" o ON o.id = m."organizationId"
          WHERE o.path LIKE $1 || '%'),
       paid AS (
         SELECT d.id, d.month, sum(round(p.amount * 100)) AS fen
           FROM due d JOIN "DuesPayment" p ON p."memberId" = d.id AND p.month = d.month AND p."paidAt" < (d.due + 1)::timestamp
          GROUP BY d.id, d.month),
       st AS (
         SELECT d.path, COALESCE(pd.fen, 0) AS paid,
                CASE WHEN r."amountFen" IS NULL THEN b.std WHEN b.std IS NULL THEN r."amountFen" ELSE LEAST(b.std, r."amountFen") END AS standard
           FROM due d
           LEFT JOIN base b ON b."memberId" = d.id AND b."effectiveFrom" <= d.month AND (b.next IS NULL OR d.month < b.next)
           LEFT JOIN "DuesReduction" r ON r."memberId" = d.id AND d.month BETWEEN r."fromMonth" AND r."toMonth"
           LEFT JOIN paid pd ON pd.id = d.id AND pd.month = d.month)
       SELECT path, count(*) FILTER (WHERE standard IS DISTINCT FROM 0)::int AS chargeable,
              count(*) FILTER (WHERE standard IS DISTINCT FROM 0 AND (CASE WHEN standard IS NULL THEN paid > 0 ELSE paid >= standard END))::int AS on_time
         FROM st GROUP BY path`,
      [department, from, to, todayIso],
    ),
    pool.query<{ org: string; open: number; visited: number }>(
      `SELECT p."organizationId" AS org, count(*)::int AS open,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM "HelpPairingVisit" v WHERE v."pairingId" = p.id AND v.date BETWEEN $2::date AND $3::date))::int AS visited
         FROM "HelpPairing" p
        WHERE p."organizationId" = ANY($1::text[]) AND p."startedAt" <= $3::date AND (p."closedAt" IS NULL OR p."closedAt" >= $2::date)
        GROUP BY p."organizationId"`,
      [ids, from, until],
    ),
    pool.query<{ path: string; hours: string | null; members: number }>(
      `WITH scope AS (SELECT p.path, o.id FROM unnest($1::text[]) p(path) JOIN "Organization" o ON o.path LIKE p.path || '%'),
       served AS (
         SELECT scope.path, sum(s.hours) AS hours FROM scope JOIN "CommunityServiceRecord" s ON s."organizationId" = scope.id
          WHERE s.status = 'VERIFIED' AND s.date BETWEEN $2::date AND $3::date GROUP BY scope.path),
       registered AS (
         SELECT scope.path, count(DISTINCT r."memberId")::int AS members FROM scope JOIN "CommunityRegistration" r ON r."organizationId" = scope.id
          WHERE r."memberId" IS NOT NULL AND r.date <= $3::date AND (r."withdrawnOn" IS NULL OR r."withdrawnOn" >= $2::date) GROUP BY scope.path)
       SELECT registered.path, served.hours::text AS hours, registered.members FROM registered LEFT JOIN served ON served.path = registered.path`,
      [paths, from, until],
    ),
    pool.query<{ path: string; completed: number }>(
      `SELECT p.path, count(c.id)::int AS completed
         FROM unnest($1::text[]) p(path) JOIN "Organization" o ON o.path LIKE p.path || '%'
         JOIN "CommunityDemandClaim" c ON c."organizationId" = o.id
        WHERE c.status::text IN ('COMPLETED', 'CONFIRMED') AND c."completedAt" >= $2::date AND c."completedAt" < $3::date + 1
        GROUP BY p.path`,
      [paths, from, until],
    ),
    pool.query<{ org: string; received: number; disposed: number }>(
      `SELECT "receivingOrganizationId" AS org, count(*)::int AS received,
              count(*) FILTER (WHERE status::text IN ('DISPOSED', 'CLOSED') AND "decidedAt" <= $3::date)::int AS disposed
         FROM "DisciplineClue"
        WHERE "receivingOrganizationId" = ANY($1::text[]) AND "receivedAt" BETWEEN $2::date AND $3::date
        GROUP BY "receivingOrganizationId"`,
      [ids, from, until],
    ),
  ]);

  const held = new Set(life.rows.map((r) => r.id));
  const duesTally = new Map(branches.map((b) => [b.path, { chargeable: 0, onTime: 0 }]));
  for (const row of dues.rows) {
    for (let end = row.path.indexOf('/', 1); end > 0; end = row.path.indexOf('/', end + 1)) {
      const t = duesTally.get(row.path.slice(0, end + 1));
      if (t) {
        t.chargeable += Number(row.chargeable);
        t.onTime += Number(row.on_time);
      }
    }
  }
  const pairings = new Map(visited.rows.map((r) => [r.org, r]));
  const service = new Map(hours.rows.map((r) => [idOfPath.get(r.path), r]));
  const completed = new Map(demands.rows.map((r) => [idOfPath.get(r.path), r.completed]));
  const clue = new Map(clues.rows.map((r) => [r.org, r]));
  return new Map<string, Map<string, number | null>>([
    ['core.meetings.organizationalLife', all((b) => (held.has(b.id) ? 1 : 0))],
    ['core.dues.onTime', all((b) => pct2(duesTally.get(b.path)!.onTime, duesTally.get(b.path)!.chargeable))],
    [
      'dual-cultivation.pairings.visited',
      all((b) => (pairings.has(b.id) ? pct1(pairings.get(b.id)!.visited, pairings.get(b.id)!.open) : null)),
    ],
    [
      'community-report.service.hoursPerMember',
      all((b) => {
        const r = service.get(b.id);
        return r && r.members > 0 ? Math.round((Math.round(Number(r.hours ?? 0) * 10) / 10 / r.members) * 10) / 10 : null;
      }),
    ],
    ['community-report.demands.completed', all((b) => completed.get(b.id) ?? 0)],
    ['discipline.clues.disposed', all((b) => (clue.has(b.id) ? pct1(clue.get(b.id)!.disposed, clue.get(b.id)!.received) : null))],
  ]);
}

/** Points in hundredths for a value (null: not applicable, no points). */
function points(item: (typeof PEER_ITEMS)[number], value: number | null): number {
  if (value === null) return 0;
  const v = Math.round(value * 100);
  const max = cents(item.maxPoints);
  if (item.rule.kind === 'PROPORTIONAL') {
    const target = cents(item.rule.target!);
    return Math.round((max * Math.max(0, Math.min(v, target))) / target);
  }
  let p = 0;
  for (const step of item.rule.steps!) if (v >= cents(step.atLeast)) p = Math.max(p, cents(step.points));
  return p;
}

/** The peer's ranking of a department's branches for the year: total count and the first page, as `rankingOf` gives ours. */
export async function peerRanking(pool: pg.Pool, departmentId: string, year: number, today: Date, first = 20) {
  const { rows: branches } = await pool.query<Branch>(
    `SELECT id, code, path FROM "Organization" WHERE path LIKE $1 AND kind IN ('BRANCH', 'TEMPORARY_BRANCH') ORDER BY path`,
    [`/${departmentId}/%`],
  );
  if (branches.length === 0) return { totalCount: 0, top: [] as unknown[] };
  const byIndicator = await values(pool, branches, year, today);
  const totals = branches.map((b) => ({
    b,
    total: PEER_ITEMS.reduce((sum, item) => sum + points(item, byIndicator.get(item.indicatorId)!.get(b.id) ?? null), 0),
  }));
  totals.sort((x, y) => y.total - x.total || (x.b.path < y.b.path ? -1 : x.b.path > y.b.path ? 1 : 0));
  // Rank: one more than the cards with a higher total (equal totals share a rank).
  let rank = 0;
  const ranked = totals.map((t, i) => {
    if (i === 0 || t.total !== totals[i - 1]!.total) rank = i + 1;
    return [t.b.code, (t.total / 100).toFixed(2), rank];
  });
  return { totalCount: branches.length, top: ranked.slice(0, first) };
}
