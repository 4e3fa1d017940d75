/**
 * The manager's HTML report from the local CRM after a real sweep, read back as a person would:
 * the tables are parsed out of the HTML and checked against the CRM's own data (the workload per
 * CSM, the renewals at risk with their links) and the four band colours with their labels.
 */
import { startLocalCrm, type LocalCrm } from '../emulator';
import { createHubSpotCrm } from '../hubspot';
import { configVersion, parseConfig, type Config } from '../core';
import { silentLogger, type AppDeps } from './deps';
import { runSweep, type SweepReport } from './sweep';
import { memorySweepStateStore } from './sweep-state';
import { buildPortfolioReport } from './portfolio-report';
import { BAND_COLOURS, dayText, renderReportHtml } from './portfolio-report-html';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const DAY = 86_400_000;

/** The text of the element with this id (tags stripped, entities of quotes and & decoded). */
function textById(html: string, id: string): string {
  const m = new RegExp(`<(p|ul) id="${id}">(.*?)</\\1>`, 's').exec(html);
  if (!m?.[2]) throw new Error(`no element ${id}`);
  return m[2].replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();
}

/** The rows of `<table id="…">` as cell texts (tags stripped) and the hrefs in each row. */
function tableRows(html: string, id: string): { cells: string[]; hrefs: string[] }[] {
  const m = new RegExp(`<table id="${id}">(.*?)</table>`, 's').exec(html);
  if (!m?.[1]) throw new Error(`no table ${id}`);
  const body = /<tbody>(.*)<\/tbody>/s.exec(m[1])?.[1] ?? '';
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => {
    const row = r[1] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => (c[1] ?? '').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').trim());
    const hrefs = [...row.matchAll(/href="([^"]+)"/g)].map((h) => (h[1] ?? '').replace(/&amp;/g, '&'));
    return { cells, hrefs };
  });
}

let local: LocalCrm;
let config: Config;
let html: string;
let deps: AppDeps;
let sweep: SweepReport;

beforeAll(async () => {
  local = await startLocalCrm({ dir: false, seed: { companies: 300, csms: 6, seed: 5, now: NOW }, rateLimits: false });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, timeoutMs: 0 });
  await crm.installProperties();
  // A small daily capacity, so urgent work goes over it on day one (the cockpit must show that).
  const parsed = parseConfig({ pool: local.store.meta['poolConfig'], workload: { tasksPerDay: 2 } });
  if (!parsed.ok) throw new Error('bad config');
  config = parsed.config;
  deps = { crm, config, configVersion: configVersion(config), now: () => new Date(NOW), log: silentLogger };
  sweep = await runSweep(deps, { store: memorySweepStateStore(), unitSize: 100 });
  html = renderReportHtml(await buildPortfolioReport(deps, { portalId: '123' }));
}, 60_000);
afterAll(async () => {
  await local.stop();
});

