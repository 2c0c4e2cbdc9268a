// Seeded randomness: the demo and benchmark data must be identical on every machine and run,
// so nothing in the seed may touch Math.random or crypto.

const DAY_MS = 86_400_000;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A weighted choice table; precomputed so hot loops (100k members) pay a binary search, not a scan. */
export interface WeightedTable<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

/** Builds a reusable weighted table from [item, weight] pairs. */
export function weightedTable<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  if (entries.length === 0) throw new RangeError('weighted table needs at least one entry');
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    if (!(weight >= 0)) throw new RangeError(`negative or NaN weight ${weight}`);
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  if (total <= 0) throw new RangeError('weights must not all be zero');
  return { items, cumulative, total };
}

/** Deterministic pseudo-random generator (mulberry32) with the helpers the seed needs. */
export class Random {
  private state: number;

  /** Seeds the generator; any integer, equal seeds give equal sequences. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next float in [0, 1). */
  next(): number {
    // mulberry32: 32-bit state, passes gjrand/PractRand well enough for test data and is tiny.
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Next unsigned 32-bit integer. */
  uint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`empty range [${min}, ${max}]`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty array');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Element chosen by weight, from a table or from [item, weight] pairs. */
  weighted<T>(source: WeightedTable<T> | ReadonlyArray<readonly [T, number]>): T {
    const table = 'cumulative' in source ? source : weightedTable(source);
    const target = this.next() * table.total;
    let lo = 0;
    let hi = table.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return table.items[lo]!;
  }

  /** Fisher–Yates shuffled copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  /** Up to n distinct elements, in random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, n));
  }

  /** UTC-midnight date uniformly between two dates, both inclusive (day granularity, as @db.Date stores). */
  dateBetween(from: Date, to: Date): Date {
    const start = Math.floor(from.getTime() / DAY_MS);
    const end = Math.floor(to.getTime() / DAY_MS);
    return new Date(this.int(Math.min(start, end), Math.max(start, end)) * DAY_MS);
  }

  /** Random UUID in RFC 4122 version-4 layout, so ids can be assigned (and paths built) before insert. */
  uuid(): string {
    const b: number[] = [];
    for (let i = 0; i < 4; i++) {
      const word = this.uint32();
      b.push(word >>> 24, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
    }
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.map((x) => HEX[x]!);
    return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h.slice(10).join('')}`;
  }
}
