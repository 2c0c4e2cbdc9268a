// The demo dataset: one city's 市直机关工委 with five agencies, staged so that each problem the survey
// reports name (overdue terms, vacant or part-time untrained secretaries, missed 三会一课, dues arrears,
// short tenures) shows up. Pure: builds plain rows, never touches a database.

import { addAssessment } from './assessment.ts';
import type { CadrePost, MeetingKind, OrganizationKind } from '../generated/prisma/client.ts';
import { AGENCIES, BUSINESS_POSTS, ROOT_CHILDREN, ROOT_CODE, ROOT_NAME, type OrgFlags, type OrgSpec } from './catalogue.ts';
import { addDays, addYears, monthStart, startOfDay } from './dates.ts';
import { addDevelopment } from './development.ts';
import { addTransferLetters } from './transfers.ts';
import { addAssessments, addDues, addMeetings, addTrainings, dateUpTo, type BuildContext, type MeetingPlan } from './life.ts';
import { PersonFactory } from './people.ts';
import { Random } from './random.ts';
import {
  currentTerm,
  duesAmount,
  duesBaseOf,
  emptyDataset,
  groupBy,
  makeMember,
  makeOrganization,
  membershipDates,
  monthlyIncome,
  termYears,
} from './tree.ts';
import type { CadreRow, Dataset, MemberRow, OrganizationRow } from './types.ts';

export { buildScaleDataset, type ScaleOptions } from './scale.ts';
export { emptyDataset } from './tree.ts';
export type { Dataset } from './types.ts';

/** Seed used when none is given, so `npm run seed` always produces the same demo. */
export const DEFAULT_SEED = 20240701;

/** Options of the demo dataset; `today` anchors every relative date (terms, the 12-month window). */
export interface DemoOptions {
  seed?: number;
  today?: Date;
}

interface Node {
  row: OrganizationRow;
  flags: OrgFlags;
  parent: Node | null;
  children: Node[];
  /** Members taking part in this organization's life: its own members, a group's share, or secondees. */
  roster: MemberRow[];
  deputyFromBusiness: boolean;
}

/** Builds the demo dataset (about 35 organizations and 300–500 members); same seed and today, same rows. */
export function buildDemoDataset(options: DemoOptions = {}): Dataset {
  const ctx: BuildContext = {
    rng: new Random(options.seed ?? DEFAULT_SEED),
    today: startOfDay(options.today ?? new Date()),
    data: emptyDataset(),
  };
  const nodes = buildTree(ctx);
  addMembers(ctx, nodes);
  addCadres(ctx, nodes);
  addCadreRecords(ctx, nodes);
  const memberById = new Map(ctx.data.members.map((m) => [m.id, m]));
  const cadresByOrg = groupBy(ctx.data.cadres, (c) => c.organizationId);
  for (const node of nodes) {
    const plan = meetingPlan(node, memberById, cadresByOrg.get(node.row.id) ?? []);
    if (plan) addMeetings(ctx, plan);
  }
  for (const node of nodes) {
    if (node.row.kind !== 'BRANCH') continue;
    node.roster.forEach((member, i) => {
      const income = monthlyIncome(ctx.rng, member.birthDate, ctx.today);
      const amount = duesAmount(income);
      ctx.data.duesBases.push(duesBaseOf(member.id, income, monthStart(member.joinedAt)));
      // The first member of a lagging branch is always behind, so the arrears screen is never empty.
      const inArrears = (node.flags.lagging === true && i === 0) || ctx.rng.chance(node.flags.lagging ? 0.3 : 0.06);
      addDues(ctx, member, amount, inArrears);
    });
  }
  // Last, so the rows above stay what they were before assessment data existed.
  addAssessment(ctx);
  // Last: it draws from the random stream, and every table above keeps the rows it had before.
  addDevelopment(
    ctx,
    nodes.filter((n) => n.row.kind === 'BRANCH'),
  );
  // After development: its random draws, and every table above, stay as they were.
  addTransferLetters(
    ctx,
    nodes.filter((n) => n.row.kind === 'BRANCH').map((n) => n.row),
  );
  return ctx.data;
}

