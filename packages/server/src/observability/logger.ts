import pino, { type DestinationStream } from 'pino';

/** What a log line may carry besides its message. */
export interface LogFields {
  /** The request the line is about (the response's X-Request-Id, a masked error's extensions.requestId). */
  requestId?: string;
}

/** The server's log seam: `log` and `errorLog` in AppOptions have this shape (a one-argument function fits). */
export type LogFn = (message: string, fields?: LogFields) => void;

export interface Logger {
  info: LogFn;
  error: LogFn;
}

const REDACTED = '[redacted]';

/**
 * Removes what must never reach a log from free text: bearer tokens and JWTs, Authorization header values,
 * national ID numbers (18 characters, the last may be X) and mainland mobile numbers. Log messages are
 * mostly error texts, which may quote a value a client sent (a unique violation, a driver error).
 */
export function redactText(text: string): string {
  return text
    .replace(/\b(authorization["']?\s*[:=]\s*["']?)(?:Bearer\s+)?[^\s"',;}]+/gi, `$1${REDACTED}`)
    .replace(/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi, `Bearer ${REDACTED}`)
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[redacted token]')
    .replace(/(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])/g, '[redacted national id]')
    .replace(/(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9])/g, '[redacted phone]');
}

/** Object fields removed whole from structured lines. */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  '*.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'nationalId',
  '*.nationalId',
  'phone',
  '*.phone',
  'password',
  '*.password',
];

/**
 * The server's logger. `json`: one JSON object per line (pino), `{"level":"error","time":"…","requestId":"…",
 * "msg":"…"}`, written synchronously to stdout so nothing is lost when the process exits. `text`: the plain lines
 * of development, on stdout and stderr. Both redact tokens and personal data (`redactText`).
 */
export function createLogger(format: 'json' | 'text', destination?: DestinationStream): Logger {
  if (format === 'text') {
    const line = (message: string, fields?: LogFields) => {
      const text = redactText(message);
      return fields?.requestId && !text.includes(fields.requestId) ? `${text} (request ${fields.requestId})` : text;
    };
    return {
      info: (message, fields) => console.log(line(message, fields)),
      error: (message, fields) => console.error(line(message, fields)),
    };
  }
  const logger = pino(
    {
      base: { service: 'dangjian' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const write = (level: 'info' | 'error') => (message: string, fields?: LogFields) => {
    const text = redactText(message);
    if (fields?.requestId) logger[level]({ requestId: fields.requestId }, text);
    else logger[level](text);
  };
  return { info: write('info'), error: write('error') };
}
