/**
 * The public API of the application layer: the only path `src/server`, `src/cli`, `functions/`,
 * `bench/` and the tests outside `src/app` import from (`extensions/` use `view-models.ts`, which
 * this file re-exports). Enforced by `eslint.config.mjs`.
 */
export * from './view-models';
export type * from './ports';
export * from './company-actions';
export * from './deps';
export * from './config-source';
export * from './runtime';
export * from './failures';
export * from './assignment-loader';
export * from './process';
export * from './company-service';
export * from './card-data-builder';
export * from './task-actions';
export * from './owner-name';
export * from './settings-service';
export * from './portfolio-report';
export * from './portfolio-report-html';
export * from './run-lock';
export * from './sweep-cursor';
export * from './sweep-state';
export * from './sweep';
