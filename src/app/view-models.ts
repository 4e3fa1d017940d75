/**
 * The application layer's entry for `extensions/`: the view models the cards, the page and the
 * settings render, and the function parameters they send (zod schemas shared with the functions).
 * These files import only each other and the core's contract types (`src/core/types`; enforced by
 * `layers/direction`), so a card bundle pulls in no server, adapter, client or use-case code and not
 * the whole core. `index.ts` re-exports all of it for everyone else.
 */
export type * from './card-data';
export type * from './page-data';
export type * from './settings-data';
export * from './function-params';
export { HEALTH_BANDS, LIFECYCLE_STAGES, SEGMENTS, type HealthBand, type LifecycleStage, type Segment } from '../core/types';
