/**
 * Where a sweep keeps its place between calls and crashes: the run in progress (query, cursor,
 * totals so far) and when the last complete run started (for incremental sweeps). The file store
 * writes atomically (temp file + rename), so a kill at any moment leaves the old or the new state.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

export const SweepTotalsSchema = z.object({
  accounts: z.number(),
  updated: z.number(),
  /** Of `updated`, companies whose only change was the score's digits (optional so older state files still load). */
  scoreOnly: z.number().optional(),
  unchanged: z.number(),
  tasksPlanned: z.number(),
  tasksCreated: z.number(),
  reconciled: z.number(),
  failures: z.number(),
  /** The first few failed writes' messages, as the CRM gave them (optional so older state files still load). */
  failureExamples: z.array(z.string()).optional(),
  issues: z.number(),
  /** Up to ISSUE_EXAMPLES_MAX bad values in words, with the company's name. */
  issueExamples: z.array(z.string()).default([]),
  assignments: z.number(),
  unassigned: z.number(),
  needsReassignment: z.number(),
  tasksByPlaybook: z.record(z.string(), z.number()),
  segmentBand: z.record(z.string(), z.record(z.string(), z.number())),
  stages: z.record(z.string(), z.number()),
  /** Onboardings with every exit criterion met before their graduation date. */
  readyToGraduate: z.number().default(0),
  /** Accounts whose band a critical signal capped, by cap (health.caps). */
  capped: z.record(z.string(), z.number()).default({}),
  skipped: z.record(z.string(), z.number()),
  /** Digital touches written, by type (issue 14; optional so older state files still load). */
  digitalByType: z.record(z.string(), z.number()).optional(),
  /** Backlog entries that left because the rules no longer want them. */
  noLongerNeeded: z.number().optional(),
  /** Backlog entries after the units (before today's dispatch), by the day they started waiting. */
  backlogCount: z.number().optional(),
  backlogBySince: z.record(z.string(), z.number()).optional(),
});
export type SweepTotals = z.infer<typeof SweepTotalsSchema>;

export const SavedAssignmentSchema = z.object({
  loads: z.record(z.string(), z.number()),
  taskLoads: z.record(z.string(), z.number()),
  rotation: z.array(z.string()),
  taskRotation: z.array(z.string()),
});
export type SavedAssignment = z.infer<typeof SavedAssignmentSchema>;

/** A human task waiting for the day's dispatch (the fields of PlannedTask the dispatch needs). */
export const WaitingTaskSchema = z.object({
  accountId: z.string(),
  key: z.string(),
  playbook: z.string(),
  step: z.string(),
  subject: z.string(),
  body: z.string(),
  dueAt: z.string(),
  priority: z.enum(['LOW', 'MEDIUM', 'HIGH']),
  ownerId: z.string().nullable(),
  queueId: z.string().nullable(),
  trigger: z.object({ rule: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])) }),
  rank: z.number().optional(),
  urgent: z.boolean().optional(),
  pinnedOwner: z.boolean().optional(),
  waitingSince: z.string().optional(),
  dueDay: z.number().optional(),
  preferredOwnerId: z.string().nullable().optional(),
  firing: z.array(z.object({ playbook: z.string(), cooldownDays: z.number() })).optional(),
  companyRanks: z.record(z.string(), z.number()).optional(),
});

/** Ledger and backlog as a unit wrote them, per company with retained waiting work. */
// riskCapEnds: optional so a state saved mid-run by the previous version still loads (read as none).
export const WrittenWorkloadSchema = z.object({
  ledger: z.array(z.string()),
  backlog: z.array(z.string()),
  riskCapEnds: z.string().nullable().default(null),
  cooldownEnds: z.string().nullable().default(null),
});

export const SweepRunSchema = z.object({
  runId: z.string(),
  mode: z.enum(['full', 'incremental']),
  startedAt: z.string(),
  /**
   * When the run started on the real clock (HubSpot's modification dates are on it; `startedAt` is
   * the instant evaluated as of, another day under `--now`). Absent in a run saved by an older version.
   */
  clockStartedAt: z.string().optional(),
  /** Incremental: companies modified or due since this instant. */
  since: z.string().nullable(),
  /** Index of the query in progress (incremental sweeps run several). */
  query: z.number().int().min(0),
  cursor: z.string().nullable(),
  totals: SweepTotalsSchema,
  /** Incremental: ids already processed by an earlier query of this run (bounded by the run's size). */
  seen: z.array(z.string()),
  chunks: z.number().int().min(0),
  /** The assignment state after the last finished unit, so a resumed run assigns exactly as one run would. */
  assignment: SavedAssignmentSchema.nullable(),
  /**
   * What the unit in progress (starting at `cursor`) decided before it began writing: the
   * assignment state after it and the CSMs it chose. A rerun redoes that unit (its writes are
   * idempotent) from this state, taking those choices as made, whether or not they were written
   * before the crash, so it continues exactly as the uninterrupted run would.
   */
  pending: z
    .object({
      assignment: SavedAssignmentSchema,
      /** Onboarding CSMs the unit chose (company id → owner id). */
      chosen: z.record(z.string(), z.string()),
    })
    .nullable()
    .default(null),
  /**
   * The human work the day's dispatch may choose from (the highest ranked, bounded by what the
   * team could take today; the rest waits in the companies' backlog in HubSpot), kept across calls.
   */
  waiting: z.array(WaitingTaskSchema).default([]),
  written: z.record(z.string(), WrittenWorkloadSchema).default({}),
  /** The dispatch chosen before its creates began: a rerun after a crash finishes it (reconciling by key). */
  dispatch: z.object({ assigned: z.array(WaitingTaskSchema) }).nullable().default(null),
  /**
   * Incremental: the day's dispatch would have given a place to work ranked below the backlog
   * cutoff, so the run also reads the rest of the backlog (its last query) before dispatching.
   */
  backlogRest: z.boolean().optional(),
});
export type SweepRun = z.infer<typeof SweepRunSchema>;

