import { CrmStore } from './store';
import { workTheDays } from './team-days';
import type { PoolMember } from './seed';

const DAY = 86_400_000;
// Tuesday 2026-12-01, 09:00 UTC.
const TUE = Date.UTC(2026, 11, 1, 9);

function member(ownerId: string, over: Partial<PoolMember> = {}): PoolMember {
  return { ownerId, skills: [], coverageDays: [], outOfOffice: [], capacity: 20, ...over };
}

/** A store with one company per task, each task open, due at `dueMs`, owned by `owner`. */
function storeWith(tasks: Array<{ owner: string; dueMs: number }>, members: PoolMember[]): CrmStore {
  const store = new CrmStore();
  store.meta['poolConfig'] = { queueId: null, members };
  for (const t of tasks) {
    const company = store.insertRaw('companies', { name: 'Acme', notes_last_contacted: new Date(TUE - 30 * DAY).toISOString() }, TUE - 100 * DAY);
    const task = store.insertRaw('tasks', { hs_task_subject: 'Call', hs_task_status: 'NOT_STARTED', hs_timestamp: new Date(t.dueMs).toISOString(), hubspot_owner_id: t.owner }, TUE - DAY);
    store.associate('tasks', task.id, 'companies', company.id);
  }
  return store;
}

const open = (s: CrmStore) => [...s.objects.tasks.values()].filter((t) => t.props.hs_task_status !== 'COMPLETED');

