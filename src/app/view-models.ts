/**
 * The application layer's entry for `extensions/`: the view models the cards, the page and the
 * settings render, and the function parameters they send (zod schemas shared with the functions).
 * Nothing here does I/O or knows HubSpot's API, so a card bundle that imports it pulls in no server,
 * adapter or client code. `index.ts` re-exports all of it for everyone else.
 */
export type * from './card-data';
export type * from './page-data';
export type * from './settings-data';
export * from './function-params';
export { HEALTH_BANDS, LIFECYCLE_STAGES, SEGMENTS, type HealthBand, type LifecycleStage, type Segment } from '../core';
