const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

// The units jose's setExpirationTime accepts (`8h`, `30 min`, `2 hours`, `1.5d`), so `--expires` keeps every
// form it took before it was checked here; a bare number is seconds (the habit of `expires_in`). Signs,
// `ago` and years are left out: a token lifetime is a positive span of hours or days.
const DURATION = /^(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)$/i;

/**
 * Parses a duration such as `8h`, `30m`, `1.5d` or `3600` (seconds) into whole seconds; null when the text is
 * not one.
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = DURATION.exec(trimmed);
  if (!match) return null;
  return Math.round(Number(match[1]) * SECONDS[match[2]![0]!.toLowerCase()]!);
}

/** Seconds written back in units for messages and logs: `28800` → `8h`, `5400` → `1h30m`, `0` → `0s`. */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  let text = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      text += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return text || '0s';
}
