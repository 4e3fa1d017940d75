/** The few lines the `report` command prints after writing the HTML: what a manager looks at first. */
import type { PortfolioReport } from '../app';

const n = (x: number): string => x.toLocaleString('en-US');

/**
 * @example
 * reportHeadline(report)
 * // 'Escalations: 7 named accounts at risk, 65 urgent tasks open, 36 created today over capacity\n…'
 */
export function reportHeadline(r: PortfolioReport): string {
  const lines: string[] = [];
  const e = r.escalations;
  if (e) lines.push(`Escalations: ${n(e.namedAtRiskCount)} named accounts at risk, ${n(e.noAnswerCalls.open)} open calls after no answer, ${n(e.urgentOpen)} urgent tasks open, ${n(e.overCapacityToday)} created today over capacity`);
  if (r.renewalsAtRisk) lines.push(`Renewals in the next ${r.renewalsAheadDays ?? 90} days at risk or unknown: ${n(r.renewalsAtRisk.length)}`);
  const b = r.backlog;
  const oldest = (b?.oldest?.daysWaiting ?? 0) > 0 ? `oldest ${n(b?.oldest?.daysWaiting ?? 0)} days` : 'nothing has waited a full day yet';
  if (b) lines.push(b.count === 0 ? 'Backlog: nothing waits' : `Backlog: ${n(b.count)} tasks waiting (${n(b.companies)} companies), ${oldest}${b.oldest ? ` (${(b.oldest.daysWaiting ?? 0) > 0 ? '' : 'e.g. '}${b.oldest.companyName})` : ''}`);
  const d = r.digitalTouches;
  if (d) lines.push(`Digital touches in the period: ${n(d.count)}${d.byType.length > 0 ? ` — ${d.byType.map((t) => `${t.label} ${n(t.count)}`).join(', ')}` : ''}`);
  if (r.dataIssues.count > 0) lines.push(`Bad values read from HubSpot: ${n(r.dataIssues.count)} (listed by company in the report)`);
  return lines.join('\n');
}
