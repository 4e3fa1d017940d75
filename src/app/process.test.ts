/**
 * The per-batch pipeline against an in-memory CRM port (`memoryCrm`): what it reads, in which order it writes
 * (tasks before the ledger), and what it does with dry runs, partial failures and tasks a crashed
 * run left in the CRM.
 */
import { configVersion, createAssignmentState, defaultConfig, evaluateAccount, type Account, type OpenTask, type Owner } from '../core';
import { makeAccount } from '../core/test-support';
import { createMemoryLogger } from '../platform/logger';
import type { AppDeps } from './deps';
import type { CrmPort, WorkloadChange } from './ports';
import { processAccounts } from './process';
import { memoryCrm, type MemoryCrmOptions } from './test-support';

const NOW = new Date('2026-06-16T15:00:00Z');
const owner = (id: string): Owner => ({ id, userId: null, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [] });
const config = defaultConfig();
config.pool.members = [
  { ownerId: '1', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
  { ownerId: '2', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
];
const state = () => createAssignmentState({ members: config.pool.members, owners: [owner('1'), owner('2')], loads: new Map() });
/** A customer whose contract starts today: gets an onboarding CSM and its first onboarding tasks. */
const newCustomer = (id = '9'): Account => makeAccount({ id, acv: 30_000, contractStartDate: '2026-06-16' });

const fakeCrm = (options: MemoryCrmOptions = {}) => memoryCrm(options);

function depsWith(crm: CrmPort, log = createMemoryLogger()): AppDeps {
  return { crm, config, configVersion: configVersion(config), now: () => NOW, log };
}

describe('processAccounts', () => {
  it('reads tickets, then the open tasks of companies with planned tasks, creates the tasks, then writes the ledger', async () => {
    const crm = fakeCrm({ tickets: new Map([['9', { open: 2, highPriority: 1 }]]) });
    const r = await processAccounts([newCustomer('9'), makeAccount({ id: '10' })], depsWith(crm), state());
    // A new customer gets one kick-off task (welcome and plan the onboarding are one step).
    expect(crm.calls).toEqual(['ticketCounts:9,10', 'openCsTasks:9', 'createTasks:1', 'updateCompanies:2']);
    const nine = r.processed.find((p) => p.account.id === '9');
    expect(nine?.account.openTickets).toBe(2);
    expect(nine?.evaluation.next.onboardingCsmId).not.toBeNull();
    // The ledger written is the keys of the tasks that exist.
    const keys = crm.created.map((t) => t.key);
    expect(keys).toHaveLength(1);
    expect(nine?.created).toEqual(keys);
    expect(nine?.evaluation.next.playbookLedger.map((e) => e.split('@')[0])).toEqual(keys);
    expect(r).toMatchObject({ updated: 2, unchanged: 0, tasksPlanned: 1, reconciled: 0, failures: [], work: { accounts: 2, tasksReadFor: 1, tickets: 2, openTasksRead: 0 } });
  });

  it('a company missing from the ticket answer keeps unknown tickets (null), never 0', async () => {
    const r = await processAccounts([makeAccount({ id: '10' })], depsWith(fakeCrm()), state());
    expect(r.processed[0]?.account.openTickets).toBeNull();
  });

  it('a dry run reads but writes nothing, and reports what it would write', async () => {
    const crm = fakeCrm();
    let saved = false;
    const r = await processAccounts([newCustomer()], depsWith(crm), state(), { dryRun: true, beforeWrite: async () => void (saved = true) });
    expect(crm.calls).toEqual(['ticketCounts:9', 'openCsTasks:9']);
    expect(r.updated).toBe(1);
    expect(r.processed[0]?.created).toHaveLength(1);
    expect(r.tasksCreated).toEqual([]);
    expect(saved).toBe(false);
  });

  it('tasks a crashed run created (in the CRM, not in the ledger) are recorded, not created again', async () => {
    const planned = (await processAccounts([newCustomer()], depsWith(fakeCrm()), state(), { dryRun: true })).processed[0]?.evaluation.tasks ?? [];
    const leftOver: OpenTask = { id: 'old-1', subject: 'x', dueAt: null, status: 'NOT_STARTED', priority: null, ownerId: '1', queueIds: [], key: planned[0]?.key ?? 'missing' };
    const crm = fakeCrm({ open: new Map([['9', [leftOver]]]) });
    const r = await processAccounts([newCustomer()], depsWith(crm), state());
    expect(r.reconciled).toBe(1);
    expect(crm.created.map((t) => t.key)).not.toContain(leftOver.key);
    expect(r.processed[0]?.evaluation.next.playbookLedger.map((e) => e.split('@')[0])).toContain(leftOver.key);
  });

  it('a task the CRM refuses stays out of the ledger (the next run plans it again), reported and logged by id', async () => {
    const log = createMemoryLogger();
    let creates = 0;
    const crm = fakeCrm({ failCreate: () => creates++ === 0 });
    // Two new customers, one kick-off task each: the first create is refused, the second made.
    const r = await processAccounts([newCustomer('9'), newCustomer('11')], depsWith(crm, log), state());
    expect(r.failures).toEqual([expect.objectContaining({ op: 'create', status: 400 })]);
    const ledgerKeys = r.processed.flatMap((p) => p.evaluation.next.playbookLedger.map((e) => e.split('@')[0]));
    expect(ledgerKeys).toEqual(crm.created.map((t) => t.key));
    expect(ledgerKeys).toHaveLength(1);
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', event: 'batch_failures', count: 1 })]);
  });

  it('work that waits is handed to the port in domain words (backlog, its oldest day, its top priority), and written once gone', async () => {
    const crm = fakeCrm({ companies: [newCustomer('9')] });
    const changes: WorkloadChange[] = [];
    const spying: CrmPort = { ...crm, workloadChanges: (c) => (changes.push(c), crm.workloadChanges(c)) };
    const r = await processAccounts([newCustomer('9')], depsWith(spying), state(), { deferHumanTasks: true });
    const key = r.waiting[0]?.key ?? 'missing';
    expect(r.waiting).toHaveLength(1);
    expect(changes).toEqual([{ backlog: { current: [], next: [`${key}@2026-06-16`], oldestSince: '2026-06-16', topPriority: r.waiting[0]?.rank ?? null } }]);
    expect(crm.calls).toEqual(['ticketCounts:9', 'openCsTasks:9', 'updateCompanies:1']);
    expect(crm.companies.get('9')?.playbookBacklog).toEqual([`${key}@2026-06-16`]);
    // The task made (by the dispatch, say): the next pass no longer wants it and the backlog empties.
    const made = { ...(crm.companies.get('9') as Account), playbookLedger: [`${key}@2026-06-16`] };
    changes.length = 0;
    await processAccounts([made], depsWith(spying), r.state, { deferHumanTasks: true, ticketsKnown: true });
    expect(changes[0]?.backlog).toMatchObject({ current: [`${key}@2026-06-16`], next: [], oldestSince: null });
    expect(crm.companies.get('9')?.playbookBacklog).toEqual([]);
  });

  it('evaluates through deps.evaluate, once per account when no read changes a plan', async () => {
    const seen: string[] = [];
    const deps: AppDeps = { ...depsWith(fakeCrm()), evaluate: (a, ctx) => (seen.push(a.id), evaluateAccount(a, ctx)) };
    await processAccounts([newCustomer('9'), makeAccount({ id: '10' })], deps, state());
    expect(seen).toEqual(['9', '10']);
  });

  it('gives beforeWrite the state and the CSMs chosen, before any write', async () => {
    const crm = fakeCrm();
    const seen: string[][] = [];
    await processAccounts([newCustomer()], depsWith(crm), state(), {
      beforeWrite: async (_s, chosen) => {
        seen.push([...crm.calls]);
        expect([...chosen.keys()]).toEqual(['9']);
      },
    });
    expect(seen).toEqual([['ticketCounts:9', 'openCsTasks:9']]);
  });

  it('an account already in its next state is unchanged: no task read, no write', async () => {
    const first = await processAccounts([newCustomer()], depsWith(fakeCrm()), state());
    const p = first.processed[0];
    const settled: Account = { ...newCustomer(), ...p?.evaluation.next };
    const crm = fakeCrm();
    const r = await processAccounts([settled], depsWith(crm), first.state, { ticketsKnown: true });
    expect(crm.calls).toEqual([]);
    expect(r).toMatchObject({ updated: 0, unchanged: 1, tasksPlanned: 0 });
  });
});