function buildTree(ctx: BuildContext): Node[] {
  const { rng, today, data } = ctx;
  const nodes: Node[] = [];
  const add = (parent: Node | null, spec: OrgSpec, agency: string, deputyFromBusiness = false): Node => {
    const flags = spec.flags ?? {};
    const term =
      spec.kind === 'GROUP'
        ? { termStart: null, termEnd: null }
        : spec.kind === 'TEMPORARY_BRANCH'
          ? projectTerm(rng, today)
          : currentTerm(rng, spec.kind, today, flags.overdue === true);
    const code = parent ? `${parent.row.code}-${spec.code}` : spec.code;
    const row = makeOrganization(rng, parent?.row ?? null, { kind: spec.kind, name: spec.name, code, agency, ...term });
    data.organizations.push(row);
    addPastTerms(ctx, row);
    const node: Node = { row, flags, parent, children: [], roster: [], deputyFromBusiness };
    parent?.children.push(node);
    nodes.push(node);
    for (const child of spec.children ?? []) add(node, child, agency);
    return node;
  };
  const root = add(null, { kind: 'WORKING_COMMITTEE', name: ROOT_NAME, code: ROOT_CODE, children: ROOT_CHILDREN }, ROOT_NAME);
  for (const agency of AGENCIES) {
    const committee: OrgSpec = { kind: 'COMMITTEE', name: `${agency.agency}机关党委`, code: agency.code, children: agency.children };
    if (agency.flags) committee.flags = agency.flags;
    add(root, committee, agency.agency, agency.deputyFromBusiness === true);
  }
  return nodes;
}

/** A temporary branch lives as long as its project, not for a 届. */
function projectTerm(rng: Random, today: Date): { termStart: Date; termEnd: Date } {
  const termStart = addDays(today, -rng.int(180, 420));
  return { termStart, termEnd: addYears(termStart, 2) };
}

function addPastTerms(ctx: BuildContext, row: OrganizationRow): void {
  if (row.kind === 'GROUP' || row.kind === 'TEMPORARY_BRANCH' || !row.termStart) return;
  const years = termYears(row.kind);
  let nextStart = row.termStart;
  for (let i = ctx.rng.int(1, 2); i > 0; i--) {
    const termStart = addYears(nextStart, -years);
    ctx.data.organizationTerms.push({
      id: ctx.rng.uuid(),
      organizationId: row.id,
      termStart,
      termEnd: addDays(nextStart, -1),
      renewedAt: nextStart,
      note: ctx.rng.pick(['按期换届选举', '按期换届选举', '按期换届选举', '经批准延期换届']),
    });
    nextStart = termStart;
  }
}

function addMembers(ctx: BuildContext, nodes: Node[]): void {
  const { rng, today, data } = ctx;
  const people = new PersonFactory(rng, today);
  for (const node of nodes) {
    if (node.row.kind === 'BRANCH') {
      const staff = node.parent?.row.kind === 'WORKING_COMMITTEE';
      const count = staff ? rng.int(10, 16) : rng.int(12, 26);
      // The committee's own branch always has a new member, so a probationary member is always present.
      const probationary = staff ? rng.int(1, 2) : rng.int(0, 2);
      for (let i = 0; i < count; i++) {
        const isProbationary = i < probationary;
        const person = isProbationary ? people.create(23, 35) : people.create(24, 59);
        const member = makeMember(rng, person, node.row.id, membershipDates(rng, person.birthDate, today, isProbationary));
        data.members.push(member);
        node.roster.push(member);
      }
    } else if (node.row.kind === 'GROUP' && node.parent) {
      const groups = node.parent.children.filter((c) => c.row.kind === 'GROUP');
      const index = groups.indexOf(node);
      node.roster = node.parent.roster.filter((_, i) => i % groups.length === index);
    } else if (node.row.kind === 'TEMPORARY_BRANCH' && node.parent) {
      // Secondees keep their membership (组织关系) in their home branch; the temporary branch only organizes them.
      const candidates = branchMembers(node.parent).filter((m) => m.status === 'FULL');
      node.roster = rng.sample(candidates, rng.int(8, 11));
    }
  }
}

function branchMembers(node: Node): MemberRow[] {
  const own = node.row.kind === 'BRANCH' ? node.roster : [];
  return [...own, ...node.children.flatMap(branchMembers)];
}

const POSTS: Record<OrganizationKind, readonly CadrePost[]> = {
  WORKING_COMMITTEE: [
    'SECRETARY',
    'FULL_TIME_DEPUTY_SECRETARY',
    'DEPUTY_SECRETARY',
    'ORGANIZATION_MEMBER',
    'PROPAGANDA_MEMBER',
    'DISCIPLINE_MEMBER',
  ],
  COMMITTEE: [
    'SECRETARY',
    'FULL_TIME_DEPUTY_SECRETARY',
    'DEPUTY_SECRETARY',
    'ORGANIZATION_MEMBER',
    'PROPAGANDA_MEMBER',
    'DISCIPLINE_MEMBER',
    'COMMITTEE_MEMBER',
    'COMMITTEE_MEMBER',
  ],
  GENERAL_BRANCH: ['SECRETARY', 'DEPUTY_SECRETARY', 'ORGANIZATION_MEMBER', 'PROPAGANDA_MEMBER', 'DISCIPLINE_MEMBER'],
  BRANCH: ['SECRETARY', 'DEPUTY_SECRETARY', 'ORGANIZATION_MEMBER', 'PROPAGANDA_MEMBER', 'DISCIPLINE_MEMBER'],
  TEMPORARY_BRANCH: ['SECRETARY', 'ORGANIZATION_MEMBER', 'PROPAGANDA_MEMBER'],
  GROUP: [],
};

