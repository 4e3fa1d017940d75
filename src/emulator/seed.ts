/**
 * A deterministic, realistic portfolio for the local CRM: companies across segments with the
 * input signals the app reads (properties.md), tickets associated to companies, a pool of CSM
 * owners (team "CS Pool", one deactivated) and the pool config the app reads for them.
 */
import { createRng, type Rng } from '../platform/random';
import { makeOptions, type PropertyDefinition, type PropertyGroup } from './schemas';
import { CrmStore, type OwnerRecord } from './store';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const SKILLS = ['api', 'sso', 'data_migration', 'healthcare', 'finance', 'german', 'french', 'spanish'] as const;

export interface PoolMember {
  ownerId: string;
  skills: string[];
  coverageDays: Weekday[];
  outOfOffice: Array<{ from: string; to: string }>;
  capacity: number;
}

export interface PoolConfig {
  queueId: string | null;
  members: PoolMember[];
}

export interface SeedPortfolioOptions {
  seed?: number;
  companies?: number;
  csms?: number;
  /** "Today" for the portfolio (epoch ms); default: 2026-11-23T09:00:00Z. */
  now?: number;
  /** Average tickets per company (default 1). */
  ticketsPerCompany?: number;
  /** Seed into this store (default: a new one). */
  into?: CrmStore;
  /** Average contacts per company (default 1; the first is the primary contact). */
  contactsPerCompany?: number;
  /**
   * The product sync writes its sync dates (`cs_usage_updated_at`, `cs_nps_date`); default true.
   * False: a portal without them, whose freshness comes only from property history (the values'
   * history timestamps are the same either way).
   */
  syncDates?: boolean;
}

export interface SeedSummary {
  companies: number;
  tickets: number;
  owners: number;
  byBand: { pooled: number; nearThreshold: number; mid: number; named: number };
  dedicated: number;
  onboarding: number;
  overdueCandidates: number;
  notStarted: number;
  usageDrop: number;
  staleLogin: number;
  detractors: number;
  npsMissing: number;
  staleContact: number;
  staleUsage: number;
  withSkills: number;
  malformed: number;
  archivedOwnerId: string;
}

export interface SeededPortfolio {
  store: CrmStore;
  poolConfig: PoolConfig;
  summary: SeedSummary;
}

export const INPUT_GROUP: PropertyGroup = { name: 'product_usage', label: 'Product usage (synced)', displayOrder: -1, archived: false };