describe('workTheDays: the local pool works its tasks between runs', () => {
  it('a working day completes about the share of what is due, logs the contact, and leaves what is not due yet', () => {
    const due = Array.from({ length: 200 }, (_, i) => ({ owner: String(1 + (i % 20)), dueMs: TUE + 3_600_000 }));
    const later = Array.from({ length: 20 }, (_, i) => ({ owner: String(1 + i), dueMs: TUE + 5 * DAY }));
    const store = storeWith([...due, ...later], Array.from({ length: 20 }, (_, i) => member(String(1 + i))));
    const r = workTheDays(store, { fromMs: TUE, toMs: TUE + DAY, share: 0.6, seed: 1 });
    expect(r.days).toBe(1);
    // 200 due, 60% drawn: within a few standard deviations (±7) of 120, all below 10 a CSM.
    expect(r.completed).toBeGreaterThan(100);
    expect(r.completed).toBeLessThan(140);
    expect(open(store)).toHaveLength(220 - r.completed);
    // Nothing due later was touched.
    expect(open(store).filter((t) => t.props.hs_timestamp === new Date(TUE + 5 * DAY).toISOString())).toHaveLength(20);
    const done = [...store.objects.tasks.values()].filter((t) => t.props.hs_task_status === 'COMPLETED');
    for (const t of done) {
      expect(t.props.hs_task_completion_date).toBe('2026-12-01T16:00:00.000Z');
      const company = store.get('companies', store.associated('tasks', t.id, 'companies')[0] as number);
      expect(company?.props.notes_last_contacted).toBe('2026-12-01T16:00:00.000Z');
    }
    expect(r.contacted).toBe(r.completed);
    // The same state worked again gives the same (a rerun before the state was saved).
    const again = storeWith([...due, ...later], Array.from({ length: 20 }, (_, i) => member(String(1 + i))));
    expect(workTheDays(again, { fromMs: TUE, toMs: TUE + DAY, share: 0.6, seed: 1 }).completed).toBe(r.completed);
  });

  it('at most perDay a CSM, oldest due first; over several days the rest gets done', () => {
    const tasks = Array.from({ length: 30 }, (_, i) => ({ owner: '1', dueMs: TUE - (30 - i) * 3_600_000 }));
    const store = storeWith(tasks, [member('1')]);
    const r = workTheDays(store, { fromMs: TUE, toMs: TUE + DAY, share: 1, perDay: 10, seed: 1 });
    expect(r.completed).toBe(10);
    const left = open(store).map((t) => Date.parse(t.props.hs_timestamp as string));
    // The 10 oldest went first.
    expect(Math.min(...left)).toBe(TUE - 20 * 3_600_000);
    expect(workTheDays(store, { fromMs: TUE + DAY, toMs: TUE + 3 * DAY, share: 1, perDay: 10, seed: 1 }).completed).toBe(20);
    expect(open(store)).toHaveLength(0);
  });

  it('nobody works on weekends, off their coverage days or out of office; queue tasks on weekdays; share 0 does nothing', () => {
    const sat = TUE + 4 * DAY; // Saturday 2026-12-05
    const tasks = [
      { owner: '1', dueMs: TUE },
      { owner: '2', dueMs: TUE },
      { owner: '3', dueMs: TUE },
      { owner: '', dueMs: TUE },
    ];
    const members = [member('1'), member('2', { coverageDays: ['mon', 'wed'] }), member('3', { outOfOffice: [{ from: '2026-12-01', to: '2026-12-04' }] })];
    // Saturday and Sunday: nothing.
    expect(workTheDays(storeWith(tasks, members), { fromMs: sat, toMs: sat + 2 * DAY, share: 1, seed: 1 }).completed).toBe(0);
    // Tuesday: member 1 and the queue; member 2 works Mon/Wed only, member 3 is away.
    const store = storeWith(tasks, members);
    expect(workTheDays(store, { fromMs: TUE, toMs: TUE + DAY, share: 1, seed: 1 }).completed).toBe(2);
    expect(open(store).map((t) => t.props.hubspot_owner_id).sort()).toEqual(['2', '3']);
    // Wednesday: member 2 works.
    expect(workTheDays(store, { fromMs: TUE + DAY, toMs: TUE + 2 * DAY, share: 1, seed: 1 }).completed).toBe(1);
    expect(workTheDays(storeWith(tasks, members), { fromMs: TUE, toMs: TUE + 5 * DAY, share: 0, seed: 1 })).toEqual({ days: 5, completed: 0, contacted: 0, answered: 0, synced: 0 });
    // Same day (a second run that day): no day worked.
    expect(workTheDays(storeWith(tasks, members), { fromMs: TUE, toMs: TUE + 3_600_000, share: 1, seed: 1 }).days).toBe(0);
  });

  it('customers answer a share of digital touches 1–4 days later (their last engagement), each touch once', () => {
    const store = new CrmStore();
    const touchedAt = TUE - 2 * 3_600_000; // 07:00 on Tuesday
    for (let i = 0; i < 1000; i++) store.insertRaw('companies', { name: `C${i}`, cs_digital_touch_at: new Date(touchedAt).toISOString() }, TUE - 100 * DAY);
    store.insertRaw('companies', { name: 'never touched' }, TUE - 100 * DAY);
    // Tuesday itself: nobody answers the same day.
    expect(workTheDays(store, { fromMs: TUE, toMs: TUE + DAY, share: 0, answerShare: 0.3, seed: 1 }).answered).toBe(0);
    // Wednesday to Saturday: about 30% (±4.5 at three standard deviations of 1,000 draws).
    const r = workTheDays(store, { fromMs: TUE + DAY, toMs: TUE + 5 * DAY, share: 0, answerShare: 0.3, seed: 1 });
    expect(r.answered).toBeGreaterThan(255);
    expect(r.answered).toBeLessThan(345);
    const answers = [...store.objects.companies.values()].map((c) => c.props.hs_last_sales_activity_timestamp).filter((v): v is string => v !== undefined);
    expect(answers).toHaveLength(r.answered);
    for (const a of answers) expect(['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']).toContain(a.slice(0, 10));
    // Worked again later: the same touch is not answered twice.
    expect(workTheDays(store, { fromMs: TUE + 5 * DAY, toMs: TUE + 9 * DAY, share: 0, answerShare: 0.3, seed: 1 }).answered).toBe(0);
  });

  it('the product sync refreshes the syncing companies each day and logins of active customers; stale syncs and lapsed customers stay as they were', () => {
    const store = new CrmStore();
    const iso = (ms: number) => new Date(ms).toISOString();
    const day = (ms: number) => iso(ms).slice(0, 10);
    const active = [];
    for (let i = 0; i < 200; i++) active.push(store.insertRaw('companies', { name: `A${i}`, cs_usage_updated_at: iso(TUE - 6 * 3_600_000), cs_last_login_date: day(TUE - 2 * DAY) }, TUE - 100 * DAY));
    const lapsed = store.insertRaw('companies', { name: 'lapsed', cs_usage_updated_at: iso(TUE - 6 * 3_600_000), cs_last_login_date: day(TUE - 40 * DAY) }, TUE - 100 * DAY);
    const stale = store.insertRaw('companies', { name: 'stale sync', cs_usage_updated_at: iso(TUE - 20 * DAY), cs_last_login_date: day(TUE - DAY) }, TUE - 100 * DAY);
    const none = store.insertRaw('companies', { name: 'no usage data' }, TUE - 100 * DAY);
    // Tuesday 09:00 to the next Tuesday 09:00: the last sync ran that morning at 03:00.
    const r = workTheDays(store, { fromMs: TUE, toMs: TUE + 7 * DAY, share: 0, sync: true, seed: 1 });
    expect(r.synced).toBe(201);
    for (const c of [...active, lapsed]) expect(c.props.cs_usage_updated_at).toBe('2026-12-08T03:00:00.000Z');
    expect(stale.props.cs_usage_updated_at).toBe(iso(TUE - 20 * DAY));
    expect(none.props.cs_usage_updated_at).toBeUndefined();
    // Active customers logged in on a weekday before the sync (most on Monday the 7th); nobody on the weekend.
    const logins = active.map((c) => c.props.cs_last_login_date as string);
    expect(logins.filter((l) => l === '2026-12-07').length).toBeGreaterThan(100);
    for (const l of logins) expect(['2026-11-29', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07']).toContain(l);
    expect(lapsed.props.cs_last_login_date).toBe(day(TUE - 40 * DAY));
    expect(stale.props.cs_last_login_date).toBe(day(TUE - DAY));
    // Off by default; and a run before the next sync (the same morning) changes nothing.
    const quiet = new CrmStore();
    const c = quiet.insertRaw('companies', { name: 'q', cs_usage_updated_at: iso(TUE - 6 * 3_600_000) }, TUE - 100 * DAY);
    expect(workTheDays(quiet, { fromMs: TUE, toMs: TUE + 2 * DAY, share: 0, seed: 1 }).synced).toBe(0);
    expect(c.props.cs_usage_updated_at).toBe(iso(TUE - 6 * 3_600_000));
    expect(workTheDays(store, { fromMs: TUE + 7 * DAY, toMs: TUE + 7 * DAY + 3_600_000, share: 0, sync: true, seed: 1 }).synced).toBe(0);
  });

  it('writes are stamped at `writtenAt` when given (the CRM clock of a run --now ahead), else at the simulated instant', () => {
    const make = () => storeWith([{ owner: '1', dueMs: TUE }], [member('1')]);
    const real = TUE - 6 * 3_600_000;
    const stamped = make();
    workTheDays(stamped, { fromMs: TUE, toMs: TUE + DAY, share: 1, seed: 1, writtenAt: real });
    const task = [...stamped.objects.tasks.values()][0];
    expect(task?.props.hs_task_completion_date).toBe('2026-12-01T16:00:00.000Z');
    expect(task?.updatedAt).toBe(real);
    expect([...stamped.objects.companies.values()][0]?.updatedAt).toBe(real);
    const plain = make();
    workTheDays(plain, { fromMs: TUE, toMs: TUE + DAY, share: 1, seed: 1 });
    expect([...plain.objects.tasks.values()][0]?.updatedAt).toBe(Date.parse('2026-12-01T16:00:00.000Z'));
  });
});
