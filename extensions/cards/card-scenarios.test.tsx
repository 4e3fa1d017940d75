/**
 * The card as CSMs meet it, from REAL card data: the local CRM server is seeded, a few companies
 * are shaped into the situations below (by their input properties only), one portfolio sweep
 * runs, and the card is rendered from the real `card-data` function. Each scenario asserts the
 * order (the next action before the facts, the facts before health, health before history) and
 * the words (no rule ids, no raw ISO dates, no midnight times).
 */
import { LoadingSpinner, StatusTag, Alert, TableRow, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { CardData, FunctionResult } from '../../src/app/view-models';
import { main as cardData } from '../../functions/card-data';
import { NOW, companies, isOnboarding, startFunctionsEnv, sweepFunctionsEnv, tasksOf, type FunctionsEnv } from '../../functions/test/local-crm';
import { mockServerless, testIdOrder, textOf, until } from '../test-utils';
import { CompanyHealthCard } from './CompanyHealthCard';
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
  // Onboarding, day 12: the contract started 11 days before today.
  picked.day12 = take(isOnboarding);
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
  // Named account with a critical signal: an NPS detractor answered last week.
  picked.named = take((p) => !!p['cs_usage_current_period'] && !!p['cs_licensed_seats']);
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

async function renderCard(companyId: string) {
  mockServerless((uid, parameters) => (uid === 'card-data' ? cardData({ parameters, propertiesToSend: {} }) : { ok: false, error: { code: 'unexpected', message: uid } }));
  const r = createRenderer('crm.record.tab');
  const context = { ...r.mocks.context, crm: { ...r.mocks.context.crm, objectId: Number(companyId) } };
  r.render(<CompanyHealthCard context={context} actions={r.mocks.actions} />);
  await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull(), 5000);
  const result = (await cardData({ parameters: { companyId }, propertiesToSend: {} })) as FunctionResult<CardData>;
  if (!result.ok) throw new Error(result.error.message);
  const text = textOf(r.getRootNode());
  return { ...r, card: result.data, text };
}

/** What every scenario must hold: act, then understand; words, not ids; one date format. */
function expectOrderAndWords(root: Parameters<typeof testIdOrder>[0], text: string): void {
  const order = testIdOrder(root, SECTIONS);
  expect(order.slice(0, 4)).toEqual([expect.stringMatching(/^(open-tasks|no-tasks)$/), 'facts', 'health-band', expect.stringMatching(/^history(-none)?$/)]);
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

  it('named account with an NPS detractor: named, the detractor in words; a cap, when the core applies one, is shown with its reason', async () => {
    const { getRootNode, findByTestId, maybeFindByTestId, card, text } = await renderCard(picked.named as string);
    expectOrderAndWords(getRootNode(), text);
    expect(findByTestId(Text, 'fact-segment').text).toBe('Named');
    expect(findByTestId(Text, 'fact-arr').text).toBe('$180,000');
    expect(textOf(findByTestId(TableRow, 'signal-nps'))).toMatch(/\b3\b/);
    const cap = maybeFindByTestId(Alert, 'health-cap');
    if (card.health.cap === null) expect(cap).toBeNull();
    else expect(cap?.props.title).toMatch(new RegExp(`^Capped at ${bandLabel(card.health.cap.band)}: `));
  });
});