export const SweepStateSchema = z.object({
  version: z.literal(1),
  lastCompleteRunStartedAt: z.string().nullable(),
  /**
   * When the last complete run ended (the clock, not the evaluation time): an incremental run reads
   * companies modified after this, so it does not re-read what that run itself wrote.
   */
  lastCompleteRunEndedAt: z.string().nullable().default(null),
  /**
   * The lowest priority (rank) the last complete run's dispatch created, when it could not create
   * everything: an incremental run re-reads only backlog companies near or above it (the weekly full
   * sweep reads them all). Null = read every company with a backlog.
   */
  backlogCutoff: z.number().nullable().default(null),
  /**
   * When the last complete FULL run started: every stored health score was computed at or after it,
   * so the score a company could have drifted to since is bounded from then (an incremental run that
   * follows other incremental ones still finds a company none of them read). Null = unknown.
   */
  lastFullRunStartedAt: z.string().nullable().default(null),
  /**
   * Every ticket change before this instant is in the companies' recorded ticket counts: the start of
   * the last complete run that read tickets fully (a full run) or read the ticket changes since the
   * previous such instant (an incremental run). A run whose ticket delta could not be read leaves it,
   * so the next one asks from there. Null = the last complete run's start.
   */
  ticketsRecordedAt: z.string().nullable().default(null),
  /**
   * A complete full run of a version that records each company's next digital follow-up day
   * (`cs_digital_follow_up_due`) has run: an incremental run finds the follow-ups due by that day
   * alone. False (a state from before, or no full run yet): it also reads the companies whose latest
   * touch was `followUpDays` ago, as earlier versions did.
   */
  followUpDueRecorded: z.boolean().default(false),
  /**
   * Companies the last complete full run read (the portfolio's size then): an incremental run that
   * finds most of them modified since the last run runs as a full sweep. Null = unknown (no full run
   * of this version yet: the incremental runs as asked).
   */
  lastFullRunCompanies: z.number().int().min(0).nullable().default(null),
  inProgress: SweepRunSchema.nullable(),
});
export type SweepState = z.infer<typeof SweepStateSchema>;

export interface SweepStateStore {
  load(): Promise<SweepState>;
  save(state: SweepState): Promise<void>;
}

export const EMPTY_SWEEP_STATE: SweepState = { version: 1, lastCompleteRunStartedAt: null, lastCompleteRunEndedAt: null, backlogCutoff: null, lastFullRunStartedAt: null, ticketsRecordedAt: null, followUpDueRecorded: false, lastFullRunCompanies: null, inProgress: null };

export function emptyTotals(): SweepTotals {
  return {
    accounts: 0,
    updated: 0,
    unchanged: 0,
    tasksPlanned: 0,
    tasksCreated: 0,
    reconciled: 0,
    failures: 0,
    issues: 0,
    issueExamples: [],
    assignments: 0,
    unassigned: 0,
    needsReassignment: 0,
    tasksByPlaybook: {},
    segmentBand: {},
    stages: {},
    readyToGraduate: 0,
    capped: {},
    skipped: {},
  };
}

/** In memory (tests, the chunked function passes the state in its cursor). */
export function memorySweepStateStore(initial: SweepState = EMPTY_SWEEP_STATE): SweepStateStore & { current(): SweepState } {
  let state = structuredClone(initial);
  return {
    async load() {
      return structuredClone(state);
    },
    async save(next) {
      state = structuredClone(next);
    },
    current: () => structuredClone(state),
  };
}

/**
 * A JSON file. A missing file is an empty state; a corrupt one is an error naming the file
 * (never silently restarted, which could hide a half-done run).
 *
 * @example
 * const store = fileSweepStateStore('.cs-state/sweep.json');
 */
export function fileSweepStateStore(path: string): SweepStateStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY_SWEEP_STATE);
        throw error;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`Sweep state file ${path} is not valid JSON: fix or delete it to start afresh`);
      }
      const parsed = SweepStateSchema.safeParse(json);
      if (!parsed.success) throw new Error(`Sweep state file ${path} is not a sweep state (${parsed.error.issues[0]?.path.join('.') ?? ''}): fix or delete it`);
      return parsed.data;
    },
    async save(state) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(state));
      await rename(tmp, path);
    },
  };
}
