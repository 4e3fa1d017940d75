/**
 * Reliability case 24: huge inputs — 1 MB property values and 10,000 associations on one company —
 * bounded memory, a clear error or the correct result, no hang.
 */
import { runSweep, memorySweepStateStore } from '../../src/app';
import { LEDGER_MAX_CHARS, LEDGER_MAX_KEYS } from '../../src/hubspot/playbook-ledger';
import { NOW, startStack, type Stack } from './stack';

let s: Stack;
afterEach(() => s.stop());

const MB = 1024 * 1024;

test('case 24: huge inputs (1 MB strings, 10k associations) — bounded memory, a clear error, no hang', async () => {
  s = await startStack({ companies: 30, server: { logRequests: true } });
  const started = Date.now();
  const heapBefore = process.memoryUsage().heapUsed;

  // 1 MB values: a number, a name, a ledger and a date.
  const huge = s.local.store.insertRaw(
    'companies',
    {
      name: 'N'.repeat(MB),
      cs_acv: '9'.repeat(MB),
      cs_renewal_date: `2027-01-01${'x'.repeat(MB)}`,
      cs_playbook_ledger: Array.from({ length: 60_000 }, (_, i) => `cs:1:renewal:d90:k${i}`).join('\n'), // ~1.4 MB
      cs_contract_start_date: '2024-01-01',
    },
    NOW - 800 * 86_400_000,
  );
  const id = String(huge.id);
  const read = await s.crm.readCompanies([id]);
  const account = read.accounts[0];
  expect(account?.acv).toBeNull();
  expect(account?.renewalDate).toBeNull();
  expect(account?.name).toHaveLength(MB);
  expect(account?.playbookLedger.length).toBeLessThanOrEqual(LEDGER_MAX_KEYS);
  expect(read.issues.map((i) => i.property).sort()).toEqual(['cs_acv', 'cs_renewal_date']);
  for (const issue of read.issues) {
    expect(issue.value.length).toBeLessThanOrEqual(60); // reported clipped, not copied whole
    expect(issue.message.length).toBeLessThan(200);
  }

  // 10,000 tickets on one company: counted (paged association reads), in bounded calls.
  for (let i = 0; i < 10_000; i++) {
    const t = s.local.store.insertRaw('tickets', { subject: `t${i}`, hs_pipeline_stage: i % 10 === 0 ? '4' : '1', hs_ticket_priority: i % 4 === 0 ? 'HIGH' : 'LOW' }, NOW);
    s.local.store.associate('companies', huge.id, 'tickets', t.id);
  }
  s.local.counters.reset();
  const counts = await s.crm.ticketCounts([id]);
  expect(counts.get(id)).toEqual({ open: 9_000, highPriority: 2_000, urgent: 0, total: 10_000 });
  const ticketReads = s.local.counters.get('POST /crm/v3/objects/tickets/batch/read');
  expect(ticketReads).toBe(100); // 10,000 / 100, each ticket read once
  expect(s.local.counters.get('POST /crm/v4/associations/companies/tickets/batch/read')).toBeLessThanOrEqual(20);

  // The sweep handles the company: written, the ledger bounded by the textarea limit.
  const report = await runSweep(s.deps, { store: memorySweepStateStore() });
  expect(report.status).toBe('complete');
  const written = s.local.store.get('companies', huge.id)?.props ?? {};
  expect(written.cs_health_band).toMatch(/^(healthy|watch|at_risk|unknown)$/);
  // (The oversized ledger was read as its newest LEDGER_MAX_KEYS keys; any ledger the app writes is
  // formatted within LEDGER_MAX_CHARS — see the fuzz test.)
  expect(LEDGER_MAX_CHARS).toBe(65_536);
  expect((written.cs_health_summary ?? '').length).toBeLessThan(2_000);

  // A write too big for one request (11 × 1 MB > the 10 MB body limit): a clear per-record error, not retried.
  s.local.counters.reset();
  const ids = [...s.local.store.objects.companies.keys()].slice(0, 11).map(String);
  const res = await s.crm.updateCompanies(ids.map((cid) => ({ id: cid, properties: { cs_health_summary: 's'.repeat(MB) } })));
  expect(res.ok).toEqual([]);
  expect(res.failed).toHaveLength(11);
  for (const f of res.failed) {
    expect(f.status).toBe(413);
    expect(f.message).toMatch(/413/);
  }
  expect(s.local.counters.get('POST /crm/v3/objects/companies/batch/update')).toBe(1);

  // Bounded: well under a few hundred MB of heap growth and a few seconds of real time.
  global.gc?.();
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(400 * MB);
  expect(Date.now() - started).toBeLessThan(20_000);
}, 60_000);
