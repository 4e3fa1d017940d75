/**
 * The operator's CLI.
 *
 *   npm start                         demo: local CRM server → setup → one portfolio sweep → summary
 *   npm run cli -- setup              install the property group and properties (idempotent)
 *   npm run cli -- setup --workflows  also create the digital-touch company workflows, turned off (idempotent)
 *   npm run cli -- sweep [--incremental] [--dry-run]
 *   npm run cli -- report --out report.html
 *   npm run cli -- serve --port 8080  self-hosted workflow-action endpoints
 *
 * With HUBSPOT_ACCESS_TOKEN set (or --portal) every command works on that portal instead.
 */
import { z } from 'zod';
import { runSweep, acquireRunLock, buildPortfolioReport, renderReportHtml, createCompanyService } from '../app';
import { boolFlag, parseFlags, splitArgs } from './args';
import { createProgress } from './progress';
import { formatInstall, formatSweepSummary, sweepJson } from './summary';
import { reportHeadline } from './report-summary';
import { openTarget, type Target, type TargetFlags } from './target';
import { AuthError, HubSpotApiError, type DigitalTouchWorkflow, type WorkflowInstallReport } from '../hubspot';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createActionServer, loadServeSecrets, resolveSigningBase } from '../server/serve';
import { createJsonLogger } from '../platform/logger';
import { systemClock } from '../platform/clock';
import { openFileActionStore } from '../server/file-action-store';
import { serveLimits } from '../server/serve-config';
import { OutputFieldsSchema, type OutputFields } from '../server/workflow-action';

const targetFlags = {
  portal: boolFlag,
  config: z.string().min(1).optional(),
  companies: z.coerce.number().int().min(0).max(1_000_000).default(2000),
  csms: z.coerce.number().int().min(1).max(1000).default(12),
  seed: z.coerce.number().int().default(1),
  dir: z.string().min(1).default('.local-crm'),
  reset: boolFlag,
  'rate-limit': z.coerce.number().int().min(10).max(1000).default(190),
  state: z.string().min(1).optional(),
  now: z.iso.datetime({ error: 'expected an ISO instant such as 2026-11-23T09:00:00Z' }).optional(),
  'team-completes': z.coerce.number().min(0).max(1).default(0.6),
  'customers-answer': z.coerce.number().min(0).max(1).default(0.3),
  frozen: boolFlag,
};

const sweepFlags = z
  .object({
    ...targetFlags,
    'dry-run': boolFlag,
    incremental: boolFlag,
    restart: boolFlag,
    'unit-size': z.coerce.number().int().min(1).max(10_000).optional(),
    json: boolFlag,
  })
  .strict();

const setupFlags = z.object({ ...targetFlags, workflows: boolFlag }).strict();

const reportFlags = z
  .object({ ...targetFlags, out: z.string().min(1).default('cs-portfolio-report.html'), 'portal-id': z.string().regex(/^\d{1,20}$/, 'expected the HubSpot account id (digits)').optional() })
  .strict();

const serveFlags = z
  .object({
    ...targetFlags,
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    host: z.string().min(1).default('127.0.0.1'),
    'trust-proxy': boolFlag,
    'store-dir': z.string().min(1).default('.cs-actions'),
    'max-body-kb': z.coerce.number().int().min(1).max(16 * 1024).optional(),
    'max-in-flight': z.coerce.number().int().min(1).max(100_000).optional(),
    'max-connections': z.coerce.number().int().min(1).max(100_000).optional(),
    'shutdown-seconds': z.coerce.number().int().min(0).max(600).optional(),
    'budget-ms': z.coerce.number().int().min(0).max(600_000).optional(),
  })
  .strict();

