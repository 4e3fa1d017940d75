/**
 * Structured logs: one JSON object per line, `{ ts, level, event, ...fields }`. Fields are ids,
 * counts, codes and durations only — never names, emails, property values or secrets.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createJsonLogger(options: { write?: (line: string) => void; now?: () => number } = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  const log = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    write(`${JSON.stringify({ ts: new Date(now()).toISOString(), level, event, ...fields })}\n`);
  };
  return {
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** A logger that keeps its lines (tests, the load bench). */
export function createMemoryLogger(): Logger & { lines: Array<{ level: LogLevel; event: string } & LogFields> } {
  const lines: Array<{ level: LogLevel; event: string } & LogFields> = [];
  const push = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    lines.push({ ...fields, level, event });
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
