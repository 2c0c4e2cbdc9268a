// Pure rules of 民主评议党员: who is graded (every full member on the roll, each once; probationary members
// take part but are not graded) and the one-third limit of 优秀. No database, no GraphQL (unit-tested).

import type { EvaluationGrade } from '@dangjian/db';
import { InputError } from '../errors/errors.ts';

/** A member of the branch as the rules see them. */
export interface BranchMember {
  id: string;
  status: 'PROBATIONARY' | 'FULL';
}

/** Checks the grades given for a branch's members; `index` maps a member id to its place in the input. */
export function checkGrades(members: readonly BranchMember[], grades: readonly { memberId: string; grade: EvaluationGrade }[]): void {
  const byId = new Map(members.map((m) => [m.id, m]));
  const seen = new Set<string>();
  grades.forEach((g, i) => {
    const field = `input.grades[${i}].memberId`;
    const member = byId.get(g.memberId);
    if (!member) throw new InputError(field, 'is not a member on the roll of this branch');
    if (member.status === 'PROBATIONARY')
      throw new InputError(field, 'rule 预备党员参加评议但不评定等次: a probationary member is not graded');
    if (seen.has(g.memberId)) throw new InputError(field, 'is graded more than once');
    seen.add(g.memberId);
  });
  const missing = members.filter((m) => m.status === 'FULL' && !seen.has(m.id)).length;
  if (missing > 0)
    throw new InputError('input.grades', `rule 全体正式党员参加评定: ${missing} full member${missing === 1 ? ' is' : 's are'} not graded`);
  const excellent = grades.filter((g) => g.grade === 'EXCELLENT').length;
  const limit = Math.floor(grades.length / 3);
  if (excellent > limit) {
    throw new InputError(
      'input.grades',
      `rule 优秀不超过三分之一: ${excellent} of ${grades.length} graded are EXCELLENT, at most ${limit}`,
    );
  }
}
