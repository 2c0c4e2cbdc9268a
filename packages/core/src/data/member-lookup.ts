// Finding the members a row names — by national ID (through its keyed hash, never decrypting), or by name
// among the members of an organization — for the imports that attach records to members (dues, meetings).

import { birthDateFromNationalId, type PrismaClient } from '@dangjian/db';
import type { Tx } from '../activity/record.ts';
import type { Context } from '../context.ts';
import { nationalIdLookup } from '../privacy/national-id.ts';
import type { RowReader } from './columns.ts';

/** A member as the imports need them. */
export interface FoundMember {
  id: string;
  name: string;
  joinedAt: Date;
  /** The path of the member's organization. */
  path: string;
}

const SELECT = { id: true, name: true, joinedAt: true, nationalIdHash: true, organization: { select: { path: true } } } as const;

/** A national ID as written (spaces, a lower-case x) in its normal form, or null when it is not a valid one. */
export function normalNationalId(raw: string): string | null {
  const id = raw.replace(/\s/g, '').toUpperCase();
  return birthDateFromNationalId(id) ? id : null;
}

/** The national ID of a cell, checked (format, birth date, check character); a problem when it is not valid. */
export function readNationalId<K extends string>(reader: RowReader<K>, key: K): string | null | undefined {
  const raw = reader.text(key, 30);
  if (!raw) return raw;
  const id = normalNationalId(raw);
  if (!id) reader.problem(key, '不是有效的 18 位身份证号（格式、出生日期或校验位错误）');
  return id ?? undefined;
}

/**
 * Members by national ID for one import: each chunk's IDs are looked up once (one statement) and kept.
 * A member outside `scopePath` reads as missing: the importer learns nothing of other departments.
 */
export class MembersByNationalId {
  private readonly known = new Map<string, FoundMember | null>();
  constructor(
    private readonly ctx: Context,
    private readonly scopePath: string,
  ) {}

  /** Looks up the IDs not yet known. */
  async load(db: Tx | PrismaClient, ids: Iterable<string>): Promise<void> {
    const hashes = new Map<string, string>();
    for (const id of ids) if (!this.known.has(id)) hashes.set(nationalIdLookup(this.ctx, id), id);
    if (hashes.size === 0) return;
    const found = await db.member.findMany({ where: { nationalIdHash: { in: [...hashes.keys()] } }, select: SELECT });
    for (const id of hashes.values()) this.known.set(id, null);
    for (const m of found) {
      if (!m.organization.path.startsWith(this.scopePath)) continue;
      this.known.set(hashes.get(m.nationalIdHash!)!, { id: m.id, name: m.name, joinedAt: m.joinedAt, path: m.organization.path });
    }
  }

  /** The member of a loaded ID; null when none is registered in the subtree. */
  get(id: string): FoundMember | null {
    return this.known.get(id) ?? null;
  }
}

/** Members by name under some paths, for rows that name people the way a register does (one statement per chunk). */
export async function membersByName(db: Tx | PrismaClient, names: readonly string[], scopePath: string): Promise<FoundMember[]> {
  if (names.length === 0) return [];
  const found = await db.member.findMany({
    where: { name: { in: [...new Set(names)] }, organization: { path: { startsWith: scopePath } } },
    select: SELECT,
  });
  return found.map((m) => ({ id: m.id, name: m.name, joinedAt: m.joinedAt, path: m.organization.path }));
}

/**
 * The member a row's national ID names, with the row's name (when given) checked against the register;
 * a problem on the ID or the name column otherwise.
 */
export function rowMember<K extends string>(
  reader: RowReader<K>,
  members: MembersByNationalId,
  id: string,
  name: string | null | undefined,
  keys: { id: K; name: K },
): FoundMember | null {
  const member = members.get(id);
  if (!member) {
    reader.problem(keys.id, '没有此身份证号的党员，或不在您的管辖范围内');
    return null;
  }
  if (name && name !== member.name) {
    reader.problem(keys.name, `与该身份证号登记的姓名“${member.name}”不一致`);
    return null;
  }
  return member;
}

/**
 * What every import of rows that name a member (姓名 and 身份证号: dues bases, dues payments) does with its
 * chunks: reads the two cells (before the others, so a row's problems are listed in column order), looks
 * the chunk's members up in one statement, answers the member a row names with its name checked against
 * the register, and tells a row that repeats an earlier one of the file.
 */
export class MemberRows<K extends string> {
  private readonly members: MembersByNationalId;
  /** A row's key (what makes two rows the same record) → the first row that had it. */
  private readonly seen = new Map<string, number>();
  constructor(
    ctx: Context,
    scopePath: string,
    private readonly keys: { id: K; name: K },
  ) {
    this.members = new MembersByNationalId(ctx, scopePath);
  }

  /** Each row's name, national ID and the cells `rest` reads, with the chunk's members loaded. */
  async read<P extends object>(
    db: Tx | PrismaClient,
    readers: readonly RowReader<K>[],
    rest: (reader: RowReader<K>) => P,
  ): Promise<(P & { reader: RowReader<K>; name: string | null | undefined; id: string | null | undefined })[]> {
    const parsed = readers.map((reader) => ({
      reader,
      name: reader.text(this.keys.name, 50),
      id: readNationalId(reader, this.keys.id),
      ...rest(reader),
    }));
    await this.members.load(
      db,
      parsed.flatMap((p) => (p.id ? [p.id] : [])),
    );
    return parsed;
  }

  /** The member a read row names (see rowMember); null, with a problem when an ID was given, otherwise. */
  member(row: { reader: RowReader<K>; name: string | null | undefined; id: string | null | undefined }): FoundMember | null {
    return row.id ? rowMember(row.reader, this.members, row.id, row.name, this.keys) : null;
  }

  /** The earlier row of the file with this key; undefined when there is none (the key is then this row's). */
  earlier(key: string, row: number): number | undefined {
    const first = this.seen.get(key);
    if (first === undefined) this.seen.set(key, row);
    return first;
  }
}
