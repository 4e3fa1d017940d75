/**
 * One HubSpot company record (search, batch read, get) → the domain `Account` plus the issues met.
 *
 * Missing and empty both mean unknown (null) with no issue; a malformed value ("NaN", "12,5",
 * "Infinity", "2024-13-45", an unknown option, negative seats) is null plus a `RecordIssue` naming
 * the value — never NaN, never a silent default.
 */
import { z } from 'zod';
import { HEALTH_BANDS, defaultConfig, LIFECYCLE_STAGES, SEGMENTS, type Account, type RecordIssue, type SegmentOverride, type HealthDropRecord, type HealthPeakRecord, type StoredTicketCounts } from '../core';
import { INPUT_PROPERTIES, SYSTEM_PROPERTIES, WRITTEN_PROPERTIES, propertyLabel, resolveProperty, type PropertyMap } from './company-properties';
import { splitLedgerText } from './playbook-ledger';
import { clip, parseBoolean, parseDateTimeValue, parseDateValue, parseEnum, parseMultiValue, parseNumber, parseOwnerId, parseWrittenDateValue, type Parsed } from './value-codecs';
import { parseWorkload } from './workload-properties';

/** Plausibility bounds: a value outside them is a data error (rejected, reported), not a figure. */
export interface ValueBounds {
  /** An ACV at or above this is rejected (config `segments.acvBelow`). */
  acvBelow: number;
}
export const DEFAULT_VALUE_BOUNDS: ValueBounds = { acvBelow: defaultConfig().segments.acvBelow };

/** A company as HubSpot returns it (search, batch read, get). */
export const rawCompanySchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable().optional()),
});
export type RawCompany = { id: string; properties: Record<string, string | null | undefined> };

/**
 * Parses one HubSpot company into an `Account` plus the issues met.
 *
 * @example
 * const { account, issues } = parseCompany({ id: '1', properties: { cs_acv: '12,5' } }, {});
 * // account.acv === null, issues[0].property === 'cs_acv'
 */
