/**
 * Bad values read from HubSpot, in words for people: the company's name first, then the value and
 * what is wrong with it ("Acme GmbH (id 42): ACV unreadable: '12,5k'").
 */
import type { RecordIssue } from '../core';

/** Examples kept per run (summary, report): enough to act on, bounded for the state file. */
export const ISSUE_EXAMPLES_MAX = 20;

/**
 * @example
 * describeIssue({ recordId: '42', property: 'cs_acv', value: '12,5k', message: "ACV unreadable: '12,5k'" }, 'Acme GmbH')
 * // "Acme GmbH (id 42): ACV unreadable: '12,5k'"
 */
export function describeIssue(issue: RecordIssue, name: string | null | undefined): string {
  const who = name && name.trim() !== '' ? `${name.trim()} (id ${issue.recordId})` : `company ${issue.recordId}`;
  return `${who}: ${issue.message}`;
}

/** The issues of a page of companies, described with the companies' names. */
export function describeIssues(issues: readonly RecordIssue[], accounts: ReadonlyArray<{ id: string; name: string | null }>): string[] {
  if (issues.length === 0) return [];
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  return issues.map((i) => describeIssue(i, names.get(i.recordId)));
}
