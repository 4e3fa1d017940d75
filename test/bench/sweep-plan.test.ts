/**
 * The sweep benchmark's row selection, row parameters, JSON rows and targets (bench/sweep-plan.ts,
 * bench/flags.ts), without running a sweep: the incremental row is compared with the full sweep it
 * replaces (fullNextDay: same preparation, mode full), not with the full sweep run after it.
 */
import { parseBenchFlags } from '../../bench/flags';
import { FULL_NEXT_DAY_LABEL, INCREMENTAL_LABEL, RowParamsSchema, compareEndStates, planSweepRows, sweepJsonRows, sweepTargets, type EndState, type SweepBenchRow } from '../../bench/sweep-plan';

function benchRow(over: Partial<SweepBenchRow>): SweepBenchRow {
  return {
    kind: 'sweep',
    label: 'full sweep',
    companies: 26_000,
    csms: 60,
    latencyMs: 150,
    serverRssMb: 300,
    calls: 482,
    minimum: 477,
    callsByKind: {},
    work: { companies: 26_000, prepass: 0, openTickets: 10_900, ticketLinksRead: null, taskAssociations: 4_678, tasksRead: 228, writes: 10_742, writesScoreOnly: 4_891, creates: 564, writes2: 422, single: 5 },
    wallMs: 43_600,
    floorMs: 37_000,
    floorTenSecond: { calls: 295, ms: 10_000 },
    floorSearch: { calls: 187, ms: 37_000 },
    tooMany10s: 0,
    cpuMsPer1000: 10,
    realMs: 1000,
    sweepHeapMb: 10,
    sweepRssMb: 200,
    tasksCreated: 0,
    status: 'complete',
    ...over,
  };
}

const start = { at: 0, bands: { healthy: 20_000, watch: 4000, at_risk: 2000 }, hash: 'abc', touched: 520 };
const end: EndState = { bandStage: { '1': 'healthy|graduated', '2': 'watch|onboarding' }, tasks: ['cs:2:renewal:d30:2026-12-20'], touches: ['cs:1:no_touch:check_in-digital:2026-W48'] };
const incremental = (calls: number, endState: EndState = end) => benchRow({ kind: 'incremental', label: INCREMENTAL_LABEL, calls, minimum: 115, startState: start, sameDayFullCalls: 307, sameDayChangedBandOrStage: 0, sameDayFullTasksCreated: 0, sameDayFullTouches: 0, sameDayFullWorkWrites: 0, sameBands: true, tasksCreated: 564, endState });
const fullNextDay = (calls: number) => benchRow({ kind: 'fullNextDay', label: FULL_NEXT_DAY_LABEL, calls, minimum: calls, startState: start, tasksCreated: 564, endState: end });

describe('bench flags: --rows', () => {
  it('accepts every sweep row name, fullNextDay included', () => {
    expect(parseBenchFlags(['--only', 'sweep', '--latency', '150', '--rows', 'incremental', '--json', '26000'])).toEqual({ json: true, only: 'sweep', accounts: null, latencies: [150], sizes: [26_000], rows: ['incremental'], prepDays: 0, node: null });
    expect(parseBenchFlags(['--rows=full,shared,incremental,fullNextDay']).rows).toEqual(['full', 'shared', 'incremental', 'fullNextDay']);
  });

  it('refuses an unknown row name with the flag', () => {
    expect(() => parseBenchFlags(['--rows', 'incremental,nightly'])).toThrow(/--rows/);
  });

  it('--prep-days: the next-day rows after that many daily incrementals, named so in the table and the JSON; a bad count is refused by name', () => {
    expect(parseBenchFlags(['--rows', 'incremental', '--prep-days', '7']).prepDays).toBe(7);
    for (const bad of ['-1', '1.5', 'week', '31']) expect(() => parseBenchFlags(['--prep-days', bad])).toThrow(/--prep-days/);
    const rows = planSweepRows({ sizes: [26_000], latencies: [150], rows: ['incremental'], prepDays: 7 });
    expect(rows.map((r) => [r.label, r.prepDays])).toEqual([
      ['incremental, day 8 (after 7 daily incrementals) (2% changed)', 7],
      ['full sweep, day 8 (after 7 daily incrementals) (2% changed)', 7],
    ]);
    const json = sweepJsonRows([{ ...incremental(40), prepDays: 7 }, { ...fullNextDay(400), prepDays: 7 }]);
    expect(json.find((r) => r.kind === 'incremental')).toMatchObject({ prepDays: 7, calls: 40, fullCalls: 400 });
    expect(sweepJsonRows([incremental(40), fullNextDay(400)]).find((r) => r.kind === 'incremental')).toMatchObject({ prepDays: 0 });
  });

  it('the incremental JSON row says whether the measured run, and how many preparation days, read the rest of the backlog', () => {
    const read = sweepJsonRows([{ ...incremental(40), prepDays: 7, backlogRest: { measured: true, prepDays: 2 } }, { ...fullNextDay(400), prepDays: 7 }]);
    expect(read.find((r) => r.kind === 'incremental')).toMatchObject({ backlogRest: { measured: true, prepDays: 2 } });
    expect(sweepJsonRows([incremental(40), fullNextDay(400)]).find((r) => r.kind === 'incremental')).toMatchObject({ backlogRest: null });
  });
});

