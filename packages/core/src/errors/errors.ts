import { GraphQLError } from 'graphql';

/** Codes a client can branch on, carried in `extensions.code`. */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'ILLEGAL_STATE';

/** Base of every error the client is meant to see; anything else is masked by the server. */
export class DangjianError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = new.target.name;
  }
}

/** No or invalid credentials. */
export class UnauthenticatedError extends DangjianError {
  constructor(message = 'authentication required') {
    super(message, 'UNAUTHENTICATED');
  }
}

/** Authenticated, but not allowed to do this. */
export class ForbiddenError extends DangjianError {
  constructor(message = 'not allowed') {
    super(message, 'FORBIDDEN');
  }
}

/** The object does not exist — or lies outside the viewer's subtree, which must look the same. */
export class NotFoundError extends DangjianError {
  constructor(type: string, id: string) {
    super(`${type} ${id} not found`, 'NOT_FOUND', { type, id });
  }
}

/** Bad input; `field` names the argument path at fault (e.g. `input.nationalId`). */
export class InputError extends DangjianError {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, 'BAD_USER_INPUT', { field });
  }
}

/** The request conflicts with existing data (a duplicate, a non-empty organization …). */
export class ConflictError extends DangjianError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, 'CONFLICT', extensions);
  }
}

/** A state machine refused a transition; `state` is the current state. */
export class IllegalStateError extends DangjianError {
  constructor(message: string, state: string) {
    super(message, 'ILLEGAL_STATE', { state });
  }
}