describe('the HTML report after a sweep', () => {
  it('counts tasks by playbook as the CRM holds them: digital touches in the ledger are not tasks', async () => {
    const report = await buildPortfolioReport(deps, { portalId: '123' });
    const counted = report.tasksByPlaybook.reduce((n, p) => n + p.created, 0);
    expect(counted).toBe(local.store.objects.tasks.size);
    // The sweep did write digital touches to some ledgers (so the check above can fail).
    const digital = [...local.store.objects.companies.values()].filter((c) => /-digital:/.test(c.props['cs_playbook_ledger'] ?? ''));
    expect(digital.length).toBeGreaterThan(0);
  });

  it('has the workload per CSM: open, overdue and due this week as the CRM has them', () => {
    const rows = tableRows(html, 'workload');
    expect(rows.length).toBeGreaterThanOrEqual(config.pool.members.length);
    const open = new Map<string, { open: number; overdue: number; week: number }>();
    const today = Math.floor(NOW / DAY);
    for (const t of local.store.objects.tasks.values()) {
      const owner = t.props['hubspot_owner_id'];
      if (!owner || t.props['hs_task_status'] === 'COMPLETED') continue;
      const day = Math.floor(Date.parse(t.props['hs_timestamp'] ?? '') / DAY);
      const o = open.get(owner) ?? { open: 0, overdue: 0, week: 0 };
      o.open++;
      if (day < today) o.overdue++;
      else if (day < today + 7) o.week++;
      open.set(owner, o);
    }
    const byName = new Map(local.store.owners.map((o) => [`${o.firstName ?? ''} ${o.lastName ?? ''}`.trim(), o.id]));
    let total = 0;
    for (const r of rows) {
      const [name, , openText, overdueText, weekText] = r.cells;
      const id = byName.get((name ?? '').replace(' (inactive)', ''));
      expect(id).toBeDefined();
      const want = open.get(id as string) ?? { open: 0, overdue: 0, week: 0 };
      expect([Number(openText), Number(overdueText), Number(weekText)]).toEqual([want.open, want.overdue, want.week]);
      total += Number(openText);
    }
    expect(total).toBeGreaterThan(0);
  });

  it('lists the renewals of the next 90 days that are at risk or unknown, each linked to its company', () => {
    const rows = /<table id="renewals-at-risk">/.test(html) ? tableRows(html, 'renewals-at-risk') : [];
    const expected = [...local.store.objects.companies.values()]
      .filter((c) => {
        const r = c.props['cs_renewal_date'];
        if (!r || !/^\d{4}-\d{2}-\d{2}$/.test(r)) return false;
        const days = Math.round((Date.parse(`${r}T00:00:00Z`) - Date.UTC(2026, 10, 23)) / DAY);
        const band = c.props['cs_health_band'] || 'unknown';
        return days >= 0 && days <= 90 && (band === 'at_risk' || band === 'unknown');
      })
      .map((c) => String(c.id))
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    const linked = rows.map((r) => /\/record\/0-2\/(\d+)$/.exec(r.hrefs[0] ?? '')?.[1]).filter((x): x is string => x !== undefined);
    expect([...linked].sort()).toEqual(expected);
    for (const r of rows) {
      expect(r.cells[0]).not.toMatch(/^\d+$/); // a name, not an id
      expect(r.cells[1]).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
      expect(['At risk', 'Unknown']).toContain(r.cells[3]);
    }
    // Soonest first.
    const days = rows.map((r) => Number((r.cells[2] ?? '').replace(' days', '')));
    expect(days).toEqual([...days].sort((a, b) => a - b));
  });

  it('shows four band colours, each with its text label', () => {
    expect(BAND_COLOURS.at_risk).not.toBe(BAND_COLOURS.watch);
    expect(new Set(Object.values(BAND_COLOURS)).size).toBe(4);
    for (const [band, label] of [['at_risk', 'At risk'], ['watch', 'Watch'], ['healthy', 'Healthy'], ['unknown', 'Unknown']] as const) {
      expect(html).toContain(`style="background:${BAND_COLOURS[band]}">${label}</span>`);
      expect(html).toMatch(new RegExp(`<text[^>]*>${label}</text><rect[^>]*fill="${BAND_COLOURS[band]}"`));
    }
  });

  it('has ARR by segment × band, data issues by company name, and no raw ISO dates in the prose', () => {
    const arr = tableRows(html, 'arr-by-band');
    expect(arr.map((r) => r.cells[0])).toEqual(['Pooled', 'Mid-pooled', 'Named']);
    expect(arr.flatMap((r) => r.cells.slice(1)).some((c) => /^\$[1-9]/.test(c))).toBe(true);
    if (/<table id="data-issues">/.test(html)) {
      for (const r of tableRows(html, 'data-issues')) {
        expect(r.cells[0]).not.toMatch(/^(company )?\d+$/i);
        expect(r.hrefs[0]).toMatch(/\/record\/0-2\/\d+$/);
      }
    }
    // The bad values themselves are quoted as read (e.g. "2024-13-45"); everything else is in words.
    const text = html.replace(/<[^>]+>/g, ' ').replace(/&quot;[^&]*&quot;/g, '').replace(/&#39;[^&]*&#39;/g, '');
    expect(text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
  });
});

describe('the cockpit: backlog, digital touches, escalations', () => {
  const companies = () => [...local.store.objects.companies.values()];
  const n = (x: number) => x.toLocaleString('en-US');

  it('shows the backlog as the companies hold it: its size, its oldest item linked to its company, who it waits for', () => {
    const waiting = companies().flatMap((c) =>
      (c.props['cs_playbook_backlog'] ?? '')
        .split('\n')
        .filter((e) => e.trim() !== '')
        .map((e) => ({ id: String(c.id), since: e.slice(e.lastIndexOf('@') + 1) })),
    );
    expect(waiting.length).toBeGreaterThan(0);
    const withBacklog = new Set(waiting.map((w) => w.id)).size;
    const summary = textById(html, 'backlog-summary');
    expect(summary).toContain(`${n(waiting.length)} ${waiting.length === 1 ? 'task' : 'tasks'} from ${n(withBacklog)} ${withBacklog === 1 ? 'company' : 'companies'} wait`);
    const oldest = waiting.map((w) => w.since).sort()[0] as string;
    expect(summary).toContain(`since ${dayText(oldest)}`);
    // The oldest item names its company and links to it; that company does wait since then.
    const link = /<p id="backlog-summary">.*?href="([^"]+)">([^<]+)<\/a>/s.exec(html);
    const id = /\/record\/0-2\/(\d+)$/.exec(link?.[1] ?? '')?.[1];
    expect(waiting.some((w) => w.id === id && w.since === oldest)).toBe(true);
    expect(link?.[2]).toBe(companies().find((c) => String(c.id) === id)?.props['name']);
    expect(link?.[2]).not.toMatch(/^\d+$/);
    const byOwner = tableRows(html, 'backlog-by-owner');
    expect(byOwner.reduce((s, r) => s + Number((r.cells[1] ?? '').replace(/,/g, '')), 0)).toBe(waiting.length);
    expect(tableRows(html, 'backlog-oldest').length).toBe(Math.min(10, waiting.length));
  });

  it('counts the digital touches by type as the ledgers hold them, in words', () => {
    const touches = companies().flatMap((c) => (c.props['cs_playbook_ledger'] ?? '').split('\n').filter((e) => /-digital:/.test(e)));
    expect(touches.length).toBeGreaterThan(0);
    const rows = tableRows(html, 'digital-by-type');
    expect(rows.reduce((s, r) => s + Number((r.cells[1] ?? '').replace(/,/g, '')), 0)).toBe(touches.length);
    for (const r of rows) expect(r.cells[0]).not.toMatch(/^[a-z_]+$/); // a label, not the enumeration value
    expect(textById(html, 'digital-summary')).toMatch(new RegExp(`^${n(touches.length)} automated touch`));
    // What the sweep wrote today, by type, is what the report counts (all touches of this portal are today's).
    expect(rows.length).toBe(Object.keys(sweep.workload.digital.byType).length);
  });

  it('lists every named account at risk with a link, and its urgent and over-capacity figures agree with the workload table and the sweep', () => {
    const named = companies()
      .filter((c) => c.props['cs_segment'] === 'named' && c.props['cs_health_band'] === 'at_risk')
      .map((c) => String(c.id))
      .sort();
    const rows = /<table id="escalations">/.test(html) ? tableRows(html, 'escalations') : [];
    if (named.length === 0) expect(rows.filter((r) => (r.cells[1] ?? '').startsWith('Named account at risk'))).toEqual([]);
    const linked = rows
      .filter((r) => (r.cells[1] ?? '').startsWith('Named account at risk'))
      .map((r) => /\/record\/0-2\/(\d+)$/.exec(r.hrefs[0] ?? '')?.[1])
      .sort();
    expect(linked).toEqual(named);
    const summary = textById(html, 'escalation-summary');
    const workload = tableRows(html, 'workload');
    const urgent = workload.reduce((s, r) => s + Number(r.cells[5]), 0);
    expect(summary).toContain(`${n(urgent)} urgent ${urgent === 1 ? 'task' : 'tasks'} open`);
    const over = workload.reduce((s, r) => s + Number(/\((\d+) over\)/.exec(r.cells[6] ?? '')?.[1] ?? 0), 0);
    expect(summary).toContain(`${n(over)} ${over === 1 ? 'task' : 'tasks'} created today beyond`);
    // Read back from HubSpot, today's tasks beyond capacity are the urgent ones the sweep created over capacity.
    expect(over).toBe(sweep.workload.urgentOverCapacity);
    expect(over).toBeGreaterThan(0);
    expect(urgent).toBeGreaterThan(0);
    for (const r of workload) {
      const id = local.store.owners.find((o) => `${o.firstName ?? ''} ${o.lastName ?? ''}`.trim() === (r.cells[0] ?? '').replace(' (inactive)', ''))?.id;
      const created = Number(/^(\d+) of/.exec(r.cells[6] ?? '')?.[1] ?? 0);
      expect(created).toBe(sweep.workload.byOwner[id ?? ''] ?? 0);
    }
  });

  it('names a named account that turns at risk, with its link, ARR and whether anyone holds a task on it', async () => {
    const c = companies().find((x) => x.props['cs_segment'] === 'named' && x.props['cs_health_band'] !== 'at_risk');
    if (!c) throw new Error('no named account in the seed');
    const before = c.props['cs_health_band'];
    c.props['cs_health_band'] = 'at_risk';
    try {
      const again = renderReportHtml(await buildPortfolioReport(deps, { portalId: '123' }));
      const row = tableRows(again, 'escalations').find((r) => r.hrefs[0]?.endsWith(`/record/0-2/${c.id}`));
      expect(row?.cells[0]).toBe(c.props['name']);
      expect(row?.cells[1]).toMatch(/^Named account at risk/);
      expect(row?.cells[2]).toBe('At risk');
      expect(row?.cells[3]).toMatch(/^(\$[\d,]+|—)$/);
      expect(row?.cells[4]).toMatch(/^(none|[1-9]\d*)$/);
      expect(textById(again, 'escalation-summary')).toMatch(/\b[1-9]\d* named accounts? at risk/);
    } finally {
      if (before === undefined) delete c.props['cs_health_band'];
      else c.props['cs_health_band'] = before;
    }
  });
});

