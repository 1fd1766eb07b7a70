/** Classifies driver errors, so services and the HTTP layer never look at driver-specific codes. */

export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the database is unavailable or locked', { cause });
    this.name = 'StorageUnavailableError';
  }
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
}

const SQLITE_UNAVAILABLE = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_IOERR',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

export function isStorageUnavailable(error: unknown): boolean {
  if (error instanceof StorageUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as DriverError;
  if (typeof code === 'string') {
    if (SQLITE_UNAVAILABLE.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_IOERR'))
      return true;
    if (NETWORK_CODES.has(code)) return true;
    // PostgreSQL: connection exceptions (08…), shutdown (57P…), too many connections, lock/statement timeouts.
    if (/^(08|57P)/.test(code) || code === '53300' || code === '55P03' || code === '57014') return true;
  }
  if (typeof message === 'string') {
    return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(
      message,
    );
  }
  return false;
}

/** The unique constraint a driver error reports, as `table.column[,column]` (SQLite) or constraint name (PostgreSQL). */
export function uniqueViolation(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, constraint } = error as DriverError;
  if (code === '23505' && typeof constraint === 'string') return constraint;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return typeof message === 'string' ? message.replace(/^UNIQUE constraint failed: /, '') : 'unique';
  }
  return undefined;
}
