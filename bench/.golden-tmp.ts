import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { syntheticAccounts, benchConfig } from './core';
import { configVersion, createAssignmentState, evaluateAccount, makeAccount, type Account, type Owner, defaultConfig, formatIsoDay } from '../src/core';

function owner(id: string, extra: Partial<Owner> = {}): Owner {
  return { id, userId: null, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [], ...extra };
}
const out: string[] = [];
function run(label: string, accounts: Account[], config: ReturnType<typeof benchConfig>, now: Date, withHistory: boolean, owners?: Owner[]): void {
  const version = configVersion(config);
  let state = createAssignmentState({ members: config.pool.members, owners: owners ?? config.pool.members.map((m) => owner(m.ownerId)) });
  const h = createHash('sha256');
  accounts.forEach((a, i) => {
    const history = withHistory ? [{ value: 80 + (i % 7), at: '2026-05-01T00:00:00Z' }, { value: 40 + (i % 30), at: new Date(now.getTime() - (i % 20) * 86400000).toISOString() }, { value: NaN, at: 'bad' }] : undefined;
    const ev = evaluateAccount(a, { config, configVersion: version, now, assignment: state, history });
    state = ev.state;
    const { state: s, ...rest } = ev;
    const line = JSON.stringify(rest) + JSON.stringify({ loads: Array.from(s.loads), tl: Array.from(s.taskLoads), la: Array.from(s.lastAssigned), lt: Array.from(s.lastTask), seq: s.seq });
    h.update(line);
    if (i < 3000) out.push(line);
  });
  console.log(label, accounts.length, h.digest('hex'));
}
const now = new Date('2026-06-16T15:00:00Z');
const cfg = benchConfig();
const accs = syntheticAccounts(100_000, now, 20260616);
run('bench', accs, cfg, now, false);
const cfg2 = benchConfig();
cfg2.pool.queueId = 'q-9';
cfg2.pool.members[3]!.coverageDays = ['mon'];
cfg2.pool.members[4]!.outOfOffice = [{ from: '2026-06-01', to: '2026-06-30' }];
run('queue+history', syntheticAccounts(20_000, now, 7), cfg2, now, true);
const now3 = new Date('2026-03-29T01:30:00Z');
const cfg3 = benchConfig();
cfg3.version = 'v2';
cfg3.health.staleness.unknownAgeIsFresh = false;
cfg3.lifecycle.maxOverdueDays = null;
cfg3.playbooks.rules.renewal.windows = [60, 120, 10];
// mutate accounts for odd cases
const odd = syntheticAccounts(20_000, now3, 99).map((a, i) => {
  const b = { ...a };
  switch (i % 17) {
    case 0: b.segmentOverride = { segment: 'pooled', reason: i % 2 ? 'x' : null, expires: i % 3 ? '2026-12-01' : '2025-01-01' }; break;
    case 1: b.dedicatedCsmContract = true; b.segmentOverride = { segment: 'pooled', reason: null, expires: null }; break;
    case 2: b.acv = NaN; b.segment = 'named'; break;
    case 3: b.usageCurrentPeriod = -1; b.licensedSeats = 0; b.npsScore = 12; break;
    case 4: b.usagePreviousPeriod = 0; b.lastLoginDate = '2026-13-01'; b.lastContactedAt = 'garbage'; break;
    case 5: b.lastLoginDate = '2027-01-01'; b.highPriorityTickets = null; b.npsDate = null; break;
    case 6: b.segment = 'pooled'; b.acv = 25_800; b.healthScore = 95; b.healthBand = 'at_risk'; break;
    case 7: b.segment = 'mid_pooled'; b.acv = 24_000; b.onboardingCsmId = i % 2 ? 'o1' : 'gone'; break;
    case 8: b.graduationDate = formatIsoDay(20_000); b.onboardingStartDate = null; b.usageUpdatedAt = '2026-01-01T00:00:00+02:00'; break;
    case 9: b.playbookLedger = ['  ', 'cs:x@bad', `cs:${a.id}:renewal:d60:${a.renewalDate}@2026-03-01`, 'plain']; b.openCsTasks = 1; break;
    case 10: b.name = null; b.usageCurrentPeriod = Infinity; b.activeUsers = 1e308; b.licensedSeats = 1e-308; break;
    case 11: b.lastContactedAt = '2026-01-05'; b.usageUpdatedAt = '2026-03-01T10:00:00Z'; b.openTickets = -1; break;
    case 12: b.requiredSkills = ['zz']; b.graduatedAt = null; b.contractStartDate = formatIsoDay(20_500); b.onboardingStartDate = null; break;
    case 13: b.lastContactedAt = '2026-03-28T23:59:59.999Z'; b.npsScore = 3.5; b.usageCurrentPeriod = 1.5; b.usagePreviousPeriod = 3.25; break;
    case 14: b.openCsTasks = NaN; b.healthScore = null; b.healthBand = 'watch'; break;
    default: break;
  }
  return b;
});
const owners3 = cfg3.pool.members.map((m, i) => owner(m.ownerId, i % 11 === 0 ? { archived: true } : i % 13 === 0 ? { active: false } : {}));
run('odd', odd, cfg3, now3, true, owners3);
const small = benchConfig();
small.pool.members = small.pool.members.slice(0, 2).map((m) => ({ ...m, capacity: 3, coverageDays: ['sat'] }));
run('small', syntheticAccounts(3000, now, 5), small, now, false);
run('nopool', syntheticAccounts(3000, now, 6), defaultConfig(), now, false);
run('empty', [makeAccount(), makeAccount({ id: '2', acv: 30000, contractStartDate: '2026-06-10' })], benchConfig(), now, false);
writeFileSync(process.argv[2] ?? '/tmp/perfw/out.jsonl', out.join('\n'));