/** The input properties the app reads (properties.md), as a portal with a product sync would have them. */
export function inputPropertyDefinitions(createdAt: string): PropertyDefinition[] {
  const p = (name: string, label: string, type: PropertyDefinition['type'], fieldType: string, options: string[] = []): PropertyDefinition => ({
    name,
    label,
    type,
    fieldType,
    description: '',
    groupName: INPUT_GROUP.name,
    options: makeOptions(options),
    displayOrder: -1,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: false,
    formField: false,
    modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    createdAt,
    updatedAt: createdAt,
    archived: false,
  });
  return [
    p('cs_acv', 'Annual contract value', 'number', 'number'),
    p('cs_dedicated_csm_contract', 'Dedicated CSM in contract', 'bool', 'booleancheckbox', ['true', 'false']),
    p('cs_contract_start_date', 'Contract start date', 'date', 'date'),
    p('cs_renewal_date', 'Renewal date', 'date', 'date'),
    p('cs_licensed_seats', 'Licensed seats', 'number', 'number'),
    p('cs_active_users', 'Active users', 'number', 'number'),
    p('cs_usage_current_period', 'Usage (current period)', 'number', 'number'),
    p('cs_usage_previous_period', 'Usage (previous period)', 'number', 'number'),
    p('cs_last_login_date', 'Last login date', 'date', 'date'),
    p('cs_nps_score', 'NPS score', 'number', 'number'),
    p('cs_nps_date', 'NPS date', 'date', 'date'),
    p('cs_usage_updated_at', 'Usage synced at', 'datetime', 'date'),
    p('cs_required_skills', 'Required CSM skills', 'enumeration', 'checkbox', [...SKILLS]),
  ];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const FIRST = ['Ada', 'Ben', 'Chloe', 'Dan', 'Eva', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Luis', 'Maya', 'Nils', 'Olga', 'Pia', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Uma', 'Vik', 'Wren', 'Yara', 'Zoe'];
const LAST = ['Adler', 'Berg', 'Costa', 'Dietz', 'Engel', 'Fischer', 'Garcia', 'Hahn', 'Ito', 'Jensen', 'Klein', 'Lopez', 'Meyer', 'Novak', 'Olsen', 'Petrov', 'Rossi', 'Schmidt', 'Tanaka', 'Vogel', 'Weber', 'Young'];
const WORDS = ['Acme', 'Blue', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kite', 'Lumen', 'Maple', 'Nimbus', 'Orbit', 'Pine', 'Quartz', 'River', 'Summit', 'Tidal', 'Umber', 'Vertex', 'Willow', 'Zenith'];
const SUFFIX = ['Labs', 'Systems', 'Health', 'Logistics', 'Foods', 'Retail', 'Capital', 'Energy', 'Software', 'Studios', 'Partners', 'Works'];
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'HOSPITAL_HEALTH_CARE', 'FINANCIAL_SERVICES', 'RETAIL', 'LOGISTICS_AND_SUPPLY_CHAIN', 'MARKETING_AND_ADVERTISING'];
const COUNTRIES = ['Germany', 'France', 'Spain', 'United Kingdom', 'United States', 'Netherlands'];
const MALFORMED: Array<[string, string]> = [
  ['cs_acv', 'NaN'],
  ['cs_acv', '12,5'],
  ['cs_licensed_seats', '-5'],
  ['cs_active_users', ''],
  ['cs_contract_start_date', '2024-13-45'],
  ['cs_renewal_date', 'soon'],
  ['cs_usage_current_period', 'NaN'],
  ['cs_nps_score', '12,5'],
  ['cs_last_login_date', '2024-13-45'],
  ['cs_usage_updated_at', 'yesterday'],
];

/** The latent condition of a customer: the ranges its signals are drawn from. */
interface Condition {
  /** Seat utilisation range (active users / licensed seats). */
  util: [number, number];
  /** Chance of a usage drop, the drop's range, and the period-over-period change otherwise. */
  dropChance: number;
  drop: [number, number];
  change: [number, number];
  /** Chance of no login for 30+ days (up to `noLoginMaxDays`), else days since the last login. */
  noLoginChance: number;
  noLoginMaxDays: number;
  loginDays: [number, number];
  /** Of those who answered NPS: detractor chance (lowest score), promoter chance among the others. */
  detractorChance: number;
  detractorRange: [number, number];
  promoterChance: number;
  /** Chance of no touch for 45+ days. */
  staleContactChance: number;
  /** Ticket volume (× the average), share still open, share urgent. */
  ticketRate: number;
  openChance: number;
  urgentChance: number;
}

const STRUGGLING: Condition = {
  util: [0.05, 0.4],
  dropChance: 0.7,
  drop: [-0.75, -0.35],
  change: [-0.3, 0.0],
  noLoginChance: 0.5,
  noLoginMaxDays: 120,
  loginDays: [10, 29],
  detractorChance: 0.7,
  detractorRange: [0, 6],
  promoterChance: 0.2,
  staleContactChance: 0.5,
  ticketRate: 1.8,
  openChance: 0.6,
  urgentChance: 0.06,
};

const WATCH: Condition = {
  util: [0.3, 0.75],
  dropChance: 0.15,
  drop: [-0.5, -0.31],
  change: [-0.25, 0.1],
  noLoginChance: 0.08,
  noLoginMaxDays: 90,
  loginDays: [2, 21],
  detractorChance: 0.2,
  detractorRange: [3, 6],
  promoterChance: 0.4,
  staleContactChance: 0.3,
  ticketRate: 1.2,
  openChance: 0.4,
  urgentChance: 0.015,
};

const HEALTHY: Condition = {
  util: [0.5, 0.95],
  dropChance: 0.02,
  drop: [-0.45, -0.31],
  change: [-0.1, 0.3],
  noLoginChance: 0.01,
  noLoginMaxDays: 60,
  loginDays: [0, 7],
  detractorChance: 0.05,
  detractorRange: [4, 6],
  promoterChance: 0.65,
  staleContactChance: 0.22,
  ticketRate: 0.7,
  openChance: 0.3,
  urgentChance: 0.01,
};

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `dateOf` for many midnights: a few thousand distinct days across 100,000 companies. */
function dayTexts(): (ms: number) => string {
  const cache = new Map<number, string>();
  return (ms) => {
    let text = cache.get(ms);
    if (text === undefined) {
      text = dateOf(ms);
      cache.set(ms, text);
    }
    return text;
  };
}
const isoOfMs = (ms: number): string => new Date(ms).toISOString();
const midnight = (ms: number): number => Math.floor(ms / DAY) * DAY;

const monthStart = (ms: number): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/** `monthStart` for instants in the few months before `now` (the sync times), without a Date each. */
function monthStarts(now: number): (ms: number) => number {
  const starts: number[] = [];
  for (let m = monthStart(now), k = 0; k < 4; k++, m = monthStart(m - DAY)) starts.push(m);
  return (ms) => {
    for (const m of starts) if (ms >= m) return m;
    return monthStart(ms);
  };
}

/** The anniversary one year before `renewal` (the last renewal, when the contract is that old). */
function previousAnniversary(renewal: number): number {
  const d = new Date(renewal);
  return Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), d.getUTCDate());
}