/** Chance a post is filled at all (branches often have no deputy; many committees lack a full-time deputy). */
function postFilled(rng: Random, kind: OrganizationKind, post: CadrePost, node: Node): boolean {
  if (post === 'FULL_TIME_DEPUTY_SECRETARY' && kind === 'COMMITTEE') return node.deputyFromBusiness || rng.chance(0.5);
  if (post === 'DEPUTY_SECRETARY' && kind === 'BRANCH') return rng.chance(0.25);
  if (post === 'DISCIPLINE_MEMBER' && kind === 'BRANCH') return rng.chance(0.7);
  return true;
}

/** Whether a post is full-time: the working committee is staffed, agency organizations mostly are not. */
function isFullTime(rng: Random, kind: OrganizationKind, post: CadrePost): boolean {
  if (post === 'FULL_TIME_DEPUTY_SECRETARY') return true;
  if (kind === 'WORKING_COMMITTEE') return post !== 'SECRETARY';
  if (post !== 'SECRETARY') return false;
  return rng.chance(kind === 'COMMITTEE' ? 0.2 : kind === 'BRANCH' ? 0.12 : 0);
}

function addCadres(ctx: BuildContext, nodes: Node[]): void {
  const { rng, today, data } = ctx;
  const posted = new Set<string>();
  const pendingSecretary = new Map<Node, { member: MemberRow; date: Date }>();
  for (const node of nodes) {
    const { row, flags } = node;
    const posts = POSTS[row.kind];
    if (posts.length === 0 || !row.termStart) continue;
    const candidates =
      row.kind === 'WORKING_COMMITTEE'
        ? node.children.filter((c) => c.row.kind === 'BRANCH').flatMap(branchMembers)
        : row.kind === 'BRANCH' || row.kind === 'TEMPORARY_BRANCH'
          ? node.roster
          : branchMembers(node);
    const pool = candidates.filter((m) => m.status === 'FULL'); // 预备党员 have no right to be elected.
    const usedHere = new Set<string>();
    const choose = (): MemberRow | undefined => {
      const free = pool.filter((m) => !usedHere.has(m.id));
      const fresh = free.filter((m) => !posted.has(m.id));
      const chosen = fresh.length > 0 ? rng.pick(fresh) : free.length > 0 ? rng.pick(free) : undefined;
      if (chosen) {
        usedHere.add(chosen.id);
        posted.add(chosen.id);
      }
      return chosen;
    };
    const cadre = (member: MemberRow, post: CadrePost, fullTime: boolean, startDate: Date, endDate: Date | null = null): void => {
      data.cadres.push({ id: rng.uuid(), memberId: member.id, organizationId: row.id, post, fullTime, startDate, endDate });
    };
    const electedOn = () => dateUpTo(ctx, row.termStart!, addDays(row.termStart!, 30));
    const agency = row.agency ?? '';
    let secretaryStart = electedOn();
    let secretary: MemberRow | undefined;
    const pending = pendingSecretary.get(node);
    if (flags.rotation) {
      // The predecessor left after a short tenure — the reports' "rotated out just after learning the job".
      const temporary = flags.rotation === 'INTERNAL' ? node.parent?.children.find((c) => c.row.kind === 'TEMPORARY_BRANCH') : undefined;
      // Moving to lead a temporary branch happens the day it is set up.
      const rotationDate = temporary?.row.termStart ?? addDays(today, -rng.int(60, 300));
      const past = choose();
      if (past) {
        const tenureDays = rng.int(240, 540);
        cadre(past, 'SECRETARY', false, addDays(rotationDate, -tenureDays), rotationDate);
        if (temporary) pendingSecretary.set(temporary, { member: past, date: rotationDate });
        data.rotations.push({
          id: rng.uuid(),
          memberId: past.id,
          kind: flags.rotation,
          date: rotationDate,
          fromPost: `${agency}${row.name}书记`,
          toPost: temporary
            ? `${temporary.row.name}书记`
            : flags.rotation === 'INTERNAL'
              ? `${agency}机关党委委员`
              : `${agency}${rng.pick(BUSINESS_POSTS)}`,
          note: tenureDays < 730 ? `任职${Math.round(tenureDays / 30)}个月即交流` : null,
        });
      }
      secretaryStart = dateUpTo(ctx, addDays(rotationDate, 7), addDays(rotationDate, 45));
    }
    if (pending) {
      secretary = pending.member;
      secretaryStart = pending.date;
      usedHere.add(secretary.id);
      if (!node.roster.includes(secretary)) node.roster.push(secretary);
    }
    for (const post of posts) {
      if (post === 'SECRETARY') {
        if (flags.noSecretary) continue;
        const member = secretary ?? choose();
        if (member) cadre(member, post, isFullTime(rng, row.kind, post), secretaryStart);
        continue;
      }
      if (!postFilled(rng, row.kind, post, node)) continue;
      const member = choose();
      if (!member) continue;
      if (post === 'FULL_TIME_DEPUTY_SECRETARY' && node.deputyFromBusiness) {
        // Two-way exchange: a business cadre brought in to strengthen party work.
        const date = dateUpTo(ctx, addDays(today, -700), addDays(today, -90));
        cadre(member, post, true, date);
        data.rotations.push({
          id: rng.uuid(),
          memberId: member.id,
          kind: 'FROM_BUSINESS',
          date,
          fromPost: `${agency}${rng.pick(BUSINESS_POSTS)}`,
          toPost: `${row.name}专职副书记`,
          note: '从业务岗位选派干部充实党务力量',
        });
        continue;
      }
      cadre(member, post, isFullTime(rng, row.kind, post), electedOn());
    }
  }
}

