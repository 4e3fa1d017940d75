/**
 * What the use cases (sweep, functions, CLI) need: a CRM port, a validated config and a clock.
 * Built once at the edge (CLI, function handler) and passed down; the core never sees it.
 */
import type { Config, evaluateAccount } from '../core';
import type { Logger } from '../platform/logger';
import type { CrmPort } from './ports';

export { silentLogger, type Logger } from '../platform/logger';

export interface AppDeps {
  crm: CrmPort;
  config: Config;
  configVersion: string;
  /** The clock: `now()` is read once per use case and passed to the pure core. */
  now: () => Date;
  log: Logger;
  /**
   * The core's evaluation, called once per account and pass by `processAccounts` (default
   * `evaluateAccount`); a test may wrap it to count evaluations.
   */
  evaluate?: typeof evaluateAccount;
}
