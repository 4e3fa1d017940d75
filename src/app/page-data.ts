/**
 * What the `portfolio-report` function returns (inside `FunctionResult`) and the app page renders:
 * the manager's portfolio view. Plain JSON. The function computes every figure and builds every
 * link; the page only renders.
 */
import type { HealthBand, IsoDate, IsoDateTime, Segment } from '../core/types';

/** One cell of the segment × band table. */
export interface SegmentBandCell {
  segment: Segment;
  band: HealthBand;
  count: number;
  /** A HubSpot company view filtered on this segment and band; null when the function cannot build one. */
  url: string | null;
}

/** A seed benchmark for accounts per CSM (001: mid-market 1:75–150, SMB 1:250–500). */
export interface CoverageBenchmark {
  /** Which benchmark, for people: e.g. "SMB (pooled)". */
  label: string;
  min: number;
  max: number;
}

export type CoverageStatus = 'below' | 'within' | 'above' | 'unknown';

/** One CSM's load. */
export interface CsmLoad {
  ownerId: string;
  ownerName: string;
  /** false when deactivated or archived in HubSpot (still listed while they hold accounts). */
  active: boolean;
  /** Companies where this CSM is the onboarding CSM and the stage is onboarding or overdue. */
  onboardingCount: number;
  /** Configured cap on concurrent onboardings; null = no cap. */
  onboardingCap: number | null;
  /** Graduated (pool) accounts whose open CS tasks this CSM holds, or their share of the pool. */
  pooledAccountsServed: number;
  /** Accounts per CSM (the N of 1:N); null when it cannot be computed. */
  coverageRatio: number | null;
  benchmark: CoverageBenchmark | null;
  /** coverageRatio against the benchmark range. */
  status: CoverageStatus;
  /** Companies view filtered on this onboarding CSM. */
  url: string | null;
}

/** Accounts per CSM for one segment's pool. */
export interface SegmentCoverage {
  segment: Segment;
  accounts: number;
  csms: number;
  coverageRatio: number | null;
  benchmark: CoverageBenchmark | null;
  status: CoverageStatus;
}

/** Companies due to graduate in one ISO week. */
export interface PipelineWeek {
  /** ISO week, e.g. `2026-W48`. */
  week: string;
  /** Monday of that week (UTC). */
  weekStart: IsoDate;
  count: number;
  /** Of those, already past their graduation date without graduating. */
  overdue: number;
  url: string | null;
}

/** CS tasks one playbook created in the report period. */
export interface PlaybookTaskStats {
  playbook: string;
  label: string;
  created: number;
  completed: number;
  open: number;
  /** completed / created, 0–1; null when none were created. */
  completionRate: number | null;
}

/** A link to a filtered HubSpot companies view. */
export interface CompanyViewLink {
  kind: 'segment' | 'band' | 'stage' | 'csm';
  /** The filter value: a segment, band, stage or owner id. */
  value: string;
  label: string;
  url: string;
}

export interface PortfolioTotals {
  accounts: number;
  onboarding: number;
  onboardingOverdue: number;
  graduated: number;
  notStarted: number;
  /** Accounts whose health band is unknown (too few fresh signals). */
  unknownHealth: number;
  openTasks: number;
  activeCsms: number;
}

export interface PortfolioReport {
  generatedAt: IsoDateTime;
  configVersion: string;
  /** Report period of the task figures (inclusive, UTC days). */
  period: { from: IsoDate; to: IsoDate };
  totals: PortfolioTotals;
  /** Every segment × band pair, zeros included. */
  segmentBand: SegmentBandCell[];
  coverage: SegmentCoverage[];
  csmLoads: CsmLoad[];
  /** Oldest week first. */
  onboardingPipeline: PipelineWeek[];
  tasksByPlaybook: PlaybookTaskStats[];
  /** Filtered company views: one per segment, band and stage (and CSM when known). */
  links: CompanyViewLink[];
  /** Accounts left out or counted as unknown because of bad data, for people. */
  dataIssues: { count: number; examples: string[] };
}
