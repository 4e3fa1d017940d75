/**
 * The card as CSMs meet it, from REAL card data: the local CRM server is seeded, a few companies
 * are shaped into the situations below (by their input properties only), one portfolio sweep
 * runs, and the card is rendered from the real `card-data` function. Each scenario asserts the
 * order (the next action before the facts, the facts before health, health before history) and
 * the words (no rule ids, no raw ISO dates, no midnight times).
 */
import { LoadingSpinner, StatusTag, Alert, Flex, TableRow, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { CardData, FunctionResult } from '../../src/app/view-models';
import { main as cardData } from '../../functions/card-data';
import { NOW, companies, isOnboarding, startFunctionsEnv, sweepFunctionsEnv, tasksOf, type FunctionsEnv } from '../../functions/test/local-crm';
import { mockServerless, testIdOrder, textOf, until } from '../test-utils';
import { CompanyHealthCard } from './CompanyHealthCard';
import { associationsAnswer } from './fixtures';
import { PEOPLE_PROPERTIES, peopleFromAssociations, type AssociationRow } from './people';
import { bandLabel } from './view-model';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const SECTIONS = ['open-tasks', 'no-tasks', 'facts', 'health-band', 'history', 'history-none', 'people', 'people-none'];
const RULE_IDS = /\b(nps_detractor|usage_drop|no_login|risk_escalation|health_drop|no_touch|low_seat_utilisation|new_contract|usage_trend|seat_utilisation|login_recency)\b/;

let env: FunctionsEnv;
const picked: Record<string, string> = {};

function props(id: string): Record<string, string> {
  const p = env.crm.store.get('companies', Number(id))?.props;
  if (!p) throw new Error(`no company ${id}`);
  return p;
}

beforeAll(async () => {
  env = await startFunctionsEnv();
  const used = new Set<string>();
  const take = (pick: (p: Record<string, string>) => boolean): string => {
    const c = companies(env.crm, (p) => pick(p)).find((x) => !used.has(x.id));
    if (!c) throw new Error('seed has no such company');
    used.add(c.id);
    return c.id;
  };
  // Onboarding, day 12: the contract started 11 days before today (no required skill, so a CSM of the pool can take it).
  picked.day12 = take((p) => isOnboarding(p) && !p['cs_required_skills']);
  Object.assign(props(picked.day12), { cs_contract_start_date: isoDay(NOW - 11 * DAY) });
  // Onboarding overdue: tracked as onboarding, started 100 days ago, no login for 60 days (exit criteria unmet).
  picked.overdue = take(isOnboarding);
  Object.assign(props(picked.overdue), {
    cs_contract_start_date: isoDay(NOW - 100 * DAY),
    cs_onboarding_start_date: isoDay(NOW - 100 * DAY),
    cs_graduation_date: isoDay(NOW - 10 * DAY),
    cs_lifecycle_stage: 'onboarding',
    cs_last_login_date: isoDay(NOW - 60 * DAY),
  });
  // No data: every signal the product or a survey would give is empty.
  picked.noData = take((p) => !!p['cs_contract_start_date'] && p['cs_dedicated_csm_contract'] !== 'true');
  for (const k of ['cs_usage_current_period', 'cs_usage_previous_period', 'cs_licensed_seats', 'cs_active_users', 'cs_last_login_date', 'cs_nps_score', 'cs_nps_date', 'cs_usage_updated_at', 'notes_last_contacted']) {
    delete props(picked.noData)[k];
  }
  // Stale: the product last synced 40 days ago.
  picked.stale = take((p) => !!p['cs_usage_current_period'] && !!p['cs_licensed_seats'] && !!p['cs_last_login_date']);
  Object.assign(props(picked.stale), { cs_usage_updated_at: new Date(NOW - 40 * DAY).toISOString() });
  // Named account with a critical signal: an NPS detractor answered last week, on a seeded company whose
  // product data is good (usage not falling, most seats used, a login this week, fresh), so without the
  // cap its band would be better than the cap's: the cap is what holds it.
  const num = (p: Record<string, string>, k: string) => (p[k] === undefined || p[k] === '' ? NaN : Number(p[k]));
  picked.named = take(
    (p) =>
      num(p, 'cs_usage_current_period') >= num(p, 'cs_usage_previous_period') &&
      num(p, 'cs_usage_previous_period') > 0 &&
      num(p, 'cs_active_users') >= 0.8 * num(p, 'cs_licensed_seats') &&
      !!p['cs_last_login_date'] &&
      NOW - Date.parse(p['cs_last_login_date']) <= 7 * DAY &&
      (!p['cs_usage_updated_at'] || NOW - Date.parse(p['cs_usage_updated_at']) <= 7 * DAY),
  );
  Object.assign(props(picked.named), { cs_acv: '180000', cs_nps_score: '3', cs_nps_date: isoDay(NOW - 7 * DAY) });

  await sweepFunctionsEnv(env, { unitSize: 100 });
}, 60_000);
afterAll(async () => {
  await env.stop();
});
afterEach(() => jest.restoreAllMocks());

const openTasks = (id: string) => tasksOf(env.crm, id).filter((t) => t['hs_task_status'] !== 'COMPLETED');
const find = (pick: (p: Record<string, string>, id: string) => boolean): string => {
  const c = companies(env.crm, () => true).find((x) => !Object.values(picked).includes(x.id) && pick(x.props, x.id));
  if (!c) throw new Error('no company after the sweep matches');
  return c.id;
};

/**
 * What HubSpot's useAssociations hook would give the card for the company's contacts, read from
 * the local CRM the way the platform reads them (v4 association types, then the contacts' properties).
 */
async function peopleRows(companyId: string): Promise<AssociationRow[]> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${env.crm.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${env.crm.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return (await res.json()) as { results: Array<Record<string, unknown>> };
  };
  const links = await post('/crm/v4/associations/companies/contacts/batch/read', { inputs: [{ id: companyId }] });
  const to = (links.results[0]?.['to'] ?? []) as Array<{ toObjectId: number; associationTypes: AssociationRow['associationTypes'] }>;
  if (to.length === 0) return [];
  const read = await post('/crm/v3/objects/contacts/batch/read', { inputs: to.map((t) => ({ id: String(t.toObjectId) })), properties: PEOPLE_PROPERTIES });
  const props = new Map(read.results.map((r) => [String(r['id']), r['properties'] as Record<string, string | null>]));
  return to.map((t) => ({ toObjectId: t.toObjectId, associationTypes: t.associationTypes, properties: props.get(String(t.toObjectId)) ?? {} }));
}

async function renderCard(companyId: string) {
  mockServerless((uid, parameters) => (uid === 'card-data' ? cardData({ parameters, propertiesToSend: {} }) : { ok: false, error: { code: 'unexpected', message: uid } }));
  const rows = await peopleRows(companyId);
  const r = createRenderer('crm.record.tab');
  r.mocks.useAssociations.willCall(() => associationsAnswer(rows));
  const context = { ...r.mocks.context, crm: { ...r.mocks.context.crm, objectId: Number(companyId) } };
  r.render(<CompanyHealthCard context={context} actions={r.mocks.actions} />);
  await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull(), 5000);
  const result = (await cardData({ parameters: { companyId }, propertiesToSend: {} })) as FunctionResult<CardData>;
  if (!result.ok) throw new Error(result.error.message);
  const text = textOf(r.getRootNode());
  return { ...r, card: result.data, text, people: peopleFromAssociations(rows) };
}