const USAGE = `Usage: npm start                      (demo on the local CRM server)
       npm run cli -- <command> [flags]

Commands:
  demo     setup + one portfolio sweep, with a summary (default)
  setup    create the property group and the properties of the data contract (idempotent);
           --workflows also creates one company workflow per digital touch type, turned off, for an admin
           to finish and turn on (automation v4 flows API; needs the "automation" scope; idempotent)
  sweep    compute segments, health, lifecycle, onboarding CSMs and playbook tasks for every company
  report   write the manager's portfolio report as one HTML file (--out FILE; --portal-id ID or HUBSPOT_PORTAL_ID
           links companies and views to HubSpot): escalations, renewals at risk, workload per CSM, backlog,
           digital touches, segment × band, ARR, coverage, pipeline, playbooks, data issues
  serve    serve the workflow-action endpoints (POST /actions/<name>, GET /healthz); needs HUBSPOT_CLIENT_SECRET
           (--port 8080 --host 127.0.0.1; CS_ACTION_BASE_URL = the public URL HubSpot calls and signs, required
           on a portal unless --trust-proxy; --store-dir .cs-actions keeps answered deliveries and pending
           completions across restarts; --max-body-kb 64 --max-in-flight 128 --max-connections 10000 --shutdown-seconds 10
           --budget-ms 10000 = answer BLOCK and complete later past this)

Flags (all commands):
  --portal            work on the HubSpot portal of HUBSPOT_ACCESS_TOKEN (implied when it is set)
  --config FILE       a JSON config overriding any default (rejected with the key path when wrong)
  --companies N       local CRM: companies to seed (default 2000)      --csms N   CSMs (default 12)
  --seed N            local CRM: seed of the generated portfolio        --reset    start the local CRM afresh
  --dir DIR           local CRM state folder (default .local-crm)      --rate-limit N  requests per 10 s (default 190)
  --state FILE        sweep checkpoint file on a portal (default .cs-state/sweep.json)
  --now ISO           evaluate as of this instant instead of the clock (reproducible runs; an empty local CRM is seeded as of it)
  --team-completes S  local CRM: between runs the pool completes this share of its due tasks each working day,
                      at most 10 per CSM, logging the contact (default 0.6; 0 = nobody works)
  --customers-answer S  local CRM: this share of digitally touched customers engage 1–4 days later (default 0.3)
  --frozen            local CRM: nothing happens between runs (no product sync, nobody works, no customer answers)
Sweep flags:
  --dry-run           show what would change, write nothing           --incremental   only what changed or came due
  --restart           drop a sweep left in progress                    --unit-size N   companies per unit (default 5000, 10000 with --incremental)
  --json              print one JSON summary object on stdout (progress and messages on stderr)`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function withTarget<T>(flags: TargetFlags, fn: (t: Target) => Promise<T>): Promise<T> {
  const opened = await openTarget(flags, process.env);
  if (!opened.ok) fail(opened.message);
  const target = opened.target;
  console.log(`Target: ${target.describe}`);
  if (target.note !== null) console.log(target.note);
  try {
    return await fn(target);
  } finally {
    await target.close();
  }
}

async function setup(target: Target, opts: { workflows?: boolean } = {}): Promise<void> {
  const report = await target.deps.crm.installProperties();
  console.log(formatInstall(report));
  if (opts.workflows) {
    const install = target.deps.crm.installDigitalTouchWorkflows;
    if (!install) fail('This CRM connection cannot create workflows.');
    console.log(formatWorkflowInstall(await install()));
  }
}

/** The `setup --workflows` report: what exists, what was created, what the admin does next. */
function formatWorkflowInstall(r: WorkflowInstallReport): string {
  const line = (w: DigitalTouchWorkflow) => `  - ${w.name} (id ${w.flowId}, ${w.isEnabled ? 'on' : 'off'})`;
  const out = [`Digital-touch workflows (scope "${r.scope}"): ${r.created.length} created, ${r.existing.length} already there.`];
  if (r.created.length > 0) out.push('Created, turned off:', ...r.created.map(line));
  if (r.existing.length > 0) out.push('Already there (left as they are):', ...r.existing.map(line));
  if (r.created.length === 0) out.push('Nothing to create.');
  const off = [...r.created, ...r.existing].filter((w) => !w.isEnabled).length;
  if (off > 0) out.push(`Next, in HubSpot (${off} workflow${off === 1 ? '' : 's'} still off):`, ...r.adminSteps.map((s, i) => `  ${i + 1}. ${s}`));
  return out.join('\n');
}

