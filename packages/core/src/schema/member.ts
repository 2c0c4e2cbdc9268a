import type { Builder } from '../builder.ts';

/** 党员 (Member): the member type. Queries, mutations and personal-data masking live beside it. */
export function registerMember(builder: Builder): void {
  const Gender = builder.enumType('Gender', {
    description: '性别',
    values: { MALE: { description: '男' }, FEMALE: { description: '女' } },
  });
  const Status = builder.enumType('MemberStatus', {
    description: '党员状态',
    values: { PROBATIONARY: { description: '预备党员 — probationary member' }, FULL: { description: '正式党员 — full member' } },
  });

  builder.prismaNode('Member', {
    description: '党员 — a party member',
    id: { field: 'id' },
    fields: (t) => ({
      name: t.exposeString('name', { description: '姓名 — name' }),
      gender: t.expose('gender', { type: Gender, description: '性别 — gender' }),
      status: t.expose('status', { type: Status, description: '状态 — probationary or full' }),
      joinedAt: t.expose('joinedAt', { type: 'Date', description: '入党日期 — date of joining' }),
      fullMemberAt: t.expose('fullMemberAt', { type: 'Date', nullable: true, description: '转正日期 — date of becoming a full member' }),
      organization: t.relation('organization', { description: '组织关系 — the organization the membership belongs to' }),
    }),
  });
}
