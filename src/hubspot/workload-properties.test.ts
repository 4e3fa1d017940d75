import { defaultConfig, parseConfig } from '../core';
import { parseCompany } from './company-parser';
import { parseWorkload, workloadPropertyDefinitions, workloadWrites, WORKLOAD_PROPERTIES, WORKLOAD_READ_PROPERTIES } from './workload-properties';

describe('parseWorkload', () => {
  it('engagement is the newest of the three HubSpot timestamps (ISO or epoch ms)', () => {
    const r = parseWorkload({
      notes_last_contacted: '2026-11-01T10:00:00Z',
      notes_last_updated: String(Date.parse('2026-11-20T08:00:00Z')),
      hs_last_sales_activity_timestamp: '2026-11-10T00:00:00.000Z',
    });
    expect(r.lastEngagedAt).toBe('2026-11-20T08:00:00.000Z');
  });

  it('blank, missing or malformed timestamps are unknown, never "now"', () => {
    expect(parseWorkload({}).lastEngagedAt).toBeNull();
    expect(parseWorkload({ notes_last_updated: '', hs_last_sales_activity_timestamp: 'NaN', notes_last_contacted: '2024-13-45' }).lastEngagedAt).toBeNull();
    expect(parseWorkload({ notes_last_updated: 'garbage', notes_last_contacted: '2026-11-01T10:00:00Z' }).lastEngagedAt).toBe('2026-11-01T10:00:00.000Z');
  });

  it('reads the backlog lines and drops blanks', () => {
    expect(parseWorkload({ cs_playbook_backlog: 'cs:1:renewal:d60:2027-01-31@2026-11-20\n\n  \r\ncs:1:no_login:reengage:2026-W48@2026-11-24' }).playbookBacklog).toEqual([
      'cs:1:renewal:d60:2027-01-31@2026-11-20',
      'cs:1:no_login:reengage:2026-W48@2026-11-24',
    ]);
  });

  it('parseCompany carries both onto the account', () => {
    const { account } = parseCompany({ id: '9', properties: { cs_playbook_backlog: 'cs:9:no_touch:check_in:2026-W48@2026-11-25', notes_last_updated: '2026-11-21T10:00:00Z' } });
    expect(account.playbookBacklog).toEqual(['cs:9:no_touch:check_in:2026-W48@2026-11-25']);
    expect(account.lastEngagedAt).toBe('2026-11-21T10:00:00.000Z');
  });
});

