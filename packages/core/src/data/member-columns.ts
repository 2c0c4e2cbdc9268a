// The 花名册 (member roster) template and the checks of one of its rows: the same rules registerMember
// applies (national-ID check character, its agreement with birth date and sex, dates in order), with the
// problems reported per cell in Chinese.

import { birthDateFromNationalId, type Gender, type MemberStatus } from '@dangjian/db';
import { isoDate } from '../kit/dates.ts';
import { eighteenthBirthday, genderFromNationalId, isMainlandMobile } from '../schema/member-rules.ts';
import type { ColumnSpec, RowReader } from './columns.ts';
import { readNationalId } from './member-lookup.ts';

export type MemberColumn =
  | 'name'
  | 'gender'
  | 'ethnicity'
  | 'birthDate'
  | 'nationalId'
  | 'education'
  | 'phone'
  | 'status'
  | 'joinedAt'
  | 'fullMemberAt'
  | 'organizationCode';

/** The columns of the member roster template, in template order. */
export const MEMBER_COLUMNS: readonly ColumnSpec<MemberColumn>[] = [
  { key: 'name', header: '姓名', aliases: ['name'], required: true, note: '必填，最多 50 个字', example: '张三' },
  {
    key: 'gender',
    header: '性别',
    aliases: ['gender'],
    required: false,
    note: '男 或 女；不填时按身份证号判断，填写时须与身份证号一致',
    example: '男',
  },
  { key: 'ethnicity', header: '民族', aliases: ['ethnicity'], required: false, note: '如 汉族，最多 20 个字', example: '汉族' },
  {
    key: 'birthDate',
    header: '出生日期',
    aliases: ['birthDate'],
    required: false,
    note: '日期，如 1985-03-07；不填时取自身份证号，填写时须一致',
    example: '1985-03-07',
  },
  {
    key: 'nationalId',
    header: '身份证号',
    aliases: ['公民身份号码', '身份证号码', 'nationalId'],
    required: true,
    note: '必填，18 位居民身份证号码（校验位正确）；同一身份证号只登记一次',
    example: '110101198503070014',
  },
  { key: 'education', header: '学历', aliases: ['education'], required: false, note: '如 大学本科，最多 30 个字', example: '大学本科' },
  {
    key: 'phone',
    header: '手机号',
    aliases: ['联系电话', '手机号码', 'phone'],
    required: false,
    note: '11 位手机号码',
    example: '13812345678',
  },
  {
    key: 'status',
    header: '人员类别',
    aliases: ['党员类别', 'status'],
    required: false,
    note: '正式党员 或 预备党员；不填时有转正日期为正式党员，否则为预备党员',
    example: '正式党员',
  },
  {
    key: 'joinedAt',
    header: '入党日期',
    aliases: ['加入党组织日期', 'joinedAt'],
    required: true,
    note: '必填，日期，不晚于今天，不早于年满 18 周岁之日',
    example: '2008-07-01',
  },
  {
    key: 'fullMemberAt',
    header: '转正日期',
    aliases: ['fullMemberAt'],
    required: false,
    note: '正式党员填写：晚于入党日期，不晚于今天',
    example: '2009-07-01',
  },
  {
    key: 'organizationCode',
    header: '所在党组织代码',
    aliases: ['党组织代码', 'organizationCode'],
    required: false,
    note: '党员所在党支部的组织代码，须在导入人管辖范围内；不填时为导入时指定的党支部',
    example: 'SZMZJ-ZB1',
  },
];

const GENDERS: Readonly<Record<string, Gender>> = { 男: 'MALE', 女: 'FEMALE', MALE: 'MALE', FEMALE: 'FEMALE' };
const STATUSES: Readonly<Record<string, MemberStatus>> = {
  正式党员: 'FULL',
  正式: 'FULL',
  预备党员: 'PROBATIONARY',
  预备: 'PROBATIONARY',
  FULL: 'FULL',
  PROBATIONARY: 'PROBATIONARY',
};

/** A roster row that passed every check of its own. */
export interface MemberRow {
  row: number;
  name: string;
  nationalId: string;
  gender: Gender;
  birthDate: Date;
  ethnicity: string | null;
  education: string | null;
  phone: string | null;
  status: MemberStatus;
  joinedAt: Date;
  fullMemberAt: Date | null;
  organizationCode: string | null;
}

/** Checks one roster row on its own (no database): every problem found is recorded on `reader`. */
export function readMemberRow(reader: RowReader<MemberColumn>): MemberRow | null {
  const name = reader.text('name', 50);
  const rawId = readNationalId(reader, 'nationalId');
  const gender = reader.choice('gender', GENDERS);
  const ethnicity = reader.text('ethnicity', 20);
  const birthDate = reader.date('birthDate', { notFuture: true });
  const education = reader.text('education', 30);
  const phone = reader.text('phone', 20);
  const status = reader.choice('status', STATUSES);
  const joinedAt = reader.date('joinedAt', { notFuture: true });
  const fullMemberAt = reader.date('fullMemberAt', { notFuture: true });
  const organizationCode = reader.text('organizationCode', 50);

  const nationalId = rawId ?? null;
  const idBirth = nationalId ? birthDateFromNationalId(nationalId) : null;
  if (phone && !isMainlandMobile(phone)) reader.problem('phone', '应为 11 位手机号码，如 13812345678');
  const idGender = nationalId ? genderFromNationalId(nationalId) : null;
  if (idBirth && birthDate && idBirth.getTime() !== birthDate.getTime()) {
    reader.problem('birthDate', `与身份证号中的出生日期（${isoDate(idBirth)}）不一致`);
  }
  if (idGender && gender && idGender !== gender) {
    reader.problem('gender', `与身份证号不一致（身份证号为${idGender === 'MALE' ? '男' : '女'}性）`);
  }
  const birth = birthDate ?? idBirth;
  if (birth && joinedAt && joinedAt.getTime() < eighteenthBirthday(birth).getTime()) {
    reader.problem('joinedAt', `不能早于年满 18 周岁之日（${isoDate(eighteenthBirthday(birth))}）`);
  }
  if (joinedAt && fullMemberAt && fullMemberAt.getTime() <= joinedAt.getTime()) {
    reader.problem('fullMemberAt', '应晚于入党日期');
  }
  if (status === 'FULL' && fullMemberAt === null) reader.problem('fullMemberAt', '人员类别为正式党员时必须填写转正日期');
  if (status === 'PROBATIONARY' && fullMemberAt) reader.problem('status', '填写了转正日期的应为正式党员');

  if (reader.problems.length > 0 || !name || !nationalId || !joinedAt || !idBirth || !idGender) return null;
  return {
    row: reader.row,
    name,
    nationalId,
    gender: gender ?? idGender,
    birthDate: birth ?? idBirth,
    ethnicity: ethnicity ?? null,
    education: education ?? null,
    phone: phone ?? null,
    status: fullMemberAt ? 'FULL' : 'PROBATIONARY',
    joinedAt,
    fullMemberAt: fullMemberAt ?? null,
    organizationCode: organizationCode ?? null,
  };
}