describe('my day', () => {
  it('gives the signed-in CSM their tasks due today or overdue, their onboardings and their share', async () => {
    const today = Math.floor(NOW / DAY);
    const due = new Map<string, number>();
    for (const t of local.store.objects.tasks.values()) {
      const owner = t.props['hubspot_owner_id'];
      if (!owner || t.props['hs_task_status'] === 'COMPLETED') continue;
      if (Math.floor(Date.parse(t.props['hs_timestamp'] ?? '') / DAY) <= today) due.set(owner, (due.get(owner) ?? 0) + 1);
    }
    const onboarding = new Map<string, number>();
    for (const c of local.store.objects.companies.values()) {
      const csm = c.props['cs_onboarding_csm'];
      if (csm && (c.props['cs_lifecycle_stage'] === 'onboarding' || c.props['cs_lifecycle_stage'] === 'onboarding_overdue')) onboarding.set(csm, (onboarding.get(csm) ?? 0) + 1);
    }
    const ownerId = [...onboarding.keys()][0];
    const owner = local.store.owners.find((o) => o.id === ownerId);
    if (!owner || owner.userId === null || owner.userId === undefined) throw new Error('no onboarding CSM with a user id');
    const report = await buildPortfolioReport(deps, { portalId: '123', userId: Number(owner.userId) });
    expect(report.myDay?.ownerId).toBe(owner.id);
    expect(report.myDay?.tasks).toHaveLength(due.get(owner.id) ?? 0);
    expect(report.myDay?.onboardings).toHaveLength(onboarding.get(owner.id) ?? 0);
    for (const o of report.myDay?.onboardings ?? []) expect(o.url).toMatch(/\/record\/0-2\/\d+$/);
    expect(report.myDay?.share).not.toBeNull();
    // A user who is not an owner here gets no day, not someone else's.
    expect((await buildPortfolioReport(deps, { userId: 424242 })).myDay).toBeNull();
  });
});
