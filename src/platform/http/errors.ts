/** Typed errors with stable ids; the error handler turns them into problem+json or an error page. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** Stable id, also the i18n key suffix: `error.<id>`. */
    readonly id: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class ValidationError extends HttpError {
  constructor(
    /** Field name → i18n message key. */
    readonly fields: Record<string, string>,
    message = 'The input is not valid',
  ) {
    super(400, 'validation', message, { errors: fields });
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Sign-in required') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'You may not do this') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends HttpError {
  constructor(message = 'Conflict', extra: Record<string, unknown> = {}) {
    super(409, 'conflict', message, extra);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too_many_requests', 'Too many attempts; try again later', { retryAfter: retryAfterSeconds });
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problemOf(error: HttpError, instance?: string): Problem {
  return {
    type: `https://servicehall.example/problems/${error.id}`,
    title: error.message,
    status: error.status,
    ...(instance ? { instance } : {}),
    ...error.extra,
  };
}
