/**
 * App function `portfolio-sweep`: the sweep in chunks. Each call works until ~10 s of HubSpot's
 * 15 s limit are used, then answers `done: false` with a cursor; the next call passes it back and
 * continues. A crash mid-call loses nothing (the cursor is the last finished unit) and duplicates
 * nothing (the pipeline reconciles with existing tasks). When done, the cursor still carries when
 * the run started, so a later `mode: "incremental"` call reads only what changed or came due.
 */
import { runSweep, decodeSweepCursor, encodeSweepCursor, EMPTY_SWEEP_STATE, memorySweepStateStore, type SweepStatus, type SweepTotals } from '../src/app';
import { runFunction, type FunctionContext } from './lib/handler';

/** Time a call may spend starting new units; the last unit and the answer fit in the rest of 15 s. */
export const SWEEP_CALL_BUDGET_MS = 10_000;

export interface PortfolioSweepResult {
  done: boolean;
  status: SweepStatus;
  message: string;
  cursor: string;
  totals: SweepTotals;
  calls: number;
}

export async function main(context: FunctionContext) {
  const started = Date.now();
  return runFunction('portfolio-sweep', context, async (p, deps) => {
    const decoded = p.cursor ? decodeSweepCursor(p.cursor) : { ok: true as const, state: EMPTY_SWEEP_STATE };
    if (!decoded.ok) return { ok: false, error: { code: 'bad_parameters', message: decoded.message } };
    const store = memorySweepStateStore(decoded.state);
    const report = await runSweep(deps, { store, mode: p.mode, deadlineMs: started + SWEEP_CALL_BUDGET_MS });
    const data: PortfolioSweepResult = {
      done: report.status === 'complete',
      status: report.status,
      message: report.message,
      cursor: encodeSweepCursor(store.current()),
      totals: report.run.totals,
      calls: report.stats.total,
    };
    return { ok: true, data };
  });
}
