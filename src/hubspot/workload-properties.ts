/**
 * Company properties of the workload (issue 14): the digital touch that HubSpot company workflows
 * enroll on, the backlog of human work waiting for capacity, and the engagement timestamps HubSpot
 * keeps on the company (read to decide whether a digital touch was answered).
 *
 * Engagement: HubSpot's default company properties "Last Contacted" (`notes_last_contacted`: the
 * last call, sales email or meeting logged with a contact), "Last Activity Date" (`notes_last_updated`:
 * the last note, call, email, meeting or task logged) and "Last Engagement Date"
 * (`hs_last_sales_activity_timestamp`: the last time a contact engaged, e.g. opened a sales email or
 * booked a meeting). See https://knowledge.hubspot.com/properties/hubspots-default-company-properties
 */
import { DIGITAL_TOUCH_TYPES, digitalTouchLabel, type IsoDate, type IsoDateTime } from '../core';
import type { WorkloadChange } from '../app/ports';

export const WORKLOAD_PROPERTIES = {
  digitalTouch: 'cs_digital_touch',
  digitalTouchAt: 'cs_digital_touch_at',
  backlog: 'cs_playbook_backlog',
  backlogSince: 'cs_backlog_since',
  backlogPriority: 'cs_backlog_priority',
  digitalWaiting: 'cs_digital_waiting',
  digitalFollowUpDue: 'cs_digital_follow_up_due',
  riskCapEnds: 'cs_risk_cap_ends',
  cooldownEnds: 'cs_cooldown_ends',
} as const;

/** HubSpot's own engagement timestamps on the company (read-only there). */
export const ENGAGEMENT_PROPERTIES = ['notes_last_contacted', 'notes_last_updated', 'hs_last_sales_activity_timestamp'] as const;

/** Every property this module reads. */
export const WORKLOAD_READ_PROPERTIES: readonly string[] = [WORKLOAD_PROPERTIES.backlog, WORKLOAD_PROPERTIES.digitalTouch, WORKLOAD_PROPERTIES.digitalTouchAt, WORKLOAD_PROPERTIES.digitalWaiting, WORKLOAD_PROPERTIES.digitalFollowUpDue, WORKLOAD_PROPERTIES.riskCapEnds, WORKLOAD_PROPERTIES.cooldownEnds, ...ENGAGEMENT_PROPERTIES];

/** Property definitions for the installer (group `customer_success`). */
export function workloadPropertyDefinitions(groupName: string) {
  return [
    {
      name: WORKLOAD_PROPERTIES.digitalTouch,
      label: 'CS digital touch',
      description: 'The latest automated 1:many touch the app asked for. Company workflows enroll on it and send the email. Written by the Customer Success app.',
      groupName,
      type: 'enumeration' as const,
      fieldType: 'select' as const,
      options: DIGITAL_TOUCH_TYPES.map((value, i) => ({ label: digitalTouchLabel(value), value, displayOrder: i, hidden: false })),
    },
    { name: WORKLOAD_PROPERTIES.digitalTouchAt, label: 'CS digital touch at', description: 'When the latest digital touch was asked for (re-enrollment trigger).', groupName, type: 'datetime' as const, fieldType: 'date' as const },
    {
      name: WORKLOAD_PROPERTIES.digitalWaiting,
      label: 'CS digital touches waiting',
      description: 'Digital touches due but held for a later day (one goes out per company per channels.minDaysBetweenTouches days, 7 by default); blank = none. Managed by the app.',
      groupName,
      type: 'number' as const,
      fieldType: 'number' as const,
    },
    {
      name: WORKLOAD_PROPERTIES.digitalFollowUpDue,
      label: 'CS digital follow-up due',
      description: 'The next day a digital touch comes due for its follow-up (a CSM task if the customer has not engaged); blank = none pending. Managed by the app.',
      groupName,
      type: 'date' as const,
      fieldType: 'date' as const,
    },
    {
      name: WORKLOAD_PROPERTIES.riskCapEnds,
      label: 'CS risk cap ends',
      description: 'The first day an open risk task stops holding the health band at watch (health.caps.risk_task.withinDays, 30 by default, after the newest risk task); blank = no risk task holds it. Managed by the app: an incremental sweep reads the companies whose day has come.',
      groupName,
      type: 'date' as const,
      fieldType: 'date' as const,
    },
    {
      name: WORKLOAD_PROPERTIES.cooldownEnds,
      label: 'CS play cooldown ends',
      description: 'The first day a play that fires for this company but is held by its cooldown (30 days for an at-risk escalation, by default) may fire again; blank = none held. Managed by the app: an incremental sweep reads the companies whose day has come.',
      groupName,
      type: 'date' as const,
      fieldType: 'date' as const,
    },
    { name: WORKLOAD_PROPERTIES.backlog, label: 'CS playbook backlog', description: 'Human work waiting for a CSM with capacity: key@waiting-since, oldest first. Managed by the app.', groupName, type: 'string' as const, fieldType: 'textarea' as const },
    { name: WORKLOAD_PROPERTIES.backlogPriority, label: 'CS backlog priority', description: 'Highest priority of the work waiting for this company (sort a view by it to see what comes next).', groupName, type: 'number' as const, fieldType: 'number' as const },
    { name: WORKLOAD_PROPERTIES.backlogSince, label: 'CS backlog since', description: 'Oldest day a task for this company has been waiting for capacity; blank = nothing waiting.', groupName, type: 'date' as const, fieldType: 'date' as const },
  ];
}