function nextAnniversary(start: number, now: number): number {
  const d = new Date(start);
  const today = new Date(now);
  let year = today.getUTCFullYear();
  let next = Date.UTC(year, d.getUTCMonth(), d.getUTCDate());
  if (next <= midnight(now)) next = Date.UTC(++year, d.getUTCMonth(), d.getUTCDate());
  if (next <= start) next = Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth(), d.getUTCDate());
  return next;
}

function makeOwners(rng: Rng, csms: number, now: number): { owners: OwnerRecord[]; pool: PoolMember[]; archivedOwnerId: string } {
  const owners: OwnerRecord[] = [];
  const pool: PoolMember[] = [];
  const created = isoOfMs(now - 800 * DAY);
  const team = { id: '40001', name: 'CS Pool', primary: true };
  let archivedOwnerId = '';
  for (let i = 0; i < csms; i++) {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 7) % LAST.length] as string;
    const id = String(90_000_001 + i);
    const archived = i === csms - 1 && csms > 1;
    if (archived) archivedOwnerId = id;
    owners.push({
      id,
      userId: 7_000_001 + i,
      email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com`,
      firstName: first,
      lastName: last,
      type: 'PERSON',
      createdAt: created,
      updatedAt: archived ? isoOfMs(now - 20 * DAY) : created,
      archived,
      teams: [team],
    });
    const skillCount = rng.int(1, 3);
    const skills = new Set<string>();
    while (skills.size < skillCount) skills.add(rng.pick(SKILLS));
    const pattern = rng.next();
    const coverageDays: Weekday[] = pattern < 0.7 ? ['mon', 'tue', 'wed', 'thu', 'fri'] : pattern < 0.85 ? ['mon', 'tue', 'wed', 'thu'] : ['tue', 'wed', 'thu', 'fri', 'sat'];
    const outOfOffice: PoolMember['outOfOffice'] = [];
    if (rng.chance(0.15)) {
      const from = midnight(now) + rng.int(-5, 5) * DAY; // some out now, some soon (about 1 in 12 out on a given day)
      outOfOffice.push({ from: dateOf(from), to: dateOf(from + rng.int(3, 14) * DAY) });
    }
    if (rng.chance(0.2)) {
      const from = midnight(now) + rng.int(10, 40) * DAY;
      outOfOffice.push({ from: dateOf(from), to: dateOf(from + rng.int(2, 10) * DAY) });
    }
    pool.push({ ownerId: id, skills: [...skills].sort(), coverageDays, outOfOffice, capacity: rng.int(15, 30) });
  }
  // Two sales owners outside the pool, for realism.
  for (let j = 0; j < 2; j++) {
    owners.push({
      id: String(80_000_001 + j),
      userId: 6_000_001 + j,
      email: `ae${j + 1}@example.com`,
      firstName: j === 0 ? 'Alex' : 'Sam',
      lastName: 'Seller',
      type: 'PERSON',
      createdAt: created,
      updatedAt: created,
      archived: false,
      teams: [{ id: '40002', name: 'Sales', primary: true }],
    });
  }
  return { owners, pool, archivedOwnerId };
}

/**
 * Seeds a portfolio. Deterministic for a given seed, count and `now`.
 *
 * @example
 * const { store, poolConfig, summary } = seedPortfolio({ seed: 7, companies: 26_000, csms: 60 });
 */
export function seedPortfolio(options: SeedPortfolioOptions = {}): SeededPortfolio {
  const seed = options.seed ?? 1;
  const n = options.companies ?? 2000;
  const csms = options.csms ?? 12;
  const now = options.now ?? Date.UTC(2026, 10, 23, 9, 0, 0);
  const ticketRate = options.ticketsPerCompany ?? 1;
  const syncDates = options.syncDates ?? true;
  const monthOf = monthStarts(now);
  const dayOf = dayTexts();
  const rng = createRng(seed);
  const store = options.into ?? new CrmStore();
  const today = midnight(now);

  if (!store.groups.companies.has(INPUT_GROUP.name)) store.groups.companies.set(INPUT_GROUP.name, { ...INPUT_GROUP });
  for (const def of inputPropertyDefinitions(isoOfMs(now - 900 * DAY))) {
    if (!store.properties.companies.has(def.name)) store.properties.companies.set(def.name, def);
  }

  const { owners, pool, archivedOwnerId } = makeOwners(rng, csms, now);
  store.owners = [...store.owners.filter((o) => !owners.some((x) => x.id === o.id)), ...owners];
  const salesIds = owners.filter((o) => o.teams.some((t) => t.name === 'Sales')).map((o) => o.id);
  const onboardingShare = Math.min(0.12, Math.max(0.01, (csms * 12) / Math.max(1, n)));

  const s: SeedSummary = {
    companies: n,
    tickets: 0,
    owners: owners.length,
    byBand: { pooled: 0, nearThreshold: 0, mid: 0, named: 0 },
    dedicated: 0,
    onboarding: 0,
    overdueCandidates: 0,
    notStarted: 0,
    usageDrop: 0,
    staleLogin: 0,
    detractors: 0,
    npsMissing: 0,
    staleContact: 0,
    staleUsage: 0,
    withSkills: 0,
    malformed: 0,
    archivedOwnerId,
  };

  for (let i = 0; i < n; i++) {
    const band = rng.next();
    let acv: number;
    if (band < 0.72) {
      acv = rng.int(3, 23) * 1000 + rng.int(0, 9) * 100;
      s.byBand.pooled++;
    } else if (band < 0.76) {
      acv = rng.int(23_500, 26_500);
      s.byBand.nearThreshold++;
    } else if (band < 0.95) {
      acv = rng.int(26, 99) * 1000;
      s.byBand.mid++;
    } else {
      acv = rng.int(100, 400) * 1000;
      s.byBand.named++;
    }
    const dedicated = acv < 100_000 && rng.chance(0.025);
    if (dedicated) s.dedicated++;

    // Contract start: onboarding (0-89 days), overdue candidates (90-150), not started (future), graduated.
    // The onboarding share follows the pool's size (about 12 concurrent onboardings per CSM, as in
    // the seeds: ~20 concurrent at most, 60 CSMs for 26,000 customers), so a seeded pool can cope.
    const life = rng.next();
    let startDaysAgo: number;
    if (life < 0.02) {
      startDaysAgo = -rng.int(1, 30);
      s.notStarted++;
    } else if (life < 0.02 + onboardingShare) {
      startDaysAgo = rng.int(0, 89);
      s.onboarding++;
    } else if (life < 0.02 + onboardingShare * 1.25) {
      startDaysAgo = rng.int(90, 150);
      s.overdueCandidates++;
    } else {
      startDaysAgo = rng.int(151, 1400);
    }
    const start = today - startDaysAgo * DAY;
    const renewal = nextAnniversary(start, now);
    const createdAt = Math.min(start, now) - rng.int(5, 60) * DAY;

    const seats = Math.max(5, Math.round(acv / rng.int(300, 900)));
    // Signals move together: one latent condition per customer drives usage, seats, logins, NPS,
    // contact and tickets (a struggling customer uses less and less, logs in rarely, answers NPS as
    // a detractor and opens more, and more urgent, tickets; a healthy one logs in, grows and answers
    // as a promoter). About 18% struggle (most of them read at risk), 22% are on watch; seat
    // utilisation is mostly below 90%.
    const condition = rng.next();
    const c: Condition = condition < 0.18 ? STRUGGLING : condition < 0.4 ? WATCH : HEALTHY;
    const util = c.util[0] + rng.next() * (c.util[1] - c.util[0]);
    const active = Math.max(0, Math.round(seats * util));
    const prevUsage = rng.int(200, 20_000);
    const drop = rng.chance(c.dropChance);
    if (drop) s.usageDrop++;
    const [lo, hi] = drop ? c.drop : c.change;
    const curUsage = Math.round(prevUsage * (1 + lo + rng.next() * (hi - lo)));
    // The product sync last wrote the usage figures 1–40 hours ago, or stopped 10–60 days ago.
    const staleUsage = rng.chance(0.07);
    if (staleUsage) s.staleUsage++;
    const syncedAt = Math.max(createdAt + HOUR, now - (staleUsage ? rng.int(10, 60) * DAY : rng.int(1, 40) * HOUR));
    const staleLogin = rng.chance(c.noLoginChance);
    if (staleLogin) s.staleLogin++;
    // A sync knows no login after its last run.
    const lastLogin = Math.min(midnight(syncedAt), today - (staleLogin ? rng.int(31, c.noLoginMaxDays) : rng.int(c.loginDays[0], c.loginDays[1])) * DAY);

    const props: Record<string, string> = {
      name: `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.pick(SUFFIX)} ${i + 1}`,
      domain: `company${i + 1}.example.com`,
      industry: rng.pick(INDUSTRIES),
      country: rng.pick(COUNTRIES),
      lifecyclestage: 'customer',
      annualrevenue: String(acv * rng.int(20, 80)),
      cs_acv: String(acv),
      cs_dedicated_csm_contract: dedicated ? 'true' : 'false',
      cs_contract_start_date: dayOf(start),
      cs_renewal_date: dayOf(renewal),
      cs_licensed_seats: String(seats),
      cs_active_users: String(active),
      cs_usage_current_period: String(curUsage),
      cs_usage_previous_period: String(prevUsage),
      cs_last_login_date: dayOf(lastLogin),
    };
    // Property history: when each value was set (HubSpot keeps a timestamp per value). The sync's
    // figures carry the sync time; the previous period rolled at the start of the sync's month; the
    // login date was written by the first sync after the login; renewal date, ACV and seats were
    // rewritten at the last renewal. Values not named here were set when the company was created.
    const setAt: Record<string, number> = {
      cs_usage_current_period: syncedAt,
      cs_active_users: syncedAt,
      cs_usage_previous_period: Math.min(syncedAt, Math.max(createdAt + HOUR, monthOf(syncedAt) + 2 * HOUR)),
      cs_last_login_date: Math.min(syncedAt, Math.max(createdAt + HOUR, lastLogin + 18 * HOUR)),
    };
    if (syncDates) {
      props.cs_usage_updated_at = isoOfMs(syncedAt);
      setAt.cs_usage_updated_at = syncedAt;
    }
    let modifiedAt = Math.max(createdAt, syncedAt);
    // Only contracts older than a year were renewed (the anniversary a year before the next one).
    if (startDaysAgo > 365) {
      const renewedAt = previousAnniversary(renewal) + 9 * HOUR;
      if (renewedAt > createdAt && renewedAt <= now) {
        setAt.cs_renewal_date = renewedAt;
        setAt.cs_acv = renewedAt;
        setAt.cs_licensed_seats = renewedAt;
        if (renewedAt > modifiedAt) modifiedAt = renewedAt;
      }
    }
    if (acv >= 100_000 || dedicated) {
      const o = rng.pick(salesIds);
      props.hubspot_owner_id = o;
    }
    if (rng.chance(0.25)) s.npsMissing++;
    else {
      const detractor = rng.chance(c.detractorChance);
      if (detractor) s.detractors++;
      props.cs_nps_score = String(detractor ? rng.int(c.detractorRange[0], 6) : rng.chance(c.promoterChance) ? rng.int(9, 10) : rng.int(7, 8));
      // Quarterly in-app surveys (seed 003): most answers are recent, some are a year old.
      // Never before the customer existed; the answer is synced the day it is given.
      const npsDay = Math.max(midnight(createdAt) + DAY, today - (rng.chance(0.8) ? rng.int(3, 100) : rng.int(101, 400)) * DAY);
      const answeredAt = Math.min(now, npsDay + rng.int(8, 20) * HOUR);
      setAt.cs_nps_score = answeredAt;
      if (syncDates) {
        props.cs_nps_date = dayOf(npsDay);
        setAt.cs_nps_date = answeredAt;
      }
      if (answeredAt > modifiedAt) modifiedAt = answeredAt;
    }
    const contact = rng.next();
    if (contact < 0.08) {
      // never contacted: no value
    } else {
      const stale = contact < c.staleContactChance;
      if (stale) s.staleContact++;
      const touched = Math.max(createdAt + HOUR, now - (stale ? rng.int(46, 200) : rng.int(0, 44)) * DAY - rng.int(0, 86_000) * 1000);
      props.notes_last_contacted = isoOfMs(touched);
      setAt.notes_last_contacted = touched;
      if (touched > modifiedAt) modifiedAt = touched;
    }
    if (rng.chance(0.15)) {
      s.withSkills++;
      const a = rng.pick(SKILLS);
      const b = rng.chance(0.3) ? rng.pick(SKILLS) : a;
      props.cs_required_skills = a === b ? a : [a, b].sort().join(';');
    }
    if (rng.chance(0.02)) {
      s.malformed++;
      const [prop, value] = rng.pick(MALFORMED);
      // Without sync dates a bad sync date cannot be: the company keeps its good values.
      if (syncDates || prop !== 'cs_usage_updated_at') props[prop] = value;
    }
    const company = store.insertRaw('companies', props, createdAt, modifiedAt, setAt);

    // Tickets: struggling customers open more of them, keep more open and more of them urgent.
    const r = rng.next() * 2 * ticketRate * c.ticketRate;
    const tickets = Math.floor(r + (rng.next() < r % 1 ? 1 : 0));
    for (let t = 0; t < tickets; t++) {
      const open = rng.chance(c.openChance);
      const pr = rng.next();
      const priority = pr < c.urgentChance ? 'URGENT' : pr < c.urgentChance + 0.15 ? 'HIGH' : pr < 0.6 ? 'MEDIUM' : 'LOW';
      const tCreated = now - rng.int(1, 300) * DAY;
      const tprops: Record<string, string> = {
        subject: `Ticket ${t + 1} for ${props.name ?? ''}`,
        content: open ? 'Customer reports a problem.' : 'Resolved.',
        hs_pipeline: '0',
        hs_pipeline_stage: open ? rng.pick(['1', '2', '3']) : '4',
        hs_ticket_priority: priority,
        hs_ticket_category: rng.pick(['PRODUCT_ISSUE', 'BILLING_ISSUE', 'FEATURE_REQUEST', 'GENERAL_INQUIRY']),
      };
      if (!open) tprops.closed_date = isoOfMs(tCreated + rng.int(1, 20) * DAY);
      const ticket = store.insertRaw('tickets', tprops, tCreated);
      store.associate('tickets', ticket.id, 'companies', company.id);
      s.tickets++;
    }
  }

  seedContacts(store, seed, now, options.contactsPerCompany ?? 1);

  const poolConfig: PoolConfig = { queueId: null, members: pool };
  store.meta = { ...store.meta, seed: { seed, companies: n, csms, now }, poolConfig };
  return { store, poolConfig, summary: s };
}

const CONTACT_FIRST = ['Ana', 'Ben', 'Chloé', 'Dev', 'Elif', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kemi', 'Lars', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tara'] as const;
const CONTACT_LAST = ['Adler', 'Brennan', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Laurent', 'Moreau', 'Novak', 'Okafor', 'Patel'] as const;
const CONTACT_ROLES = ['Head of Operations', 'IT Admin', 'VP Customer Experience', 'Product Owner', 'CFO', 'Team Lead', 'Champion', null] as const;

/**
 * Contacts for every company: about `perCompany` each (0–3), the first one primary, with a role
 * and a last engagement date. A separate random stream, so the companies and tickets stay the same
 * as without contacts.
 */
function seedContacts(store: CrmStore, seed: number, now: number, perCompany: number): void {
  if (perCompany <= 0) return;
  const rng = createRng((seed ^ 0x5eed) >>> 0);
  for (const company of [...store.objects.companies.values()]) {
    if (store.associated('companies', company.id, 'contacts').length > 0) continue;
    const r = rng.next() * 2 * perCompany;
    const count = Math.min(3, Math.floor(r + (rng.next() < r % 1 ? 1 : 0)));
    const domain = (company.props.domain ?? `company${company.id}.example.com`).replace(/^www\./, '');
    for (let i = 0; i < count; i++) {
      const first = rng.pick(CONTACT_FIRST);
      const last = rng.pick(CONTACT_LAST);
      const role = rng.pick(CONTACT_ROLES);
      const props: Record<string, string> = {
        firstname: first,
        lastname: last,
        email: `${first === 'Chloé' ? 'chloe' : first.toLowerCase()}.${last.toLowerCase()}@${domain}`,
      };
      if (role !== null) props.jobtitle = role;
      if (rng.chance(0.85)) props.notes_last_contacted = isoOfMs(now - rng.int(0, 120) * DAY - rng.int(0, 86_000) * 1000);
      const contact = store.insertRaw('contacts', props, company.createdAt);
      // The first contact of a company is its primary one (the local CRM's rule when none is marked).
      store.associate('contacts', contact.id, 'companies', company.id);
    }
  }
}
