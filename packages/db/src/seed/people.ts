// Generates the personal data of one member. Demo and scale datasets share it so benchmark rows have
// the same shape (and the same masking/validation cost) as the demo rows.

import type { Gender } from '../generated/prisma/client.ts';
import { nationalIdChecksum } from '../national-id.ts';
import { addDays, addYears, compactDate } from './dates.ts';
import {
  AREA_CODES,
  EDUCATION_OLDER,
  EDUCATION_YOUNGER,
  ERA_NAMES,
  ETHNICITIES,
  FEMALE_CHARS,
  MALE_CHARS,
  NEUTRAL_CHARS,
  PHONE_PREFIXES,
  SURNAMES,
} from './names.ts';
import type { Random } from './random.ts';

/** Personal fields of a member row. */
export interface Person {
  name: string;
  gender: Gender;
  birthDate: Date;
  ethnicity: string;
  education: string;
  phone: string;
  nationalId: string;
}

/** Produces people with unique national IDs and phone numbers, as the unique index demands. */
export class PersonFactory {
  private readonly nationalIds = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly birthRanges = new Map<string, readonly [Date, Date]>();

  /** Binds the factory to a generator and the reference date ages are measured from. */
  constructor(
    private readonly rng: Random,
    private readonly today: Date,
  ) {}

  /** A person aged between minAge and maxAge (inclusive) on the reference date. */
  create(minAge: number, maxAge: number): Person {
    const rng = this.rng;
    // Agencies are slightly male-heavy, as civil-service statistics show.
    const gender: Gender = rng.chance(0.56) ? 'MALE' : 'FEMALE';
    const [earliest, latest] = this.birthRange(minAge, maxAge);
    const birthDate = rng.dateBetween(earliest, latest);
    const older = birthDate.getUTCFullYear() < 1975;
    return {
      name: rng.weighted(SURNAMES) + this.givenName(gender, older),
      gender,
      birthDate,
      ethnicity: rng.weighted(ETHNICITIES),
      education: rng.weighted(older ? EDUCATION_OLDER : EDUCATION_YOUNGER),
      phone: this.phone(),
      nationalId: this.nationalId(gender, birthDate),
    };
  }

  private birthRange(minAge: number, maxAge: number): readonly [Date, Date] {
    const key = `${minAge}-${maxAge}`;
    let range = this.birthRanges.get(key);
    if (!range) {
      range = [addDays(addYears(this.today, -maxAge - 1), 1), addDays(addYears(this.today, -minAge), -1)];
      this.birthRanges.set(key, range);
    }
    return range;
  }

  private givenName(gender: Gender, older: boolean): string {
    const rng = this.rng;
    if (older && rng.chance(0.3)) return rng.pick(ERA_NAMES[gender]);
    const own = gender === 'MALE' ? MALE_CHARS : FEMALE_CHARS;
    const pool = () => (rng.chance(0.85) ? rng.pick(own) : rng.pick(NEUTRAL_CHARS));
    const first = pool();
    // Single-character given names were fashionable for a while; they are about one in six.
    if (rng.chance(0.16)) return first;
    let second = pool();
    for (let i = 0; second === first && i < 5; i++) second = pool();
    return first + second;
  }

  private phone(): string {
    for (;;) {
      const digits = String(this.rng.int(0, 99_999_999)).padStart(8, '0');
      const phone = this.rng.pick(PHONE_PREFIXES) + digits;
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }

  private nationalId(gender: Gender, birthDate: Date): string {
    const prefix = this.rng.weighted(AREA_CODES) + compactDate(birthDate);
    for (;;) {
      // The 17th digit encodes sex (odd male, even female) — keep it consistent with gender.
      const parity = gender === 'MALE' ? 1 : 0;
      const sequence = String(this.rng.int(0, 99)).padStart(2, '0') + String(this.rng.int(0, 4) * 2 + parity);
      const first17 = prefix + sequence;
      const id = first17 + nationalIdChecksum(first17);
      if (!this.nationalIds.has(id)) {
        this.nationalIds.add(id);
        return id;
      }
    }
  }
}
