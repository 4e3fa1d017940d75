/** The local HubSpot-compatible CRM: server, clock, seeding, faults, persistence. */
export { startLocalCrm, RequestCounters, DEFAULT_TOKEN, SIMULATED_NOW_HEADER, SIMULATED_DONE_AT_HEADER, type LocalCrm, type LocalCrmOptions, type RequestLogEntry } from './server';
export { SimClock, systemClock, type Clock, type SleepingClock } from '../platform/clock';
export { seedPortfolio, inputPropertyDefinitions, SKILLS, WEEKDAYS, type PoolConfig, type PoolMember, type SeedPortfolioOptions, type SeededPortfolio, type SeedSummary, type Weekday } from './seed';
export { workTheDays, type TeamDaysOptions, type TeamDaysResult } from './team-days';
export { FaultInjector, type FaultRule, type FaultResponse } from './faults';
export { RateLimiter, DEFAULT_RATE_LIMITS, type RateLimitConfig } from './rate-limit';
export { CrmStore, type CrmObject, type OwnerRecord, type HistoryEntry } from './store';
export { saveStore, loadStore, statePath } from './persistence';
export { DEFAULT_SCOPES, ASSOCIATION_TYPES, type ObjectType, type PropertyDefinition } from './schemas';
export { SEARCH_RESULT_CEILING, SEARCH_MAX_LIMIT } from './search';
export { BATCH_LIMIT } from './api';
