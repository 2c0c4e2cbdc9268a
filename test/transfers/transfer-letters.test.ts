import { randomUUID } from 'node:crypto';
import { nationalIdChecksum } from '@dangjian/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResult, type TestServer } from '@dangjian/testing';

// 组织关系转接 between departments: the demo department (市直机关工委) sends, a second department receives,
// a third sees nothing.

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const day = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + offset)).toISOString().slice(0, 10);
};

function expectOk<T = any>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as T;
}
function expectError(result: GqlResult, code: string, field?: string) {
  expect(result.errors, JSON.stringify(result)).toBeDefined();
  expect(result.errors![0]!.extensions?.code, JSON.stringify(result.errors)).toBe(code);
  if (field) expect(result.errors![0]!.extensions?.field).toBe(field);
  return result.errors![0]!.extensions!;
}

const LETTER = `id number memberName state external paidUpTo issuedOn validUntil receiptDueOn receiptOn receiptOverdue
  issuerName originName destinationName destinationAddress reason returnReason
  issuer { code } destination { code } member { name organization { code } }`;
const ISSUE = `mutation ($input: IssueTransferLetterInput!) { issueTransferLetter(input: $input) { ${LETTER} } }`;
const ACCEPT = `mutation ($id: ID!) { acceptTransferLetter(id: $id) { ${LETTER} } }`;
const RETURN = `mutation ($id: ID!, $reason: String!) { returnTransferLetter(id: $id, reason: $reason) { ${LETTER} } }`;
const WITHDRAW = `mutation ($id: ID!) { withdrawTransferLetter(id: $id) { ${LETTER} } }`;
const RECEIPT = `mutation ($id: ID!, $on: Date) { recordTransferReceipt(id: $id, receivedOn: $on) { ${LETTER} } }`;
const LIST = `query ($direction: TransferLetterDirection!, $state: TransferLetterState) {
  transferLetters(direction: $direction, state: $state) { totalCount edges { node { ${LETTER} } } } }`;
const NODE = `query ($id: ID!) { node(id: $id) { ... on TransferLetter { number state } } }`;
const MEMBER = `query ($id: ID!) { member(id: $id) { name transferringOut organization { code }
  transfers { reason from { code } to { code } }
  transferLetters { totalCount edges { node { number state } } } } }`;