describe('workloadWrites', () => {
  const now = new Date('2026-11-30T09:00:00Z');
  it('writes the backlog (and its oldest day and priority) only when it changed', () => {
    expect(workloadWrites({ backlog: { current: ['a@2026-11-20'], next: ['a@2026-11-20'], oldestSince: '2026-11-20', topPriority: 300 } })).toEqual({});
    expect(workloadWrites({ backlog: { current: [], next: ['a@2026-11-30'], oldestSince: '2026-11-30', topPriority: 312.5 } })).toEqual({ cs_playbook_backlog: 'a@2026-11-30', cs_backlog_since: '2026-11-30', cs_backlog_priority: '312.5' });
    expect(workloadWrites({ backlog: { current: ['a@2026-11-20'], next: [], oldestSince: null, topPriority: null } })).toEqual({ cs_playbook_backlog: '', cs_backlog_since: '', cs_backlog_priority: '' });
  });

  it('without a current backlog the backlog is written as given (the dispatch after creating tasks)', () => {
    expect(workloadWrites({ backlog: { next: ['a@2026-11-20'], oldestSince: '2026-11-20', topPriority: 0 } })).toEqual({ cs_playbook_backlog: 'a@2026-11-20', cs_backlog_since: '2026-11-20', cs_backlog_priority: '0' });
    expect(workloadWrites({ backlog: { next: [], oldestSince: null, topPriority: 7 } })).toEqual({ cs_playbook_backlog: '', cs_backlog_since: '', cs_backlog_priority: '' });
    expect(workloadWrites({})).toEqual({});
  });

  it('a digital touch writes its type and when', () => {
    expect(workloadWrites({ touch: { touchType: 'check_in', at: now.toISOString() } })).toEqual({ cs_digital_touch: 'check_in', cs_digital_touch_at: '2026-11-30T09:00:00.000Z' });
  });

  it('digital touches held for a later day: written only when the number changed, blank for none; read back as a whole number ≥ 1, anything else as none', () => {
    expect(workloadWrites({ waiting: { current: 0, next: 2 } })).toEqual({ cs_digital_waiting: '2' });
    expect(workloadWrites({ waiting: { current: 2, next: 0 } })).toEqual({ cs_digital_waiting: '' });
    expect(workloadWrites({ waiting: { current: 1, next: 1 } })).toEqual({});
    expect(parseWorkload({ cs_digital_waiting: '3' }).digitalWaiting).toBe(3);
    for (const raw of ['', '0', '-1', '1.5', 'two', null, undefined]) expect(parseWorkload({ cs_digital_waiting: raw }).digitalWaiting).toBeUndefined();
  });

  it('the next follow-up day: written only when it changed, blank for none; read back from a date (or HubSpot\'s midnight epoch ms), anything else as none', () => {
    expect(workloadWrites({ followUpDue: { current: null, next: '2026-11-30' } })).toEqual({ cs_digital_follow_up_due: '2026-11-30' });
    expect(workloadWrites({ followUpDue: { current: '2026-11-30', next: null } })).toEqual({ cs_digital_follow_up_due: '' });
    expect(workloadWrites({ followUpDue: { current: '2026-11-30', next: '2026-11-30' } })).toEqual({});
    expect(parseWorkload({ cs_digital_follow_up_due: '2026-11-30' }).digitalFollowUpDue).toBe('2026-11-30');
    expect(parseWorkload({ cs_digital_follow_up_due: String(Date.UTC(2026, 10, 30)) }).digitalFollowUpDue).toBe('2026-11-30');
    for (const raw of ['', 'soon', null, undefined]) expect(parseWorkload({ cs_digital_follow_up_due: raw }).digitalFollowUpDue).toBeUndefined();
    expect(workloadPropertyDefinitions('customer_success').find((d) => d.name === 'cs_digital_follow_up_due')).toMatchObject({ type: 'date', fieldType: 'date' });
  });

  it('the day the risk-task cap ends: written only when it changed, blank for none; read back from a date or midnight epoch ms; read with the company', () => {
    expect(workloadWrites({ riskCapEnds: { current: null, next: '2026-12-20' } })).toEqual({ cs_risk_cap_ends: '2026-12-20' });
    expect(workloadWrites({ riskCapEnds: { current: '2026-12-20', next: null } })).toEqual({ cs_risk_cap_ends: '' });
    expect(workloadWrites({ riskCapEnds: { current: '2026-12-20', next: '2026-12-20' } })).toEqual({});
    expect(parseWorkload({ cs_risk_cap_ends: '2026-12-20' }).riskCapEnds).toBe('2026-12-20');
    expect(parseWorkload({ cs_risk_cap_ends: String(Date.UTC(2026, 11, 20)) }).riskCapEnds).toBe('2026-12-20');
    for (const raw of ['', 'later', null, undefined]) expect(parseWorkload({ cs_risk_cap_ends: raw }).riskCapEnds).toBeUndefined();
    expect(workloadPropertyDefinitions('customer_success').find((d) => d.name === 'cs_risk_cap_ends')).toMatchObject({ type: 'date', fieldType: 'date' });
    expect(WORKLOAD_READ_PROPERTIES).toContain('cs_risk_cap_ends');
  });

  it('the day a play held by its cooldown may fire again: written only when it changed, blank for none; read back; read with the company', () => {
    expect(workloadWrites({ cooldownEnds: { current: null, next: '2026-12-31' } })).toEqual({ cs_cooldown_ends: '2026-12-31' });
    expect(workloadWrites({ cooldownEnds: { current: '2026-12-31', next: null } })).toEqual({ cs_cooldown_ends: '' });
    expect(workloadWrites({ cooldownEnds: { current: '2026-12-31', next: '2026-12-31' } })).toEqual({});
    expect(parseWorkload({ cs_cooldown_ends: '2026-12-31' }).cooldownEnds).toBe('2026-12-31');
    expect(parseWorkload({ cs_cooldown_ends: String(Date.UTC(2026, 11, 31)) }).cooldownEnds).toBe('2026-12-31');
    for (const raw of ['', 'never', null, undefined]) expect(parseWorkload({ cs_cooldown_ends: raw }).cooldownEnds).toBeUndefined();
    expect(workloadPropertyDefinitions('customer_success').find((d) => d.name === 'cs_cooldown_ends')).toMatchObject({ type: 'date', fieldType: 'date' });
    expect(WORKLOAD_READ_PROPERTIES).toContain('cs_cooldown_ends');
  });

  it('the installer defines every property, the touch type as an enumeration of the config’s types', () => {
    const defs = workloadPropertyDefinitions('customer_success');
    expect(defs.map((d) => d.name).sort()).toEqual(Object.values(WORKLOAD_PROPERTIES).sort());
    const touch = defs.find((d) => d.name === 'cs_digital_touch');
    expect(touch?.options?.map((o) => o.value)).toEqual(expect.arrayContaining(Object.values(defaultConfig().channels.touchTypes)));
  });
});

describe('workload config', () => {
  it('rejects an unknown play, a bad channel and a bad touch type with the key path', () => {
    const bad = parseConfig({ channels: { plays: { renewals: { pooled: 'task', mid_pooled: 'task', named: 'task' } } } });
    expect(bad.ok).toBe(false);
    const channel = parseConfig({ channels: { plays: { no_touch: { pooled: 'email', mid_pooled: 'task', named: 'task' } } } });
    expect(channel.ok ? [] : channel.errors.map((e) => e.path)).toEqual(['channels.plays.no_touch.pooled']);
    const type = parseConfig({ channels: { touchTypes: { no_touch: 'sms' } } });
    expect(type.ok).toBe(false);
    const cap = parseConfig({ workload: { tasksPerDay: -1 } });
    expect(cap.ok ? [] : cap.errors.map((e) => e.path)).toEqual(['workload.tasksPerDay']);
    expect(parseConfig({ channels: { plays: { renewal_d45: { pooled: 'digital', mid_pooled: 'task', named: 'task' } } } }).ok).toBe(true);
  });
});
