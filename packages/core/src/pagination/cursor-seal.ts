import { timingSafeEqual } from 'node:crypto';
import type { Context } from '../context.ts';
import { InputError } from '../errors/errors.ts';

/**
 * Cursors handed to clients are sealed: Pothos's own cursor (which names a row id) followed by a MAC over
 * the connection it came from, the viewer it was issued to and that cursor, keyed with the deployment's
 * lookup key (the same in every process, so a page fetched from one process continues on another).
 *
 * Why sealed rather than checked against the viewer's scope: Prisma (and our own per-parent page SQL) look
 * the cursor's row up by id alone to find where a page starts, so a hand-built cursor around the id of
 * another department's row told whether that row exists and, by the page it answered, where its hidden
 * sort value (a name, a date) falls. A cursor this server did not issue, to this viewer, for this
 * connection, is never looked up at all: foreign, random, malformed and cross-connection cursors all get
 * the one answer `BAD_USER_INPUT` naming the argument, before any SQL runs.
 */
const MAC_HEX_CHARS = 32;
const SEPARATOR = '~';

/** What a cursor is bound to: the schema coordinate of its connection (`Organization.members`) and the viewer. */
function binding(ctx: Context, coordinate: string, raw: string): string {
  const viewer = ctx.viewer;
  // Anonymous requests reach no connection (every list needs a viewer), but must not share a binding with one.
  return `${coordinate}\n${viewer?.userId ?? ''}\n${viewer?.organizationId ?? ''}\n${raw}`;
}

function mac(ctx: Context, coordinate: string, raw: string): string {
  return ctx.vault.keyedDigest('cursor', binding(ctx, coordinate, raw)).slice(0, MAC_HEX_CHARS);
}

/** The cursor a client sees for Pothos's `raw` cursor of a row in the connection at `coordinate`. */
export function sealCursor(ctx: Context, coordinate: string, raw: string): string {
  return `${raw}${SEPARATOR}${mac(ctx, coordinate, raw)}`;
}

/**
 * Pothos's cursor inside a sealed one, when this server issued it to this viewer for this connection;
 * otherwise one and the same error for every other cursor, naming the argument (`after` / `before`).
 */
export function openCursor(ctx: Context, coordinate: string, sealed: unknown, argument: string): string {
  const refused = () => new InputError(argument, 'not a cursor of this list (cursors come from this list’s edges or pageInfo)');
  if (typeof sealed !== 'string') throw refused();
  const at = sealed.lastIndexOf(SEPARATOR);
  if (at <= 0) throw refused();
  const raw = sealed.slice(0, at);
  const given = Buffer.from(sealed.slice(at + 1), 'utf8');
  const expected = Buffer.from(mac(ctx, coordinate, raw), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
  return raw;
}