export function parseCompany(raw: RawCompany, propertyMap: PropertyMap = {}, bounds: ValueBounds = DEFAULT_VALUE_BOUNDS): { account: Account; issues: RecordIssue[] } {
  const issues: RecordIssue[] = [];
  const props = raw.properties;

  const read = <T>(property: string, parser: (raw: string) => Parsed<T>): T | null => {
    const value = props[property];
    if (value === null || value === undefined || value.trim() === '') return null;
    const parsed = parser(value.trim());
    if (parsed.ok) return parsed.value;
    // Present but bad is never the same as missing: the message names the value and what it is.
    const label = propertyLabel(property, propertyMap);
    const message = parsed.range ? `${label} rejected: ${parsed.message}` : `${label} unreadable: '${clip(value.trim())}'`;
    issues.push({ recordId: raw.id, property, value: clip(value), message });
    return null;
  };
  const text = (property: string): string | null => {
    const value = props[property];
    return value === null || value === undefined || value.trim() === '' ? null : value;
  };
  const input = (name: string): string => resolveProperty(name, propertyMap);
  const W = WRITTEN_PROPERTIES;
  const I = INPUT_PROPERTIES;

  // The open tickets the last evaluation counted: a record only when the count of open ones reads
  // (a company written before these properties existed has none, and its tickets are read).
  const storedTicketCounts = (): StoredTicketCounts | null => {
    const count = (v: string) => parseNumber(v, { min: 0 });
    const open = read(W.openTickets, count);
    const highPriority = read(W.openTicketsHighPriority, count);
    const urgent = read(W.openTicketsUrgent, count);
    return open === null ? null : { open, highPriority: highPriority ?? 0, urgent: urgent ?? 0 };
  };

  const storedHealthDrop = (): HealthDropRecord | null => {
    const from = read(W.healthDropFrom, (v) => parseNumber(v, { min: 0, max: 100 }));
    const on = read(W.healthDropOn, parseWrittenDateValue);
    return from === null || on === null ? null : { from, on };
  };

  const storedHealthPeak = (): HealthPeakRecord | null => {
    const score = read(W.healthPeak, (v) => parseNumber(v, { min: 0, max: 100 }));
    const on = read(W.healthPeakOn, parseWrittenDateValue);
    return score === null || on === null ? null : { score, on };
  };

  const overrideSegment = read(W.segmentOverride, parseEnum(SEGMENTS));
  const segmentOverride: SegmentOverride | null =
    overrideSegment === null
      ? null
      : { segment: overrideSegment, reason: text(W.segmentOverrideReason), expires: read(W.segmentOverrideExpires, parseWrittenDateValue) };

  const account: Account = {
    id: raw.id,
    name: text(SYSTEM_PROPERTIES.name),
    acv: read(input(I.acv), (v) => parseNumber(v, { min: 0, below: bounds.acvBelow })),
    dedicatedCsmContract: read(input(I.dedicatedCsmContract), parseBoolean),
    contractStartDate: read(input(I.contractStartDate), parseDateValue),
    renewalDate: read(input(I.renewalDate), parseDateValue),
    licensedSeats: read(input(I.licensedSeats), (v) => parseNumber(v, { min: 0 })),
    activeUsers: read(input(I.activeUsers), (v) => parseNumber(v, { min: 0 })),
    usageCurrentPeriod: read(input(I.usageCurrentPeriod), (v) => parseNumber(v, { min: 0 })),
    usagePreviousPeriod: read(input(I.usagePreviousPeriod), (v) => parseNumber(v, { min: 0 })),
    lastLoginDate: read(input(I.lastLoginDate), parseDateValue),
    npsScore: read(input(I.npsScore), (v) => parseNumber(v, { min: 0, max: 10 })),
    npsDate: read(input(I.npsDate), parseDateValue),
    usageUpdatedAt: read(input(I.usageUpdatedAt), parseDateTimeValue),
    lastContactedAt: read(input(I.lastContactedAt), parseDateTimeValue),
    requiredSkills: parseMultiValue(props[input(I.requiredSkills)]),
    openTickets: null,
    highPriorityTickets: null,
    modifiedAt: read(SYSTEM_PROPERTIES.modifiedAt, parseDateTimeValue),
    openCsTasks: null,

    segment: read(W.segment, parseEnum(SEGMENTS)),
    segmentReason: text(W.segmentReason),
    segmentOverride,
    healthScore: read(W.healthScore, (v) => parseNumber(v, { min: 0, max: 100 })),
    healthBand: read(W.healthBand, parseEnum(HEALTH_BANDS)),
    healthCoverage: read(W.healthCoverage, (v) => parseNumber(v, { min: 0, max: 100 })),
    healthSummary: text(W.healthSummary),
    healthComputedAt: read(W.healthComputedAt, parseDateTimeValue),
    lifecycleStage: read(W.lifecycleStage, parseEnum(LIFECYCLE_STAGES)),
    onboardingCsmId: read(W.onboardingCsmId, parseOwnerId),
    onboardingStartDate: read(W.onboardingStartDate, parseWrittenDateValue),
    graduationDate: read(W.graduationDate, parseWrittenDateValue),
    graduatedAt: read(W.graduatedAt, parseWrittenDateValue),
    lifecycleReason: text(W.lifecycleReason),
    configVersion: text(W.configVersion),
    playbookLedger: splitLedgerText(props[W.playbookLedger]),
    ticketCounts: storedTicketCounts(),
    healthDrop: storedHealthDrop(),
    healthPeak: storedHealthPeak(),
    healthDropHeadroom: read(W.healthDropHeadroom, (v) => parseNumber(v, { min: -100, max: 100 })),
    healthDropDue: read(W.healthDropDue, parseWrittenDateValue),
    healthStaleDue: read(W.healthStaleDue, parseWrittenDateValue),
    ...parseWorkload(props),
  };
  return { account, issues };
}