/** Trainings and assessments of everyone who holds or held a post. */
function addCadreRecords(ctx: BuildContext, nodes: Node[]): void {
  const flagsByOrg = new Map(nodes.map((n) => [n.row.id, n.flags]));
  for (const [memberId, posts] of groupBy(ctx.data.cadres, (c) => c.memberId)) {
    const current = posts.filter((c) => c.endDate === null);
    const secretaryOf = current.filter((c) => c.post === 'SECRETARY');
    const stale =
      secretaryOf.some((c) => flagsByOrg.get(c.organizationId)?.untrainedSecretary) || (secretaryOf.length > 0 && ctx.rng.chance(0.12));
    addTrainings(ctx, memberId, secretaryOf.length > 0 ? ctx.rng.int(1, 3) : ctx.rng.int(0, 2), stale);
    const from = new Date(Math.min(...posts.map((c) => c.startDate.getTime())));
    const until = current.length > 0 ? null : new Date(Math.max(...posts.map((c) => c.endDate!.getTime())));
    addAssessments(ctx, memberId, from, until);
  }
}

const BRANCH_MONTHLY: MeetingKind[] = ['COMMITTEE_MEETING', 'THEME_DAY'];

function meetingPlan(node: Node, memberById: Map<string, MemberRow>, cadres: CadreRow[]): MeetingPlan | null {
  const committee = (date: Date) =>
    cadres
      .filter((c) => c.startDate.getTime() <= date.getTime() && (c.endDate === null || c.endDate.getTime() >= date.getTime()))
      .map((c) => memberById.get(c.memberId)!)
      .filter((m, i, all) => all.indexOf(m) === i);
  const attendees = (kind: MeetingKind, date: Date) =>
    kind === 'COMMITTEE_MEETING' || kind === 'DEMOCRATIC_LIFE_MEETING' ? committee(date) : node.roster;
  const base = {
    organization: node.row,
    attendees,
    lagging: node.flags.lagging === true || node.parent?.flags.lagging === true,
    // A temporary branch holds no meetings before it was set up.
    since: node.row.kind === 'TEMPORARY_BRANCH' ? node.row.termStart : null,
  };
  switch (node.row.kind) {
    case 'WORKING_COMMITTEE':
      return { ...base, monthly: ['COMMITTEE_MEETING'], quarterly: [], yearly: ['DEMOCRATIC_LIFE_MEETING'] };
    case 'COMMITTEE':
    case 'GENERAL_BRANCH':
      return { ...base, monthly: ['COMMITTEE_MEETING'], quarterly: [], yearly: [] };
    case 'BRANCH':
    case 'TEMPORARY_BRANCH': {
      // A branch committee (支部委员会) exists only with seven or more full members.
      const full = node.roster.filter((m) => m.status === 'FULL').length;
      const monthly = full >= 7 ? BRANCH_MONTHLY : BRANCH_MONTHLY.filter((k) => k !== 'COMMITTEE_MEETING');
      return { ...base, monthly, quarterly: ['GENERAL_MEETING', 'PARTY_LECTURE'], yearly: ['ORGANIZATIONAL_LIFE_MEETING'] };
    }
    case 'GROUP':
      return { ...base, monthly: ['GROUP_MEETING'], quarterly: [], yearly: [] };
  }
}
