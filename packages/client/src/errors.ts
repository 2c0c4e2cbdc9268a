/**
 * The `extensions.code` values the API answers with (README → Errors and Security), plus the client's own:
 * `NETWORK_ERROR` (no answer), `HTTP_ERROR` (an answer that is not a GraphQL response) and `SOCKET_CLOSED`
 * (the live connection was closed and is not retried). A server may add codes; they pass through as strings.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'ILLEGAL_STATE'
  | 'RATE_LIMITED'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'PLUGIN_DISABLED'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR'
  | 'HTTP_ERROR'
  | 'SOCKET_CLOSED';

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * What `query`, `mutate` and subscriptions throw or report. `code` is the first error's `extensions.code`
 * (`UNKNOWN` when the server sent none); the other errors, any partial `data` and the HTTP status are kept.
 *
 * @example
 * try { await client.mutate(RecordMeeting, { input }); }
 * catch (error) { if (isDangjianError(error, 'BAD_USER_INPUT')) showFieldError(error.field, error.message); }
 */
export class DangjianClientError extends Error {
  /** The first error's `extensions.code`. */
  readonly code: ErrorCode | (string & {});
  /** The first error's `extensions` (e.g. `field` for BAD_USER_INPUT, `state` for ILLEGAL_STATE, `retryAfter`). */
  readonly extensions: { [key: string]: unknown };
  /** Every error of the response. */
  readonly errors: readonly GraphQLErrorEntry[];
  /** Partial data that came with the errors, if any. */
  readonly data: unknown;
  /** HTTP status of the answer (not set for errors over the socket). */
  readonly status: number | undefined;

  constructor(errors: readonly GraphQLErrorEntry[], options: { data?: unknown; status?: number; cause?: unknown } = {}) {
    const first = errors[0] ?? { message: 'unknown error' };
    super(first.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DangjianClientError';
    this.errors = errors;
    this.extensions = first.extensions ?? {};
    this.code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
    this.data = options.data ?? null;
    this.status = options.status;
  }

  /** The argument at fault for BAD_USER_INPUT (e.g. `input.code`), from `extensions.field`. */
  get field(): string | undefined {
    return typeof this.extensions.field === 'string' ? this.extensions.field : undefined;
  }
}

/** True for a {@link DangjianClientError}, and when `code` is given, one carrying that code. */
export function isDangjianError(error: unknown, code?: ErrorCode): error is DangjianClientError {
  return error instanceof DangjianClientError && (code === undefined || error.code === code);
}

/** A client-side failure (no GraphQL answer) as a {@link DangjianClientError}. */
export function clientError(
  code: ErrorCode,
  message: string,
  options: { status?: number; cause?: unknown; extensions?: Record<string, unknown> } = {},
) {
  return new DangjianClientError([{ message, extensions: { ...options.extensions, code } }], options);
}