describe('planSweepRows', () => {
  it('runs the full sweep the incremental replaces with it: same size, CSMs and latency', () => {
    const rows = planSweepRows({ sizes: [26_000], latencies: [150], rows: ['incremental'] });
    expect(rows).toEqual([
      { kind: 'incremental', label: INCREMENTAL_LABEL, companies: 26_000, csms: 60, latencyMs: 150 },
      { kind: 'fullNextDay', label: FULL_NEXT_DAY_LABEL, companies: 26_000, csms: 60, latencyMs: 150 },
    ]);
  });

  it('runs every row by default, the next-day rows at min(26,000, largest size) and the highest latency', () => {
    const rows = planSweepRows({ sizes: [2000, 100_000], latencies: [0, 150] });
    expect(rows.map((r) => `${r.kind} ${r.companies} ${r.latencyMs}`)).toEqual(['sweep 2000 0', 'sweep 2000 150', 'sweep 100000 0', 'sweep 100000 150', 'shared 26000 150', 'incremental 26000 150', 'fullNextDay 26000 150']);
  });

  it('runs fullNextDay alone when asked', () => {
    expect(planSweepRows({ sizes: [300], latencies: [0], rows: ['fullNextDay'] }).map((r) => r.kind)).toEqual(['fullNextDay']);
  });
});

describe('row parameters', () => {
  it('a row process accepts every kind it measures and refuses others', () => {
    const base = { companies: 300, start: 0, baseUrl: 'http://127.0.0.1:1', token: 't', pool: null };
    for (const kind of ['full', 'shared', 'incremental', 'fullNextDay']) expect(RowParamsSchema.parse({ ...base, kind }).kind).toBe(kind);
    expect(RowParamsSchema.safeParse({ ...base, kind: 'sweep' }).success).toBe(false);
  });
});

describe('the incremental JSON row', () => {
  it('carries fullCalls from the full sweep it replaces and the same-day full sweep apart', () => {
    const json = sweepJsonRows([incremental(147), fullNextDay(530)]);
    expect(json.map((r) => r.kind)).toEqual(['sweep', 'sweep', 'incremental']);
    expect(json[2]).toMatchObject({ kind: 'incremental', calls: 147, fullCalls: 530, sameBands: true, sameDayNothingLeft: true, sameDayFullCalls: 307, changedBandOrStage: 0, sameDayFullTasksCreated: 0, fullTasksCreated: 564, sameStartHash: true, sameStartBands: true });
    expect(json[2]).toMatchObject({ vsFull: { bandStage: 0, tasksOnlyIncremental: 0, tasksOnlyFull: 0, touchesOnlyIncremental: 0, touchesOnlyFull: 0 } });
    expect((json[2] as { share: number }).share).toBeCloseTo(147 / 530);
  });

  it("states the day's own work in the full sweep it replaces (its writes other than score-only ones, creates, rewrites, single calls) and its share", () => {
    const json = sweepJsonRows([incremental(147), fullNextDay(530)]);
    expect(json[2]).toMatchObject({ sameDayFullTouches: 0, sameDayFullWorkWrites: 0, dayWorkCalls: 59 + 6 + 1 + 5 + 5 });
    expect((json[2] as { dayWorkShare: number }).dayWorkShare).toBeCloseTo(76 / 530);
  });

  it('tells when the two rows did not start from the same state', () => {
    const other = fullNextDay(530);
    other.startState = { ...start, hash: 'def', bands: { ...start.bands, watch: 4001 } };
    expect(sweepJsonRows([incremental(147), other])[2]).toMatchObject({ sameStartHash: false, sameStartBands: false });
  });
});

describe('sweepTargets', () => {
  it('judges the incremental against the full sweep it replaces, not the same-day one', () => {
    // 40 calls: 13% of the same-day full sweep (307) but 7.5% of the replaced one (530): pass.
    expect(sweepTargets([incremental(40), fullNextDay(530)])).toEqual({ pass: true, share: 40 / 530 });
    // 60 calls: under 10% of 700, over 10% of 530.
    expect(sweepTargets([incremental(60), fullNextDay(530)]).pass).toBe(false);
    expect(sweepTargets([incremental(60), fullNextDay(700)]).pass).toBe(true);
  });

  it('sameBands is the end state of the full sweep it replaces: a band, a task or a touch it has and the incremental not fails it', () => {
    const off = (e: Partial<EndState>) => incremental(40, { ...end, ...e });
    expect(compareEndStates({ ...end, bandStage: { ...end.bandStage, '2': 'at_risk|onboarding' } }, end)).toEqual({ bandStage: 1, tasksOnlyIncremental: 0, tasksOnlyFull: 0, touchesOnlyIncremental: 0, touchesOnlyFull: 0 });
    for (const bad of [off({ bandStage: { ...end.bandStage, '1': 'watch|graduated' } }), off({ tasks: [] }), off({ touches: [...end.touches, 'cs:2:usage_drop:alert-digital:2026-W48'] })]) {
      expect(sweepTargets([bad, fullNextDay(530)]).pass).toBe(false);
      expect(sweepJsonRows([bad, fullNextDay(530)])[2]).toMatchObject({ sameBands: false });
    }
    expect(compareEndStates({ ...end, tasks: [] }, end)).toMatchObject({ tasksOnlyFull: 1, tasksOnlyIncremental: 0 });
    // The same-day check is reported apart and does not decide it.
    expect(sweepJsonRows([{ ...incremental(40), sameBands: false }, fullNextDay(530)])[2]).toMatchObject({ sameBands: true, sameDayNothingLeft: false });
  });

  it('fails the incremental without the full sweep it replaces', () => {
    expect(sweepTargets([incremental(10)])).toEqual({ pass: false, share: null });
  });
});