/** What every scenario must hold: act, then understand; words, not ids; one date format. */
function expectOrderAndWords(root: Parameters<typeof testIdOrder>[0], text: string): void {
  const order = testIdOrder(root, SECTIONS);
  expect(order.slice(0, 5)).toEqual([expect.stringMatching(/^(open-tasks|no-tasks)$/), 'facts', 'health-band', expect.stringMatching(/^history(-none)?$/), expect.stringMatching(/^people(-none)?$/)]);
  expect(text).not.toMatch(RULE_IDS);
  expect(text).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
  expect(text).not.toMatch(/00:00 UTC/);
  expect(text).not.toMatch(/NaN|undefined/);
}

describe('the card from real card data after a sweep', () => {
  it('healthy graduated: no exit criteria, graduated date in words, the band says healthy', async () => {
    const id = find((p) => p['cs_health_band'] === 'healthy' && p['cs_lifecycle_stage'] === 'graduated');
    const { getRootNode, findByTestId, maybeFindByTestId, card, text } = await renderCard(id);
    expectOrderAndWords(getRootNode(), text);
    expect(findByTestId(StatusTag, 'health-band').text).toBe('Healthy');
    expect(findByTestId(Text, 'fact-stage').text).toMatch(/^Graduated on \d{1,2} [A-Z][a-z]{2} \d{4}$/);
    expect(card.lifecycle.exitCriteria).toEqual([]);
    expect(maybeFindByTestId(Text, 'exit-criteria')).toBeNull();
  });

  it('at risk with three open tasks: three tasks first, each with Complete, then the facts', async () => {
    const id = find((p, cid) => p['cs_health_band'] === 'at_risk' && openTasks(cid).length === 3);
    const { getRootNode, findByTestId, card, text } = await renderCard(id);
    expectOrderAndWords(getRootNode(), text);
    expect(card.playbooks.openTasks).toHaveLength(3);
    for (const t of card.playbooks.openTasks) expect(textOf(findByTestId(TableRow, `task-${t.id}`))).toMatch(/(Due|Overdue by) .*\d{4}|Due today/);
    expect(findByTestId(StatusTag, 'health-band').text).toBe('At risk');
    expect(findByTestId(Text, 'task-count').text).toBe('3 open CS tasks (at most 3 at a time)');
  });

  it('onboarding, day 12: the stage fact says day 12 of 90 and the onboarding tasks lead', async () => {
    const { getRootNode, findByTestId, card, text } = await renderCard(picked.day12 as string);
    expectOrderAndWords(getRootNode(), text);
    expect(card.lifecycle.day).toBe(12);
    expect(findByTestId(Text, 'fact-stage').text).toBe('Onboarding, day 12 of 90');
    expect(findByTestId(Text, 'fact-csm').text).not.toBe('Not assigned');
    // The plan's steps: day 0 and day 3 were more than 7 days late when the app first saw the company
    // (skipped, with the reason), day 7 has its open task, day 14 is due in 3 days.
    const steps = Object.fromEntries(card.lifecycle.steps.map((s) => [s.step, s]));
    expect(card.lifecycle.steps.map((s) => s.state)).toEqual(['skipped', 'skipped', 'open', 'upcoming']);
    const day7 = openTasks(picked.day12 as string).find((t) => (t['hs_task_body'] ?? '').includes(':onboarding:day7:'));
    expect(day7).toBeDefined();
    expect(steps['day14']?.dueDate).toBe(isoDay(NOW + 3 * DAY));
    const row = (step: string) => textOf(findByTestId(Flex, `step-${step}`));
    for (const step of ['day0', 'day3']) expect(row(step)).toMatch(/Skipped: no task was created within 7 days of its day/);
    expect(row('day7')).toMatch(/^Open task.*Invite to the onboarding webinar\. Open task, due \d{1,2} [A-Z][a-z]{2} \d{4}\.$/);
    expect(row('day14')).toMatch(/Success call\. Due on \d{1,2} [A-Z][a-z]{2} \d{4}\.$/);
  });

  it('onboarding overdue: the stage says overdue and the days are counted', async () => {
    const { getRootNode, findByTestId, card, text } = await renderCard(picked.overdue as string);
    expectOrderAndWords(getRootNode(), text);
    expect(card.lifecycle.stage).toBe('onboarding_overdue');
    expect(findByTestId(Text, 'fact-stage').text).toMatch(/^Onboarding overdue, day \d+ of 90$/);
  });

  it('no data: the band is unknown and the missing signals are named with how to get them', async () => {
    const { getRootNode, findByTestId, card, text } = await renderCard(picked.noData as string);
    expectOrderAndWords(getRootNode(), text);
    expect(card.health.band).toBe('unknown');
    const alert = findByTestId(Alert, 'missing-alert');
    for (const signal of ['Usage trend', 'Seat utilisation', 'Last login', 'NPS', 'Last touch']) expect(textOf(alert)).toMatch(new RegExp(`${signal}( \\([^)]*\\))?: `));
    expect(findByTestId(StatusTag, 'health-band').text).toBe(card.health.score === null ? 'No data yet' : 'Unknown');
    expect(findByTestId(Text, 'fact-touch').text).toBe('Never');
  });

  it('stale data: the product signals are marked stale with their age', async () => {
    const { getRootNode, findByTestId, text } = await renderCard(picked.stale as string);
    expectOrderAndWords(getRootNode(), text);
    const usage = textOf(findByTestId(TableRow, 'signal-usage_trend'));
    expect(usage).toContain('Stale');
    expect(usage).toContain('data is 40 days old');
  });

  it("a task the sweep created for a company with a primary contact is linked to that contact in HubSpot, and the card names them", async () => {
    const store = env.crm.store;
    const id = find((_p, cid) => openTasks(cid).length > 0 && store.associated('companies', Number(cid), 'contacts').length > 0);
    const taskIds = store.associated('companies', Number(id), 'tasks').filter((t) => store.get('tasks', t)?.props['hs_task_status'] !== 'COMPLETED');
    const linked = taskIds.map((t) => store.associated('tasks', t, 'contacts'));
    // The sweep linked every open task to the company's primary contact (the first one, by the local CRM's rule).
    const primary = store.associated('companies', Number(id), 'contacts')[0];
    for (const l of linked) expect(l).toEqual([primary]);
    const { getRootNode, findByTestId, card, text, people } = await renderCard(id);
    expectOrderAndWords(getRootNode(), text);
    // The People section (HubSpot's hook) has the primary contact first, with its label.
    const person = people.find((p) => p.id === String(primary));
    expect(person?.primary).toBe(true);
    expect(people[0]?.id).toBe(String(primary));
    expect(textOf(findByTestId(TableRow, `person-${String(primary)}`))).toContain(`${person?.name ?? '?'} Primary`);
    for (const t of card.playbooks.openTasks) {
      expect(t.linkedContactIds).toEqual([String(primary)]);
      expect(findByTestId(Text, `task-contact-${t.id}`).text).toBe(`Linked to: ${person?.name ?? ''}`);
    }
  });

  it('a company without contacts: its tasks are linked to the company only and name no contact', async () => {
    const store = env.crm.store;
    const id = find((_p, cid) => openTasks(cid).length > 0 && store.associated('companies', Number(cid), 'contacts').length === 0);
    for (const t of store.associated('companies', Number(id), 'tasks')) {
      expect(store.associated('tasks', t, 'contacts')).toEqual([]);
      expect(store.associated('tasks', t, 'companies')).toEqual([Number(id)]);
    }
    const { getRootNode, findByTestId, maybeFindByTestId, card, text } = await renderCard(id);
    expectOrderAndWords(getRootNode(), text);
    expect(findByTestId(Text, 'people-none').text).toBe('No contact is associated with this company.');
    for (const t of card.playbooks.openTasks) {
      expect(t.linkedContactIds).toEqual([]);
      expect(maybeFindByTestId(Text, `task-contact-${t.id}`)).toBeNull();
    }
  });

  it('named account with an NPS detractor and good product data: named, not healthy, and the card names the cap with the detractor', async () => {
    const { getRootNode, findByTestId, card, text } = await renderCard(picked.named as string);
    expectOrderAndWords(getRootNode(), text);
    expect(findByTestId(Text, 'fact-segment').text).toBe('Named');
    expect(findByTestId(Text, 'fact-arr').text).toBe('$180,000');
    expect(textOf(findByTestId(TableRow, 'signal-nps'))).toMatch(/\b3\b/);
    expect(card.health.band).not.toBe('healthy');
    expect(card.health.cap).not.toBeNull();
    const band = card.health.cap?.band ?? 'healthy';
    expect(['watch', 'at_risk']).toContain(band);
    expect(findByTestId(StatusTag, 'health-band').text).toBe(bandLabel(band));
    const title = String(findByTestId(Alert, 'health-cap').props.title);
    expect(title).toMatch(new RegExp(`^Capped at ${bandLabel(band)}: `));
    expect(title).toMatch(/NPS detractor: 3 on \d{1,2} [A-Z][a-z]{2} \d{4}/);
  });
});
