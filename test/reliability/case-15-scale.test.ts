/**
 * Reliability case 15: 25,000 companies, past HubSpot's 10,000-result search ceiling, on the local
 * CRM server (which enforces the ceiling) — every company visited exactly once.
 */
import { SEARCH_RESULT_CEILING } from '../../src/emulator';
import { decodeCursor } from '../../src/hubspot';
import { startStack, type Stack } from './stack';

let s: Stack;
afterAll(() => s?.stop());

test('case 15: 25,000 companies (past the 10,000 search ceiling) — each visited exactly once', async () => {
  s = await startStack({ companies: 25_000, csms: 12, server: { logRequests: true } });
  expect(SEARCH_RESULT_CEILING).toBe(10_000);
  const seen = new Map<string, number>();
  let pages = 0;
  let lastCursor: string | null = null;
  for await (const page of s.crm.iterateCompanies({})) {
    pages++;
    for (const a of page.accounts) seen.set(a.id, (seen.get(a.id) ?? 0) + 1);
    // Cursors only move forward.
    if (lastCursor !== null && page.cursor !== null) expect(BigInt(decodeCursor(page.cursor) ?? '0')).toBeGreaterThan(BigInt(decodeCursor(lastCursor) ?? '0'));
    lastCursor = page.cursor;
  }
  const all = [...s.local.store.objects.companies.keys()].map(String);
  expect(all).toHaveLength(25_000);
  expect(seen.size).toBe(25_000);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  expect(all.every((id) => seen.has(id))).toBe(true);
  // 125 pages of 200, each one search request: no page read twice, no error from the ceiling.
  expect(pages).toBe(125);
  const searches = s.local.log.filter((e) => e.route === 'POST /crm/v3/objects/companies/search');
  expect(searches).toHaveLength(125);
  expect(searches.every((e) => e.status === 200)).toBe(true);

  // Resuming from a cursor in the middle (past the ceiling) visits exactly the rest.
  const sorted = all.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const middle = String(sorted[14_999]);
  const rest = new Set<string>();
  for await (const page of s.crm.iterateCompanies({ after: `gt:${middle}` })) for (const a of page.accounts) rest.add(a.id);
  expect(rest.size).toBe(10_000);
  expect(rest.has(middle)).toBe(false);
  expect(rest.has(String(sorted[15_000]))).toBe(true);
}, 60_000);

test('case 15: companies the run moves out of its query while paging (their backlog cleared) make no later page skip one', async () => {
  const t = await startStack({ companies: 700, csms: 6, server: { logRequests: true } });
  try {
    // 600 companies with work waiting; the query is "has a backlog".
    const ids = [...t.local.store.objects.companies.keys()].sort((a, b) => a - b).slice(0, 600).map(String);
    await t.crm.updateCompanies(ids.map((id) => ({ id, properties: { cs_playbook_backlog: `cs:${id}:renewal:d30:2026-12-20@2026-11-20`, cs_backlog_since: '2026-11-20' } })));
    const seen: string[] = [];
    let page = 0;
    for await (const p of t.crm.iterateCompanies({ hasBacklog: true })) {
      seen.push(...p.accounts.map((a) => a.id));
      // As a sweep does: the first page's companies are written, and 50 of them leave the query.
      if (page++ === 0) await t.crm.updateCompanies(p.accounts.slice(0, 50).map((a) => ({ id: a.id, properties: { cs_playbook_backlog: '', cs_backlog_since: '' } })));
    }
    // With HubSpot's `after` offset the next page would start 50 further on: 50 never read.
    expect(seen).toEqual(ids);
  } finally {
    await t.stop();
  }
});
