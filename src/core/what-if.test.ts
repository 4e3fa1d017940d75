import { defaultConfig } from './config';
import { makeAccount } from './test-support';
import { whatIf } from './what-if';

const now = new Date('2026-06-16T15:00:00Z');

describe('whatIf', () => {
  it('counts segment and band changes and tasks under each config, with examples', () => {
    const a = defaultConfig();
    const b = defaultConfig();
    b.segments.pooledBelow = 40_000;
    b.health.bands.healthy = 95;
    const accounts = [
      makeAccount({ id: '1', acv: 30_000, npsScore: 9, npsDate: '2026-06-01', openTickets: 0, lastContactedAt: '2026-06-10T00:00:00Z', licensedSeats: 10, activeUsers: 9, lastLoginDate: '2026-06-15', usageCurrentPeriod: 10, usagePreviousPeriod: 10 }),
      makeAccount({ id: '2', acv: 200_000 }),
    ];
    const r = whatIf(accounts, a, b, now, { examples: 1 });
    expect(r.accounts).toBe(2);
    expect(r.segmentChanged).toBe(1);
    expect(r.bandChanged).toBe(1);
    expect(r.bandMoves).toEqual({ 'healthy→watch': 1 });
    expect(r.examples).toHaveLength(1);
    expect(r.examples[0]).toMatchObject({ accountId: '1', segment: ['mid_pooled', 'pooled'] });
    expect(whatIf([], a, b, now)).toMatchObject({ accounts: 0, examples: [] });
  });
});