describe('组织关系转接 by transfer letter (介绍信)', () => {
  let server: TestServer;
  let sender: string; // SECRETARY of the 民政局 committee, above the member's branch
  let senderReader: string;
  let receiver: string; // ADMIN of the second department's branch
  let receiverMember: string;
  let third: string; // ADMIN of a third department
  const branch: Record<string, string> = {};
  const members: { id: string; gid: string; name: string }[] = [];
  let serial = 0;
  const next = () => members.shift()!;

  const issue = (member: { gid: string }, extra: Record<string, unknown> = {}) =>
    server.gql(
      ISSUE,
      {
        input: {
          memberId: member.gid,
          number: `民组转〔2026〕${++serial}号`,
          destinationOrganizationId: branch.receiving,
          reason: '工作调动',
          ...extra,
        },
      },
      sender,
    );

  beforeAll(async () => {
    server = await startTestServer();
    const db = server.db.client;
    for (const [key, code, name] of [
      ['county', 'XZJGGW', '县直机关工委'],
      ['third', 'QZJGGW', '区直机关工委'],
    ] as const) {
      const root = randomUUID();
      const child = randomUUID();
      await db.organization.createMany({
        data: [
          { id: root, kind: 'WORKING_COMMITTEE', name, code, path: `/${root}/`, depth: 0 },
          {
            id: child,
            kind: 'BRANCH',
            name: `${name}机关党支部`,
            code: `${code}-JG`,
            parentId: root,
            path: `/${root}/${child}/`,
            depth: 1,
          },
        ],
      });
      branch[key === 'county' ? 'receiving' : 'third'] = gid('Organization', child);
    }
    sender = await server.token('SZJGGW-MZJ', ['SECRETARY'], 'mzj-secretary');
    senderReader = await server.token('SZJGGW-MZJ', ['MEMBER']);
    receiver = await server.token('XZJGGW-JG', ['ADMIN'], 'county-admin');
    receiverMember = await server.token('XZJGGW', ['MEMBER']);
    third = await server.token('QZJGGW', ['ADMIN']);
    const rows = await db.member.findMany({
      where: { organization: { code: 'SZJGGW-MZJ-SHJZ' }, standing: 'ACTIVE' },
      orderBy: { joinedAt: 'asc' },
      take: 10,
    });
    for (const m of rows) members.push({ id: m.id, gid: gid('Member', m.id), name: m.name });
  });
  afterAll(() => server?.close());

  it('has a few letters in flight in the demo data', async () => {
    const admin = await server.token('SZJGGW', ['ADMIN']);
    const seeded = await server.db.client.transferLetter.findMany({
      where: { number: { startsWith: '组转' } },
      orderBy: { number: 'asc' },
    });
    expect(seeded.map((l) => [l.state, l.destinationId === null])).toEqual([
      ['ISSUED', false],
      ['ISSUED', false],
      ['ISSUED', true],
    ]);
    const open = expectOk(await server.gql(LIST, { direction: 'OUTGOING', state: 'ISSUED' }, admin)).transferLetters;
    expect(open.edges.map((e: any) => e.node.number).sort()).toEqual(seeded.map((l) => l.number).sort());
  });

  it('goes end to end between two departments: issue, the receiver sees only the letter, accept moves the member', async () => {
    const member = next();
    const letter = expectOk(await issue(member)).issueTransferLetter;
    expect(letter).toMatchObject({
      memberName: member.name,
      state: 'ISSUED',
      external: false,
      issuedOn: day(0),
      validUntil: day(10),
      issuerName: expect.any(String),
      destinationName: '县直机关工委机关党支部',
      issuer: { code: 'SZJGGW-MZJ-SHJZ' },
      destination: null, // another department: outside the sender's subtree
      member: { name: member.name, organization: { code: 'SZJGGW-MZJ-SHJZ' } },
    });
    // The paid-up month comes from the dues statements.
    const run = await server.db.client.duesUnsettledRun.findFirst({ where: { memberId: member.id }, orderBy: { fromMonth: 'asc' } });
    if (run) {
      const before = new Date(Date.UTC(run.fromMonth.getUTCFullYear(), run.fromMonth.getUTCMonth() - 1, 1));
      const joined = (await server.db.client.member.findUniqueOrThrow({ where: { id: member.id } })).joinedAt;
      expect(letter.paidUpTo).toBe(
        before < new Date(Date.UTC(joined.getUTCFullYear(), joined.getUTCMonth(), 1)) ? null : before.toISOString().slice(0, 7),
      );
    }
    // Transferring out, still the sender's.
    expect(expectOk(await server.gql(MEMBER, { id: member.gid }, sender)).member).toMatchObject({
      transferringOut: true,
      organization: { code: 'SZJGGW-MZJ-SHJZ' },
    });
    // A second open letter for the member is a conflict.
    expectError(await issue(member), 'CONFLICT', 'input.memberId');

    // The receiver sees the letter's own fields, not the member or the sender's organization.
    const incoming = expectOk(await server.gql(LIST, { direction: 'INCOMING', state: 'ISSUED' }, receiver)).transferLetters;
    expect(incoming.totalCount).toBe(1);
    expect(incoming.edges[0].node).toMatchObject({
      number: letter.number,
      memberName: member.name,
      state: 'ISSUED',
      paidUpTo: letter.paidUpTo,
      issuedOn: day(0),
      issuerName: letter.issuerName,
      issuer: null,
      destination: { code: 'XZJGGW-JG' },
      member: null,
    });
    expect(expectOk(await server.gql(MEMBER, { id: member.gid }, receiver)).member).toBeNull();
    // Only its ADMIN or SECRETARY sees incoming letters; a third department sees nothing.
    expect(expectOk(await server.gql(LIST, { direction: 'INCOMING' }, receiverMember)).transferLetters.totalCount).toBe(0);
    for (const direction of ['INCOMING', 'OUTGOING']) {
      expect(expectOk(await server.gql(LIST, { direction }, third)).transferLetters.totalCount).toBe(0);
    }
    expect(expectOk(await server.gql(NODE, { id: letter.id }, third)).node).toBeNull();
    expect(expectOk(await server.gql(NODE, { id: letter.id }, receiver)).node).toMatchObject({ number: letter.number });
    expectError(await server.gql(ACCEPT, { id: letter.id }, third), 'NOT_FOUND');
    // Activities on both sides, each in its own subtree.
    const activities = await server.db.client.activity.findMany({
      where: { subjectId: rawId(letter.id) },
      include: { organization: true },
    });
    expect(activities.map((a) => [a.kind, a.organization?.code]).sort()).toEqual([
      ['member.transferLetterIncoming', 'XZJGGW-JG'],
      ['member.transferLetterIssued', 'SZJGGW-MZJ-SHJZ'],
    ]);

    // The immediate move inside one subtree waits for an open letter to be settled.
    const ADJUST = `mutation ($id: ID!, $to: ID!) { transferMember(id: $id, toOrganizationId: $to, reason: "调整") { id } }`;
    const bgs = gid('Organization', (await server.db.client.organization.findUniqueOrThrow({ where: { code: 'SZJGGW-MZJ-BGS' } })).id);
    expectError(await server.gql(ADJUST, { id: member.gid, to: bgs }, sender), 'CONFLICT', 'id');

    const accepted = expectOk(await server.gql(ACCEPT, { id: letter.id }, receiver)).acceptTransferLetter;
    expect(accepted).toMatchObject({
      state: 'ACCEPTED',
      receiptOn: day(0),
      member: { name: member.name, organization: { code: 'XZJGGW-JG' } },
    });
    // History kept: the receiver reads the move (the sending end lies outside its subtree), the sender the letter.
    const moved = expectOk(await server.gql(MEMBER, { id: member.gid }, receiver)).member;
    expect(moved.transferringOut).toBe(false);
    expect(moved.transfers).toEqual([{ reason: `工作调动（介绍信${letter.number}）`, from: null, to: { code: 'XZJGGW-JG' } }]);
    expect(moved.transferLetters.edges.map((e: any) => e.node)).toEqual([{ number: letter.number, state: 'ACCEPTED' }]);
    expect(expectOk(await server.gql(MEMBER, { id: member.gid }, sender)).member).toBeNull();
    const outgoing = expectOk(await server.gql(LIST, { direction: 'OUTGOING', state: 'ACCEPTED' }, sender)).transferLetters;
    expect(outgoing.edges.map((e: any) => [e.node.number, e.node.member])).toEqual([[letter.number, null]]);

    // Accepting twice is refused with the state.
    expect(expectError(await server.gql(ACCEPT, { id: letter.id }, receiver), 'ILLEGAL_STATE').state).toBe('ACCEPTED');
  });

  it('is returned with a reason; the member stays', async () => {
    const member = next();
    const letter = expectOk(await issue(member)).issueTransferLetter;
    expectError(await server.gql(RETURN, { id: letter.id, reason: '  ' }, receiver), 'BAD_USER_INPUT', 'reason');
    const returned = expectOk(await server.gql(RETURN, { id: letter.id, reason: '查无此人报到' }, receiver)).returnTransferLetter;
    expect(returned).toMatchObject({ state: 'RETURNED', returnReason: '查无此人报到' });
    const seen = expectOk(await server.gql(LIST, { direction: 'OUTGOING', state: 'RETURNED' }, sender)).transferLetters;
    expect(seen.edges.map((e: any) => [e.node.number, e.node.returnReason])).toEqual([[letter.number, '查无此人报到']]);
    expect(expectOk(await server.gql(MEMBER, { id: member.gid }, sender)).member).toMatchObject({
      transferringOut: false,
      organization: { code: 'SZJGGW-MZJ-SHJZ' },
    });
    expect(expectError(await server.gql(ACCEPT, { id: letter.id }, receiver), 'ILLEGAL_STATE').state).toBe('RETURNED');
  });

  it('expires past its validity: accepting is refused, the expiry is stored, a new letter may be issued', async () => {
    const member = next();
    const letter = expectOk(await issue(member, { issuedOn: day(-20) })).issueTransferLetter;
    expect(letter).toMatchObject({ validUntil: day(-10), state: 'EXPIRED' });
    expect(
      expectOk(await server.gql(LIST, { direction: 'INCOMING', state: 'EXPIRED' }, receiver)).transferLetters.edges.map(
        (e: any) => e.node.number,
      ),
    ).toContain(letter.number);
    expect(expectError(await server.gql(ACCEPT, { id: letter.id }, receiver), 'ILLEGAL_STATE').state).toBe('EXPIRED');
    const stored = await server.db.client.transferLetter.findUniqueOrThrow({ where: { id: rawId(letter.id) } });
    expect(stored.state).toBe('EXPIRED');
    expect(expectOk(await server.gql(MEMBER, { id: member.gid }, sender)).member.organization.code).toBe('SZJGGW-MZJ-SHJZ');
    expectOk(await issue(member));
  });

  it('is withdrawn by the sender before acceptance, not by the receiver', async () => {
    const member = next();
    const letter = expectOk(await issue(member)).issueTransferLetter;
    expectError(await server.gql(WITHDRAW, { id: letter.id }, receiver), 'NOT_FOUND');
    expectError(await server.gql(WITHDRAW, { id: letter.id }, senderReader), 'FORBIDDEN');
    expect(expectOk(await server.gql(WITHDRAW, { id: letter.id }, sender)).withdrawTransferLetter.state).toBe('WITHDRAWN');
    expect(expectError(await server.gql(ACCEPT, { id: letter.id }, receiver), 'ILLEGAL_STATE').state).toBe('WITHDRAWN');
    expect(expectError(await server.gql(WITHDRAW, { id: letter.id }, sender), 'ILLEGAL_STATE').state).toBe('WITHDRAWN');
  });

  it('goes to an external destination and completes when the receipt is recorded; overdue receipts are listed', async () => {
    const member = next();
    const external = {
      destinationOrganizationId: null,
      destinationName: '广州市天河区某街道党工委',
      destinationAddress: '广州市天河区某路1号',
    };
    const letter = expectOk(await issue(member, external)).issueTransferLetter;
    expect(letter).toMatchObject({
      state: 'ISSUED',
      external: true,
      destination: null,
      destinationAddress: external.destinationAddress,
      receiptOverdue: false,
    });
    expectError(await server.gql(ACCEPT, { id: letter.id }, receiver), 'NOT_FOUND');
    expectError(await server.gql(RECEIPT, { id: letter.id, on: day(1) }, sender), 'BAD_USER_INPUT', 'receivedOn');
    const done = expectOk(await server.gql(RECEIPT, { id: letter.id }, sender)).recordTransferReceipt;
    expect(done).toMatchObject({ state: 'COMPLETED', receiptOn: day(0) });
    // The membership now belongs elsewhere: off the sender's roll (and counts), its history kept.
    const gone = expectOk(
      await server.gql('query ($id: ID!) { member(id: $id) { standing standingSince } }', { id: member.gid }, sender),
    ).member;
    expect(gone).toEqual({ standing: 'TRANSFERRED_OUT', standingSince: day(0) });
    const ids = async (filter: string) =>
      expectOk(
        await server.gql(
          `query ($s: String) { members(first: 100, filter: { search: $s${filter} }) { edges { node { id } } } }`,
          { s: member.name },
          sender,
        ),
      ).members.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await ids('')).not.toContain(member.gid);
    expect(await ids(', standing: [TRANSFERRED_OUT]')).toEqual([member.gid]);

    const late = expectOk(await issue(next(), { ...external, issuedOn: day(-40), validUntil: day(-30) })).issueTransferLetter;
    expect(late).toMatchObject({ state: 'ISSUED', receiptOverdue: true });
    const overdue = expectOk(
      await server.gql(`{ overdueTransferReceipts { totalCount edges { node { number receiptDueOn } } } }`, {}, sender),
    ).overdueTransferReceipts;
    expect(overdue.edges.map((e: any) => e.node.number)).toEqual([late.number]);
    expect(expectOk(await server.gql(`{ overdueTransferReceipts { totalCount } }`, {}, third)).overdueTransferReceipts.totalCount).toBe(0);
  });

  it('receives a member from outside with the incoming letter’s number', async () => {
    const first17 = '11010119900307123';
    const input = {
      organizationId: branch.receiving,
      letterNumber: '粤组转〔2026〕88号',
      originName: '广州市某区委组织部',
      issuedOn: day(-3),
      paidUpTo: day(-3),
      member: {
        organizationId: branch.receiving,
        name: '钱转入',
        nationalId: first17 + nationalIdChecksum(first17),
        joinedAt: '2015-07-01',
        fullMemberAt: '2016-07-01',
      },
    };
    const RECEIVE = `mutation ($input: ReceiveMemberFromOutsideInput!) { receiveMemberFromOutside(input: $input) { ${LETTER} } }`;
    expectError(
      await server.gql(RECEIVE, { input: { ...input, member: { ...input.member, joinedAt: day(1) } } }, receiver),
      'BAD_USER_INPUT',
      'input.member.joinedAt',
    );
    expectError(await server.gql(RECEIVE, { input: { ...input, organizationId: branch.third } }, receiver), 'NOT_FOUND');
    const letter = expectOk(await server.gql(RECEIVE, { input }, receiver)).receiveMemberFromOutside;
    expect(letter).toMatchObject({
      number: input.letterNumber,
      state: 'ACCEPTED',
      originName: input.originName,
      issuer: null,
      paidUpTo: day(-3).slice(0, 7),
      member: { name: '钱转入', organization: { code: 'XZJGGW-JG' } },
    });
    expectError(await server.gql(RECEIVE, { input }, receiver), 'CONFLICT', 'input.letterNumber');
    expect(
      expectOk(await server.gql(LIST, { direction: 'INCOMING', state: 'ACCEPTED' }, receiver)).transferLetters.edges.map(
        (e: any) => e.node.number,
      ),
    ).toContain(input.letterNumber);
  });

  it('refuses bad letters with typed errors and writes nothing', async () => {
    const member = next();
    const before = await server.db.client.transferLetter.count();
    expectError(await issue(member, { validUntil: day(100) }), 'BAD_USER_INPUT', 'input.validUntil');
    expectError(await issue(member, { validUntil: day(-1) }), 'BAD_USER_INPUT', 'input.validUntil');
    expectError(await issue(member, { issuedOn: day(1) }), 'BAD_USER_INPUT', 'input.issuedOn');
    expectError(await issue(member, { destinationName: '某地' }), 'BAD_USER_INPUT', 'input.destinationName');
    expectError(await issue(member, { destinationOrganizationId: null }), 'BAD_USER_INPUT', 'input.destinationOrganizationId');
    expectError(
      await issue(member, { destinationOrganizationId: null, destinationName: '某地' }),
      'BAD_USER_INPUT',
      'input.destinationAddress',
    );
    expectError(await issue(member, { number: ' ' }), 'BAD_USER_INPUT', 'input.number');
    expectError(await issue(member, { destinationOrganizationId: gid('Organization', randomUUID()) }), 'NOT_FOUND');
    expectError(
      await server.gql(
        ISSUE,
        { input: { memberId: member.gid, number: 'X-1', destinationOrganizationId: branch.receiving, reason: '调动' } },
        third,
      ),
      'NOT_FOUND',
    );
    expect(await server.db.client.transferLetter.count()).toBe(before);
    // The number is unique per issuing organization.
    const first = expectOk(await issue(member)).issueTransferLetter;
    const other = next();
    expectError(
      await server.gql(
        ISSUE,
        { input: { memberId: other.gid, number: first.number, destinationOrganizationId: branch.receiving, reason: '调动' } },
        sender,
      ),
      'CONFLICT',
      'input.number',
    );
  });
});

function rawId(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString().split(':')[1]!;
}
