/**
 * What the use cases (sweep, functions, CLI) need: a CRM port, a validated config and a clock.
 * Built once at the edge (CLI, function handler) and passed down; the core never sees it.
 */
import type { Config } from '../core';
import type { CrmPort } from './ports';

export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface AppDeps {
  crm: CrmPort;
  config: Config;
  configVersion: string;
  /** The clock: `now()` is read once per use case and passed to the pure core. */
  now: () => Date;
  log: Logger;
}
