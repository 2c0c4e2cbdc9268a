// 发展党员 indicators: people developed into probationary members in the period, and development records
// with an overdue step. Both read a subtree per organization in a fixed number of statements.

import type { OrganizationKind, PrismaClient } from '@dangjian/db';
import { isoDate } from '../../kit/dates.ts';
import { ACCEPTANCE_STEP, nextDue, type RecordFacts, stepSpec } from '../../schema/development-rules.ts';
import { addMonths } from '../../schema/member-rules.ts';
import type { IndicatorDefinition, IndicatorEvidence, IndicatorInput, IndicatorOrganization, IndicatorValues } from '../indicator.ts';

const APPLIES_TO: readonly OrganizationKind[] = ['WORKING_COMMITTEE', 'COMMITTEE', 'GENERAL_BRANCH', 'BRANCH'];

/** The organizations' paths without those inside another one of them: one prefix condition per subtree. */
function outermost(organizations: readonly IndicatorOrganization[]): string[] {
  const paths = [...new Set(organizations.map((o) => o.path))].sort();
  return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
}

/** Counts rows per organization: a row counts for every given organization whose subtree holds its path. */
function countPerOrganization(organizations: readonly IndicatorOrganization[], paths: readonly string[]): IndicatorValues {
  return new Map(organizations.map((o) => [o.id, APPLIES_TO.includes(o.kind) ? paths.filter((p) => p.startsWith(o.path)).length : null]));
}

/** Step-15 entries (支部大会 accepts a probationary member) in the period under the given subtrees. */
function acceptances(db: PrismaClient, organizations: readonly IndicatorOrganization[], from: Date, to: Date) {
  return db.developmentEntry.findMany({
    where: {
      kind: 'STEP',
      step: ACCEPTANCE_STEP,
      date: { gte: from, lte: to },
      record: { organization: { OR: outermost(organizations).map((path) => ({ path: { startsWith: path } })) } },
    },
    select: { date: true, record: { select: { id: true, name: true, organization: { select: { path: true } } } } },
    orderBy: [{ date: 'asc' }, { id: 'asc' }],
  });
}

const developed: IndicatorDefinition = {
  id: 'core.development.developed',
  name: '发展党员数',
  description:
    '发展党员数 — people accepted as probationary members (step 15, 支部大会讨论通过) by the organization or below it during the period',
  unit: 'COUNT',
  direction: 'HIGHER_IS_BETTER',
  appliesTo: APPLIES_TO,
  async value({ db, organizations, period }: IndicatorInput): Promise<IndicatorValues> {
    if (organizations.length === 0) return new Map();
    const rows = await acceptances(db, organizations, period.from, period.to);
    return countPerOrganization(
      organizations,
      rows.map((r) => r.record.organization.path),
    );
  },
  async evidence({ db, organization, period }): Promise<readonly IndicatorEvidence[]> {
    const rows = await acceptances(db, [organization], period.from, period.to);
    return rows.map((r) => ({
      type: 'DevelopmentRecord',
      id: r.record.id,
      label: `${r.record.name} 支部大会讨论通过接收为预备党员 ${isoDate(r.date)}`,
      date: r.date,
      counts: true,
    }));
  },
};

/** The facts of a record as they stood at the end of `asOf` (steps and decisions recorded by then). */
export function factsAsOf(
  record: { birthDate: Date },
  entries: readonly { kind: string; step: number; date: Date; months: number | null }[],
  asOf: Date,
): RecordFacts | null {
  const known = entries.filter((e) => e.date.getTime() <= asOf.getTime());
  const steps = known.filter((e) => e.kind === 'STEP');
  const last = steps.at(-1);
  if (!last) return null;
  const closed = known.some((e) => e.kind === 'ENDING' || e.kind === 'CANCELLATION') || last.step === 25;
  const accepted = steps.find((e) => e.step === ACCEPTANCE_STEP);
  const extension = known.find((e) => e.kind === 'EXTENSION');
  return {
    state: closed ? 'ENDED' : 'ACTIVE',
    step: last.step,
    stepDate: last.date,
    birthDate: record.birthDate,
    stepDates: new Map(steps.map((e) => [e.step, e.date])),
    probationEndsAt: accepted ? addMonths(accepted.date, 12 + (extension?.months ?? 0)) : null,
    extendedMonths: extension?.months ?? null,
  };
}

/** Records of the subtrees applied by `asOf`, each with its overdue step as of that day (or none). */
async function overdueRecords(db: PrismaClient, organizations: readonly IndicatorOrganization[], asOf: Date) {
  const records = await db.developmentRecord.findMany({
    where: {
      appliedAt: { lte: asOf },
      organization: { OR: outermost(organizations).map((path) => ({ path: { startsWith: path } })) },
    },
    select: {
      id: true,
      name: true,
      birthDate: true,
      organization: { select: { path: true } },
      entries: { select: { kind: true, step: true, date: true, months: true }, orderBy: [{ date: 'asc' }, { createdAt: 'asc' }] },
    },
    orderBy: { id: 'asc' },
  });
  return records.flatMap((record) => {
    const facts = factsAsOf(record, record.entries, asOf);
    const due = facts ? nextDue(facts) : null;
    return due && due.dueBy.getTime() < asOf.getTime() ? [{ record, due }] : [];
  });
}

/** The day an overdue count is taken: the period's end, or today while the period runs. */
const asOfDay = (input: Pick<IndicatorInput, 'period' | 'today'>) =>
  input.period.to.getTime() < input.today.getTime() ? input.period.to : input.today;

const overdueSteps: IndicatorDefinition = {
  id: 'core.development.overdueSteps',
  name: '发展党员超期步骤数',
  description:
    '发展党员超期步骤数 — development records of the organization or below it whose next step was overdue at the end of the period (or today while it runs): a talk not held within a month, a half-yearly assessment missed, an approval not given within three months, 转正 not discussed when the probation ended',
  unit: 'COUNT',
  direction: 'LOWER_IS_BETTER',
  appliesTo: APPLIES_TO,
  async value(input: IndicatorInput): Promise<IndicatorValues> {
    if (input.organizations.length === 0) return new Map();
    const rows = await overdueRecords(input.db, input.organizations, asOfDay(input));
    return countPerOrganization(
      input.organizations,
      rows.map((r) => r.record.organization.path),
    );
  },
  async evidence(input): Promise<readonly IndicatorEvidence[]> {
    const rows = await overdueRecords(input.db, [input.organization], asOfDay(input));
    return rows.map(({ record, due }) => ({
      type: 'DevelopmentRecord',
      id: record.id,
      label: `${record.name} 第${due.step}步 ${stepSpec(due.step).name} 应于${isoDate(due.dueBy)}前（${due.rule}）`,
      date: due.dueBy,
      counts: true,
    }));
  },
};

/** Core's 发展党员 indicators, listed in CORE_INDICATORS. */
export const DEVELOPMENT_INDICATORS: readonly IndicatorDefinition[] = [developed, overdueSteps];
