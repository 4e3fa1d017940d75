/** The public API of the pure customer-success core. */
export * from './types';
export * from './dates';
export * from './config';
export * from './segment';
export * from './health';
export * from './lifecycle';
export * from './assignment';
export * from './playbooks';
export * from './evaluate';
export * from './kpis';
export * from './what-if';
export * from './backtest';
export * from './workload';
export * from './risk-cap';