async function sweep(target: Target, flags: z.infer<typeof sweepFlags>): Promise<boolean> {
  const lock = flags['dry-run'] ? null : await acquireRunLock(target.lockPath);
  if (lock && !lock.ok) {
    console.error(lock.message);
    process.exitCode = 2;
    return true;
  }
  try {
    return await sweepLocked(target, flags);
  } finally {
    if (lock?.ok) await lock.lock.release();
  }
}

async function sweepLocked(target: Target, flags: z.infer<typeof sweepFlags>): Promise<boolean> {
  const started = Date.now();
  const total = target.local ? target.local.store.count('companies') : null;
  const progress = createProgress({ label: flags['dry-run'] ? 'dry run' : 'sweep', total: flags.incremental ? null : total });
  const report = await runSweep(target.deps, {
    store: target.store,
    mode: flags.incremental ? 'incremental' : 'full',
    dryRun: flags['dry-run'],
    restart: flags.restart,
    unitSize: flags['unit-size'],
    onProgress: ({ done, total: expected, totals }) => progress.tick(done, `${totals.updated.toLocaleString('en-US')} updated, ${totals.tasksCreated.toLocaleString('en-US')} tasks`, expected),
  });
  // The last line counts what the whole run did: the day's tasks are created by the dispatch after
  // the last unit, so the ticks before it cannot have them.
  const t = report.run.totals;
  progress.finish(`${t.accounts.toLocaleString('en-US')} companies, ${t.updated.toLocaleString('en-US')} updated, ${t.tasksCreated.toLocaleString('en-US')} tasks created`, t.accounts);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(sweepJson(report, target.deps.now()))}\n`);
    return report.status === 'complete' || report.status === 'paused';
  }
  console.log(formatSweepSummary(report, { seconds: (Date.now() - started) / 1000 }, flags['dry-run']));
  if (flags['dry-run'] && report.examples.length > 0) {
    console.log('\nExamples of what would change:');
    for (const e of report.examples.slice(0, 5)) {
      console.log(`  company ${e.id} ${e.name ?? ''}: ${Object.keys(e.properties).join(', ') || 'no property change'}${e.tasks.length ? `; tasks: ${e.tasks.join(' | ')}` : ''}`);
    }
  }
  return report.status === 'complete' || report.status === 'paused';
}

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  const command = first === undefined || first.startsWith('--') ? 'demo' : first;
  const split = splitArgs(first === undefined || first.startsWith('--') ? argv : rest);
  if (!split.ok) fail(`${split.message}\n\n${USAGE}`);
  if (split.args['help'] === true) {
    console.log(USAGE);
    return;
  }
  switch (command) {
    case 'setup': {
      const p = parseFlags(setupFlags, split.args);
      if (!p.ok) fail(`${p.message}\n\n${USAGE}`);
      await withTarget(p.flags, (t) => setup(t, { workflows: p.flags.workflows }));
      return;
    }
    case 'demo':
    case 'sweep': {
      const p = parseFlags(sweepFlags, split.args);
      if (!p.ok) fail(`${p.message}\n\n${USAGE}`);
      // --json: stdout carries only the JSON object; everything for people goes to stderr.
      if (p.flags.json) console.log = (...args: unknown[]) => console.error(...args);
      const ok = await withTarget(p.flags, async (t) => {
        if (command === 'demo') await setup(t);
        return sweep(t, p.flags);
      });
      if (!ok) process.exitCode = 3;
      return;
    }
    case 'report': {
      const p = parseFlags(reportFlags, split.args);
      if (!p.ok) fail(`${p.message}\n\n${USAGE}`);
      await withTarget(p.flags, async (t) => {
        const report = await buildPortfolioReport(t.deps, { portalId: p.flags['portal-id'] ?? process.env['HUBSPOT_PORTAL_ID'] ?? null });
        const out = resolve(p.flags.out);
        await writeFile(out, renderReportHtml(report));
        console.log(`Portfolio report (${report.totals.accounts.toLocaleString('en-US')} companies) written to ${out}`);
        console.log(reportHeadline(report));
      });
      return;
    }
    case 'serve': {
      const p = parseFlags(serveFlags, split.args);
      if (!p.ok) fail(`${p.message}\n\n${USAGE}`);
      const secrets = loadServeSecrets(process.env);
      if (!secrets.ok) fail(secrets.message);
      const portal = p.flags.portal || (process.env['HUBSPOT_ACCESS_TOKEN'] ?? '').trim() !== '';
      const signing = resolveSigningBase({ portal, baseUrl: process.env['CS_ACTION_BASE_URL'], trustProxy: p.flags['trust-proxy'] });
      if (!signing.ok) fail(signing.message);
      const limits = serveLimits({
        ...(p.flags['max-body-kb'] !== undefined ? { maxBodyBytes: p.flags['max-body-kb'] * 1024 } : {}),
        ...(p.flags['max-in-flight'] !== undefined ? { maxInFlight: p.flags['max-in-flight'] } : {}),
        ...(p.flags['max-connections'] !== undefined ? { maxConnections: p.flags['max-connections'] } : {}),
        ...(p.flags['shutdown-seconds'] !== undefined ? { shutdownDeadlineMs: p.flags['shutdown-seconds'] * 1000 } : {}),
        ...(p.flags['budget-ms'] !== undefined ? { budgetMs: p.flags['budget-ms'] } : {}),
      });
      const opened = await openTarget(p.flags, process.env);
      if (!opened.ok) fail(opened.message);
      const target = opened.target;
      const store = await openFileActionStore<OutputFields>({
        dir: resolve(p.flags['store-dir']),
        valueSchema: OutputFieldsSchema,
        clock: systemClock,
        maxEntries: limits.storeMaxEntries,
        ttlMs: limits.storeTtlMs,
        compactAfterLines: limits.storeCompactAfterLines,
      });
      const logger = createJsonLogger();
      const server = createActionServer({
        actions: createCompanyService(target.deps),
        clientSecret: secrets.clientSecret,
        completer: (callbackId, outputFields) => target.deps.crm.completeCallback(callbackId, outputFields),
        logger,
        limits,
        store,
        trustProxy: signing.trustProxy,
        ...(signing.publicBaseUrl ? { publicBaseUrl: signing.publicBaseUrl } : {}),
      });
      const address = await server.listen(p.flags.port, p.flags.host);
      console.log(`Workflow-action server on ${address.url} (target: ${target.describe}).`);
      console.log(`Signatures (v3, else v2) are checked against ${server.signingUrl}.`);
      console.log(
        `Action store: ${store.file} (${store.loaded.answers} answered, ${store.loaded.pending} pending completions to send` +
          `${store.loaded.skippedLines ? `, ${store.loaded.skippedLines} unreadable lines skipped` : ''}). ` +
          `Ctrl-C / SIGTERM stops it within ${limits.shutdownDeadlineMs / 1000} s.`,
      );
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        server
          .shutdown()
          .then(() => target.close())
          .then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    default:
      fail(`Unknown command "${command}"\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof AuthError) fail(error.message, 4);
  if (error instanceof HubSpotApiError && /does not exist/i.test(error.message) && !/run `npm run cli -- setup`/.test(error.message)) {
    fail(`${error.message}\nThe app's properties are missing: run \`npm run cli -- setup\` first.`, 1);
  }
  console.error(error instanceof Error ? `Error: ${error.message}` : error);
  process.exit(1);
});
