/**
 * The one logger of the code base. Structured logs: one JSON object per line,
 * `{ ts, level, event, ...fields }`. Fields are ids, counts, codes and durations only — never
 * names, emails, property values or secrets.
 */
export type LogValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type LogFields = Record<string, LogValue>;
export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/**
 * A JSON-lines logger (stdout by default).
 *
 * @example
 * createJsonLogger({ now: () => 0 }).info('serve.listening', { port: 8080 });
 * // {"ts":"1970-01-01T00:00:00.000Z","level":"info","event":"serve.listening","port":8080}
 */
export function createJsonLogger(options: { write?: (line: string, level: LogLevel) => void; now?: () => number } = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  const log = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    write(`${JSON.stringify({ ts: new Date(now()).toISOString(), level, event, ...fields })}\n`, level);
  };
  return {
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}

/** JSON lines on the console (HubSpot keeps an app function's console output as its log): info → log, warn → warn, error → error. */
export const consoleLogger: Logger = createJsonLogger({
  write: (line, level) => {
    const text = line.trimEnd();
    if (level === 'info') console.log(text);
    else if (level === 'warn') console.warn(text);
    else console.error(text);
  },
});

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** A logger that keeps its lines (tests, the load bench). */
export function createMemoryLogger(): Logger & { lines: Array<{ level: LogLevel; event: string } & LogFields> } {
  const lines: Array<{ level: LogLevel; event: string } & LogFields> = [];
  const push = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    lines.push({ ...fields, level, event });
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
