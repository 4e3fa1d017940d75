/**
 * The card rendered from REAL function results: `hubspot.serverless('card-data', …)` is answered by
 * the real `card-data` main running against the seeded local CRM server, with the parameters the
 * card sent. What a CSM sees (score, band, day N, CSM name) must match the data in HubSpot.
 */
import { LoadingSpinner, StatisticsItem, StatusTag, Text, ProgressBar, Alert } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { CardData, FunctionResult } from '../../src/app/view-models';
import { main as assignOnboardingCsm } from '../../functions/assign-onboarding-csm';
import { main as cardData } from '../../functions/card-data';
import { main as graduateNow } from '../../functions/graduate-now';
import { main as recomputeHealth } from '../../functions/recompute-health';
import { companies, dayOf, isOnboarding, isPartial, startFunctionsEnv, type FunctionsEnv } from '../../functions/test/local-crm';
import { mockServerless, until } from '../test-utils';
import { CompanyHealthCard } from './CompanyHealthCard';
import { bandLabel, formatScore } from './view-model';

let env: FunctionsEnv;
beforeAll(async () => {
  env = await startFunctionsEnv();
});
afterAll(async () => {
  await env.stop();
});
afterEach(() => jest.restoreAllMocks());

/** Serves every uid from the real functions (card-data; actions are not used here). */
function serveReal() {
  return mockServerless((uid, parameters) => {
    if (uid === 'card-data') return cardData({ parameters, propertiesToSend: {} });
    return { ok: false, error: { code: 'unexpected', message: `unexpected call ${uid}` } };
  });
}

async function renderFor(companyId: string) {
  const server = serveReal();
  const renderer = createRenderer('crm.record.tab');
  const context = { ...renderer.mocks.context, crm: { ...renderer.mocks.context.crm, objectId: Number(companyId) } };
  renderer.render(<CompanyHealthCard context={context} actions={renderer.mocks.actions} />);
  await until(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull(), 5000);
  // What the card received, for comparing with what it shows.
  const result = (await server.spy.mock.results[0]?.value) as FunctionResult<CardData>;
  if (!result.ok) throw new Error(`card-data failed: ${result.error.message}`);
  expect(server.calls('card-data')).toEqual([{ companyId }]);
  return { ...renderer, card: result.data };
}

function pick(predicate: (p: Record<string, string>) => boolean, skip = 0): { id: string; props: Record<string, string> } {
  const c = companies(env.crm, predicate)[skip];
  if (!c) throw new Error('seed has no such company');
  return c;
}

describe('CompanyHealthCard from real card-data results', () => {
  it('onboarding company: score, band, day N of 90 and the onboarding CSM name', async () => {
    // No required skill: the seed's pool may have nobody with a rare pair of skills.
    const company = pick((p) => isOnboarding(p) && !p['cs_onboarding_csm'] && !p['cs_required_skills']);
    const assigned = await assignOnboardingCsm({ parameters: { companyId: company.id } });
    if (!assigned.ok) throw new Error(assigned.error.message);
    await recomputeHealth({ parameters: { companyId: company.id } });
    const owner = env.crm.store.owners.find((o) => o.id === assigned.data.ownerId);
    const { findByTestId, card } = await renderFor(company.id);

    const stored = env.crm.store.get('companies', Number(company.id))?.props ?? {};
    expect(card.health.score === null ? '' : String(card.health.score)).toBe(stored['cs_health_score']);
    expect(findByTestId(StatisticsItem, 'health-score').props.number).toBe(formatScore(card.health.score));
    expect(findByTestId(StatusTag, 'health-band').text).toBe(bandLabel(stored['cs_health_band'] as CardData['health']['band']));
    expect(findByTestId(ProgressBar, 'day-progress').props.valueDescription).toBe(`Day ${dayOf(company.props)} of 90`);
    expect(findByTestId(Text, 'csm').text).toBe(`${owner?.firstName ?? ''} ${owner?.lastName ?? ''}`.trim());
    expect(findByTestId(StatusTag, 'stage').text).toBe('Onboarding');
  });

  it('graduated company: the stage says graduated and there is no day counter', async () => {
    const company = pick(isOnboarding, 4);
    const g = await graduateNow({ parameters: { companyId: company.id, reason: 'All milestones met early' } });
    if (!g.ok) throw new Error(g.error.message);
    const { findByTestId, maybeFind, card } = await renderFor(company.id);
    expect(card.lifecycle.stage).toBe('graduated');
    expect(findByTestId(StatusTag, 'stage').text).toBe('Graduated');
    expect(maybeFind(ProgressBar)).toBeNull();
    expect(findByTestId(Text, 'graduation-date').text).toContain('2026');
  });

  it('partial data: the unknown signals are listed as missing, named on the card only when they could change the band', async () => {
    const company = pick(isPartial);
    const { findByTestId, maybeFindByTestId, card } = await renderFor(company.id);
    const unknown = card.health.signals.filter((s) => s.status === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    // Every unknown signal is listed as missing (stale ones are listed too, with their age).
    expect(card.health.missing.map((m) => m.label)).toEqual(expect.arrayContaining(unknown.map((s) => s.label)));
    const alert = maybeFindByTestId(Alert, 'missing-alert');
    if (card.health.unknownMatters) expect(alert?.props.title).toBe('Missing data could change the band');
    else expect(alert).toBeNull();
    expect(findByTestId(Text, 'health-footnote').text).toContain(`${card.health.coverage}% of the weight`);
    expect(findByTestId(StatusTag, 'health-band').text).toBe(bandLabel(card.health.band));
  });
});
