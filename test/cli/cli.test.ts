/**
 * The operator's CLI as a user runs it: a child process, its output and exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const clean = { ...process.env, HUBSPOT_ACCESS_TOKEN: '', HUBSPOT_CLIENT_SECRET: '', ...env };
  const r = spawnSync(TSX, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: clean, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('demo runs setup and a sweep on the local CRM and ends with the summary; a rerun creates nothing', () => {
    const first = cli(['demo', '--companies', '300', '--csms', '6', '--dir', join(dir, 'crm')]);
    expect(first.err).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Properties: group created, \d+ created/);
    expect(first.out).toMatch(/Sweep complete: 300 companies/);
    expect(first.out).toMatch(/Accounts by segment × health band/);
    expect(first.out).toMatch(/Fairness over tasks today \(\d+ CSMs available\): max \d+, min \d+/);
    expect(first.out).toMatch(/Today's work: \d+ human tasks created \(capacity of the CSMs working today: \d+/);
    expect(first.out).toMatch(/Backlog \(kept on the companies, created on later days in priority order\): [\d,]+ waiting(, oldest [\d,]+ days|, nothing has waited a full day yet)?;/);
    expect(first.out).not.toMatch(/oldest 0 days/);
    // Why work was not created, in words with the id.
    expect(first.out).toMatch(/Not created \(quiet by design\): [\d,]+ [a-z][^,(]* \((ledger|cooldown|cap|off|awaiting_engagement|engaged|digital_busy|no_owner|missed)\)/);
    expect(first.out).toMatch(/API calls: \d+ \(honest minimum \d+, ratio [\d.]+\)/);
    // Words, not ids, in the text summary (the --json output keeps the ids): bands, segments, stages,
    // caps, digital touch types and playbooks.
    expect(first.out).toMatch(/^segment +healthy +watch +at risk +unknown +total$/m);
    expect(first.out).toMatch(/^mid-pooled +[\d,]+/m);
    expect(first.out).toMatch(/^Lifecycle: .*\bgraduated [\d,]+/m);
    expect(first.out).toMatch(/^Band capped by a critical signal: .*\bNPS detractor [\d,]+/m);
    expect(first.out).toMatch(/^Digital touches \(cs_digital_touch, sent by HubSpot workflows\): [\d,]+ — .*(Check-in email|"We noticed…" email|Usage summary before renewal) [\d,]+/m);
    expect(first.out).toMatch(/^Onboarding +[\d,]+$/m);
    const idFree = first.out.split('\n').filter((l) => !/^(Not created|By kind|Digital touches \(cs_digital_touch)/.test(l) && !/\(id \d+\)/.test(l));
    for (const line of idFree) expect(line).not.toMatch(/\b(at_risk|mid_pooled|not_started|onboarding_overdue|nps_detractor|no_login|usage_drop|urgent_ticket|risk_task|risk_escalation|check_in|we_noticed|usage_summary|adoption_tips|expansion_offer|renewal_reminder|nps detractor)\b/);
    const created = Number(/Playbook tasks: ([\d,]+) created/.exec(first.out)?.[1]?.replace(/,/g, ''));
    expect(created).toBeGreaterThan(0);
    // The progress (stderr) ends on what the run did, the dispatch's tasks included.
    const lastProgress = first.err.trim().split('\n').pop() ?? '';
    const updated = /Companies: 300 read, ([\d,]+) updated/.exec(first.out)?.[1];
    expect(lastProgress).toMatch(new RegExp(`^sweep \\[#+\\] 100%  300/300 .*  300 companies, ${updated} updated, ${created} tasks created$`));

    const again = cli(['demo', '--dir', join(dir, 'crm')]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/Properties: group present, 0 created, 0 updated/);
    expect(again.out).toMatch(/Playbook tasks: 0 created/);
    expect(again.out).toMatch(/Companies: 300 read, 0 updated, 300 unchanged/);
  });

  test('--json prints one JSON object on stdout (progress on stderr), with the workload figures', () => {
    const r = cli(['sweep', '--json', '--dir', join(dir, 'crm'), '--now', '2026-12-07T09:00:00Z']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown> & {
      tasks: { created: number; byOwner: Record<string, number>; urgentOverCapacity: number };
      capacity: { byOwner: Record<string, number> };
      backlog: { count: number; oldestDays: number | null };
      digital: { created: number; byType: Record<string, number> };
      calls: { total: number; minimum: number };
      csms: { ownerId: string; today: string }[];
    };
    expect(j.now).toBe('2026-12-07T09:00:00.000Z');
    expect(j.companies).toBe(300);
    // Every field the README documents for the summary (issue 14, item 7) is there, with its type.
    const num = expect.any(Number);
    expect(j).toMatchObject({
      status: 'complete',
      mode: expect.any(String),
      tasks: { created: num, wanted: num, byOwner: expect.any(Object), byPlaybook: expect.any(Object), urgentOverCapacity: num, failed: num, reconciled: num },
      capacity: { byOwner: expect.any(Object), total: num },
      backlog: { count: num, oldestDays: expect.anything(), noLongerNeeded: num },
      digital: { created: num, byType: expect.any(Object) },
      skipped: expect.any(Object),
      fairness: { max: num, min: num, gini: num },
      calls: { total: num, minimum: num, byKind: expect.any(Object) },
    });
    expect(Object.keys(j.capacity.byOwner).sort()).toEqual(j.csms.map((c) => c.ownerId).sort());
    for (const c of j.csms) if (c.today !== 'available') expect(j.capacity.byOwner[c.ownerId]).toBe(0);
    expect(typeof j.tasks.created).toBe('number');
    // Nobody off today gets a task; nobody gets more than capacity plus the urgent allowance.
    for (const [owner, n] of Object.entries(j.tasks.byOwner)) {
      expect(j.csms.find((c) => c.ownerId === owner)?.today).toBe('available');
      expect(n).toBeLessThanOrEqual((j.capacity.byOwner[owner] ?? 0) + 4);
    }
    expect(typeof j.backlog.count).toBe('number');
    expect(typeof j.digital.created).toBe('number');
    expect(j.calls.total).toBeGreaterThan(0);
    expect(r.err).toMatch(/sweep/);
  });

  test('demo --reset --now seeds the local CRM as of that instant (its sync dates are days before it, none after)', () => {
    const d = join(dir, 'as-of');
    const r = cli(['demo', '--reset', '--companies', '200', '--csms', '4', '--dir', d, '--now', '2026-06-15T09:00:00Z', '--json']);
    expect(r.code).toBe(0);
    const synced = [...readFileSync(join(d, 'state.json'), 'utf8').matchAll(/"cs_usage_updated_at":"(\d{4}-[^"]+)"/g)].map((m) => m[1] ?? ''); // (the seed's bad values, e.g. 'yesterday', aside)
    expect(synced.length).toBeGreaterThan(0);
    expect(synced.filter((t) => t > '2026-06-15T09:00:00Z')).toEqual([]);
    expect(synced.some((t) => t > '2026-06-01')).toBe(true);
  });

  test('the local pool works its due tasks on the days between runs (not on the first, not twice the same day); 0 = nobody works', () => {
    const d = join(dir, 'team');
    const first = cli(['demo', '--reset', '--companies', '200', '--csms', '4', '--dir', d, '--now', '2026-12-01T09:00:00Z']);
    expect(first.code).toBe(0);
    expect(first.out).not.toMatch(/since the last run/);
    const open = () => [...readFileSync(join(d, 'state.json'), 'utf8').matchAll(/"hs_task_status":"([A-Z_]+)"/g)].filter((m) => m[1] !== 'COMPLETED').length;
    const before = open();
    expect(before).toBeGreaterThan(0);
    // Friday: Tuesday to Thursday were worked.
    const friday = cli(['sweep', '--dir', d, '--now', '2026-12-04T09:00:00Z']);
    expect(friday.code).toBe(0);
    const done = Number(/Local CRM: 3 days since the last run; the product sync refreshed [\d,]+ companies; the pool completed ([\d,]+) due tasks \(contact logged on [\d,]+ companies/.exec(friday.out)?.[1]?.replace(/,/g, ''));
    expect(Number(/the product sync refreshed ([\d,]+) companies/.exec(friday.out)?.[1]?.replace(/,/g, ''))).toBeGreaterThan(150);
    expect(done).toBeGreaterThan(0);
    expect(Number(/([\d,]+) customers answered a digital touch \(--customers-answer 0.3\)/.exec(friday.out)?.[1]?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(readFileSync(join(d, 'state.json'), 'utf8')).toMatch(/"hs_task_status":"COMPLETED"/);
    // A second run the same day works no day again.
    expect(cli(['sweep', '--dir', d, '--now', '2026-12-04T15:00:00Z']).out).not.toMatch(/since the last run/);
    const still = open();
    const idle = cli(['sweep', '--dir', d, '--now', '2026-12-08T09:00:00Z', '--team-completes', '0']);
    expect(idle.out).toMatch(/Local CRM: 4 days since the last run; the product sync refreshed [\d,]+ companies; nobody worked \(--team-completes 0\); [\d,]+ customers answered a digital touch/);
    expect(open()).toBeGreaterThanOrEqual(still);
    const state = () => readFileSync(join(d, 'state.json'), 'utf8');
    const frozenBefore = [...state().matchAll(/"cs_usage_updated_at":"([^"]+)"/g)].map((m) => m[1]).sort().pop();
    const frozen = cli(['sweep', '--dir', d, '--now', '2026-12-10T09:00:00Z', '--frozen']);
    expect(frozen.out).toMatch(/Local CRM: 2 days since the last run; frozen: no product sync, nobody worked, no customer answered/);
    expect([...state().matchAll(/"cs_usage_updated_at":"([^"]+)"/g)].map((m) => m[1]).sort().pop()).toBe(frozenBefore);
    const bad = cli(['sweep', '--dir', d, '--team-completes', '2']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/team-completes/);
  });

  test('--dry-run shows what would change and writes nothing', () => {
    const d = join(dir, 'dry');
    cli(['setup', '--companies', '200', '--csms', '4', '--dir', d]);
    const dry = cli(['sweep', '--dry-run', '--dir', d]);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/DRY RUN — nothing written/);
    expect(dry.out).toMatch(/200 would change/);
    expect(dry.out).toMatch(/Examples of what would change/);
    const real = cli(['sweep', '--dir', d]);
    expect(real.out).toMatch(/200 updated/);
  });

  test('report writes a self-contained HTML page', () => {
    const out = join(dir, 'report.html');
    const r = cli(['report', '--dir', join(dir, 'crm'), '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<html/);
    expect(html).not.toMatch(/<script src=|<link [^>]*href="http/);
    expect(r.out).toMatch(/Escalations: \d+ named accounts at risk, \d+ open calls after no answer, \d+ urgent tasks open, \d+ created today over capacity/);
    expect(r.out).toMatch(/Backlog: (nothing waits|[\d,]+ tasks waiting)/);
    for (const h of ['Escalations', 'Renewals at risk', 'Workload per CSM', 'Backlog', 'Digital touches', 'ARR by segment × band', 'Data issues']) expect(html).toContain(`<h2>${h}</h2>`);
    // With the portal id, companies and views link to HubSpot; a bad id is refused.
    const linked = cli(['report', '--dir', join(dir, 'crm'), '--out', out, '--portal-id', '123']);
    expect(linked.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/href="https:\/\/app\.hubspot\.com\/contacts\/123\/record\/0-2\/\d+"/);
    const bad = cli(['report', '--dir', join(dir, 'crm'), '--out', out, '--portal-id', 'acme']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/portal-id/);
  });

  test('bad flags, unknown commands and bad configs are refused with the name of what is wrong', () => {
    const flag = cli(['sweep', '--companys', '5']);
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/Unknown flag: --companys/);
    const num = cli(['demo', '--companies', 'many']);
    expect(num.code).toBe(2);
    expect(num.err).toMatch(/Bad --companies/);
    expect(cli(['launch']).err).toMatch(/Unknown command "launch"/);
    const cfg = join(dir, 'bad-config.json');
    writeFileSync(cfg, JSON.stringify({ segments: { pooledBelow: 'cheap' }, colour: 'blue' }));
    const bad = cli(['sweep', '--config', cfg, '--dir', join(dir, 'crm')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/segments\.pooledBelow/);
    expect(bad.err).toMatch(/colour/);
  });

  test('serve without HUBSPOT_CLIENT_SECRET is a start-up error naming the variable', () => {
    const r = cli(['serve', '--dir', join(dir, 'crm')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/HUBSPOT_CLIENT_SECRET/);
  });

  test('serve on a portal without CS_ACTION_BASE_URL or --trust-proxy refuses to start, naming both', () => {
    const r = cli(['serve', '--portal'], { HUBSPOT_CLIENT_SECRET: 'test-secret', HUBSPOT_ACCESS_TOKEN: 'pat-test', CS_ACTION_BASE_URL: '' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/CS_ACTION_BASE_URL/);
    expect(r.err).toMatch(/--trust-proxy/);
  });

  test('a sweep on a portal where setup never ran stops with exit 1, a few of the missing names and what to run', () => {
    const r = cli(['sweep', '--companies', '50', '--csms', '3', '--dir', join(dir, 'no-setup')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The portal lacks properties this version writes \(cs_[a-z_]+(, cs_[a-z_]+){4} and \d+ more\) and the app could not create them: run `npm run cli -- setup`/);
    // Said once.
    expect(r.err.match(/npm run cli -- setup/g)).toHaveLength(1);
  });

  test('--portal without a token names HUBSPOT_ACCESS_TOKEN', () => {
    const r = cli(['sweep', '--portal']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/HUBSPOT_ACCESS_TOKEN/);
  });
});

describe('CLI: one sweep at a time', () => {
  test('a sweep refuses to start while another holds the lock, and says which process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-cli-lock-'));
    try {
      const crmDir = join(dir, 'crm');
      expect(cli(['setup', '--companies', '50', '--csms', '3', '--dir', crmDir]).code).toBe(0);
      writeFileSync(join(crmDir, 'sweep.json.lock'), JSON.stringify({ pid: process.pid, since: '2026-11-23T09:00:00.000Z' }));
      const r = cli(['sweep', '--dir', crmDir]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(new RegExp(`Another sweep is running \\(pid ${process.pid}`));
      expect(r.out).not.toMatch(/Sweep complete/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI: setup --workflows', () => {
  test('creates the six digital-touch workflows turned off and says what the admin does next; a rerun creates none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-cli-wf-'));
    try {
      const first = cli(['setup', '--workflows', '--companies', '30', '--csms', '3', '--dir', dir]);
      expect(first.err).not.toMatch(/Error/);
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/Digital-touch workflows \(scope "automation"\): 6 created, 0 already there\./);
      expect(first.out).toMatch(/Pooled CS · digital touch · Usage summary before renewal \(id \d+, off\)/);
      expect(first.out).toMatch(/Next, in HubSpot \(6 workflows still off\)/);

      const again = cli(['setup', '--workflows', '--dir', dir]);
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/0 created, 6 already there\./);
      expect(again.out).toMatch(/Nothing to create\./);

      const plain = cli(['setup', '--dir', dir]);
      expect(plain.code).toBe(0);
      expect(plain.out).not.toMatch(/Digital-touch workflows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