/** An instant from HubSpot (ISO or epoch ms); null when blank or malformed (unknown, never "now"). */
function instantMs(raw: string | null | undefined): number | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const v = raw.trim();
  const ms = /^\d{10,14}$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The workload fields of an account from raw company properties.
 * @example
 * parseWorkload({ cs_playbook_backlog: 'cs:1:renewal:d60:2027-01-31@2026-11-20', notes_last_updated: '2026-11-21T10:00:00Z' })
 * // { playbookBacklog: ['cs:1:renewal:d60:2027-01-31@2026-11-20'], lastEngagedAt: '2026-11-21T10:00:00.000Z' }
 * // (with cs_digital_touch_at set, also digitalTouchAt: that instant)
 */
export function parseWorkload(props: Record<string, string | null | undefined>): { playbookBacklog: string[]; lastEngagedAt: IsoDateTime | null; digitalTouchAt?: IsoDateTime; digitalWaiting?: number; digitalFollowUpDue?: IsoDate; riskCapEnds?: IsoDate; cooldownEnds?: IsoDate } {
  const raw = props[WORKLOAD_PROPERTIES.backlog] ?? '';
  const playbookBacklog = raw
    .split(/[\n;\r]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  let latest: number | null = null;
  for (const name of ENGAGEMENT_PROPERTIES) {
    const ms = instantMs(props[name]);
    if (ms !== null && (latest === null || ms > latest)) latest = ms;
  }
  const touchMs = instantMs(props[WORKLOAD_PROPERTIES.digitalTouchAt]);
  // Waiting touches: a whole number ≥ 1; blank, 0 or anything else = none recorded.
  const waitingRaw = (props[WORKLOAD_PROPERTIES.digitalWaiting] ?? '').trim();
  const waiting = /^\d{1,6}$/.test(waitingRaw) ? Number(waitingRaw) : 0;
  // A date property: YYYY-MM-DD, or epoch ms at UTC midnight; anything else = none recorded.
  const dueMs = instantMs(props[WORKLOAD_PROPERTIES.digitalFollowUpDue]);
  const capEndsMs = instantMs(props[WORKLOAD_PROPERTIES.riskCapEnds]);
  const cooldownMs = instantMs(props[WORKLOAD_PROPERTIES.cooldownEnds]);
  return {
    playbookBacklog,
    lastEngagedAt: latest === null ? null : new Date(latest).toISOString(),
    ...(touchMs !== null ? { digitalTouchAt: new Date(touchMs).toISOString() } : {}),
    ...(waiting > 0 ? { digitalWaiting: waiting } : {}),
    ...(dueMs !== null ? { digitalFollowUpDue: new Date(dueMs).toISOString().slice(0, 10) } : {}),
    ...(capEndsMs !== null ? { riskCapEnds: new Date(capEndsMs).toISOString().slice(0, 10) } : {}),
    ...(cooldownMs !== null ? { cooldownEnds: new Date(cooldownMs).toISOString().slice(0, 10) } : {}),
  };
}

/**
 * The property writes for a backlog and a digital touch, from the app's domain words: the backlog
 * (its text, oldest day, top priority) when given, unless a `current` backlog is given and equal;
 * the touch type and when it was asked for; the digital touches held for a later day when that
 * number changed (blank for none).
 * @example
 * workloadWrites({ backlog: { current: ['a@2026-11-20'], next: ['a@2026-11-20'], oldestSince: '2026-11-20', topPriority: 300 } }) // {}
 * workloadWrites({ waiting: { current: 2, next: 1 } }) // { cs_digital_waiting: '1' }
 * workloadWrites({ followUpDue: { current: null, next: '2026-11-30' } }) // { cs_digital_follow_up_due: '2026-11-30' }
 * workloadWrites({ riskCapEnds: { current: '2026-12-20', next: null } }) // { cs_risk_cap_ends: '' }
 */
export function workloadWrites(change: Pick<WorkloadChange, 'backlog' | 'touch' | 'waiting' | 'followUpDue' | 'riskCapEnds' | 'cooldownEnds'>): Record<string, string> {
  const out: Record<string, string> = {};
  const backlog = change.backlog;
  if (backlog !== undefined && (backlog.current === undefined || backlog.current.join('\n') !== backlog.next.join('\n'))) {
    out[WORKLOAD_PROPERTIES.backlog] = backlog.next.join('\n');
    out[WORKLOAD_PROPERTIES.backlogSince] = backlog.oldestSince ?? '';
    out[WORKLOAD_PROPERTIES.backlogPriority] = backlog.next.length === 0 || backlog.topPriority === null ? '' : String(backlog.topPriority);
  }
  if (change.touch !== undefined) {
    out[WORKLOAD_PROPERTIES.digitalTouch] = change.touch.touchType;
    out[WORKLOAD_PROPERTIES.digitalTouchAt] = change.touch.at;
  }
  const waiting = change.waiting;
  if (waiting !== undefined && waiting.current !== waiting.next) out[WORKLOAD_PROPERTIES.digitalWaiting] = waiting.next > 0 ? String(waiting.next) : '';
  const due = change.followUpDue;
  if (due !== undefined && due.current !== due.next) out[WORKLOAD_PROPERTIES.digitalFollowUpDue] = due.next ?? '';
  const capEnds = change.riskCapEnds;
  if (capEnds !== undefined && capEnds.current !== capEnds.next) out[WORKLOAD_PROPERTIES.riskCapEnds] = capEnds.next ?? '';
  const cooldown = change.cooldownEnds;
  if (cooldown !== undefined && cooldown.current !== cooldown.next) out[WORKLOAD_PROPERTIES.cooldownEnds] = cooldown.next ?? '';
  return out;
}
