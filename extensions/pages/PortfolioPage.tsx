import {
  Alert,
  BarChart,
  Button,
  EmptyState,
  Flex,
  Heading,
  Link,
  LoadingSpinner,
  Statistics,
  StatisticsItem,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  hubspot,
} from '@hubspot/ui-extensions';
import { PageRoutes, PageTitle, createPageRouter } from '@hubspot/ui-extensions/pages';
import { createContext, useContext } from 'react';
import { HEALTH_BANDS, SEGMENTS, type BacklogSummary, type CoverageStatus, type DigitalTouchSummary, type Escalations, type MyDay, type PortfolioReport } from '../../src/app/view-models';
import { bandLabel, bandVariant, formatDateTime, formatDate, formatMoney, segmentLabel } from '../cards/view-model';
import { LoadFailed } from '../shared/LoadFailed';
import { useFunctionData } from '../shared/use-function-data';


const COVERAGE_TEXT: Record<CoverageStatus, string> = {
  below: 'Below benchmark',
  within: 'Within benchmark',
  above: 'Above benchmark',
  unknown: 'No benchmark',
};
const COVERAGE_VARIANT: Record<CoverageStatus, 'warning' | 'success' | 'danger' | 'default'> = {
  below: 'warning',
  within: 'success',
  above: 'danger',
  unknown: 'default',
};

/** `0.35` → '35%'; null → '—'. */
export const formatRate = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
/** '1:124' or '—'. */
export const formatRatio = (ratio: number | null): string => (ratio === null ? '—' : `1:${Math.round(ratio)}`);

function Count({ value, url }: { value: number; url: string | null }) {
  return url && value > 0 ? <Link href={{ url, external: true }}>{String(value)}</Link> : <Text>{String(value)}</Text>;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The CSM's share of the backlog, in words. */
export function myBacklogText(b: NonNullable<MyDay['backlog']>): string {
  const mine = b.mine === 0 ? 'No onboarding step waits for you' : `${plural(b.mine, 'onboarding step')} ${b.mine === 1 ? 'waits' : 'wait'} for you`;
  if (b.pool === 0) return `Backlog: ${mine}; nothing waits in the pool.`;
  const per = b.poolPerCsmToday === null ? 'nobody in the pool works today' : `about ${b.poolPerCsmToday.toLocaleString('en-US')} per CSM working today`;
  return `Backlog: ${mine}; the pool has ${plural(b.pool, 'task')} waiting, ${per}.`;
}

function CompanyLink({ name, url }: { name: string; url: string | null }) {
  return url ? <Link href={{ url, external: true }}>{name}</Link> : <Text>{name}</Text>;
}

/** What needs a manager's eye: named accounts at risk, calls after an unanswered digital touch, urgent work over capacity. */
export function EscalationsSection({ escalations: e }: { escalations: Escalations }) {
  const rows = [...e.namedAtRisk, ...e.noAnswerCalls.items];
  return (
    <Flex direction="column" gap="sm" testId="escalations">
      <Heading>Escalations</Heading>
      <Statistics testId="escalation-figures">
        <StatisticsItem label="Named accounts at risk" number={e.namedAtRiskCount} />
        <StatisticsItem label="Open calls after no answer" number={e.noAnswerCalls.open} />
        <StatisticsItem label="Urgent tasks open" number={e.urgentOpen} />
        <StatisticsItem label="Created today over capacity" number={e.overCapacityToday} />
      </Statistics>
      <Text variant="microcopy">{`Urgent: a renewal within ${e.renewalWithinDays} days or a named account at risk; created even over a CSM's daily capacity. ${plural(e.noAnswerCalls.created, 'call')} followed an unanswered digital touch in the period.`}</Text>
      {rows.length > 0 ? (
        <Table testId="escalation-list" bordered>
          <TableHead>
            <TableRow>
              <TableHeader>Company</TableHeader>
              <TableHeader>Why</TableHeader>
              <TableHeader>Health</TableHeader>
              <TableHeader>ARR</TableHeader>
              <TableHeader>Open CS tasks</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.slice(0, 25).map((x, i) => (
              <TableRow key={`${x.companyId}:${i}`} testId={`escalation-${x.companyId}`}>
                <TableCell>
                  <CompanyLink name={x.companyName} url={x.url} />
                </TableCell>
                <TableCell>{x.reason}</TableCell>
                <TableCell>
                  <StatusTag variant={bandVariant(x.band)}>{bandLabel(x.band)}</StatusTag>
                </TableCell>
                <TableCell>{formatMoney(x.arr)}</TableCell>
                <TableCell>{x.openTasks === 0 ? <Tag variant="error">None</Tag> : String(x.openTasks)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Flex>
  );
}

/** Human work waiting for capacity: its size, its oldest item, who it waits for. */
export function BacklogSection({ backlog: b }: { backlog: BacklogSummary }) {
  if (b.count === 0) {
    return (
      <Flex direction="column" gap="sm" testId="backlog">
        <Heading>Backlog</Heading>
        <Text testId="backlog-summary">Nothing waits: every task the rules want has been created.</Text>
      </Flex>
    );
  }
  const o = b.oldest;
  return (
    <Flex direction="column" gap="sm" testId="backlog">
      <Heading>Backlog</Heading>
      <Text testId="backlog-summary">{`${plural(b.count, 'task')} from ${plural(b.companies, 'company', 'companies')} wait for a CSM with capacity; they are created on the next working days, highest priority first.`}</Text>
      {o ? (
        <Text testId="backlog-oldest">
          {`Oldest: ${o.label}, waiting ${plural(o.daysWaiting, 'day')} (since ${formatDate(o.since)}) for `}
          {o.url ? <Link href={{ url: o.url, external: true }}>{o.companyName}</Link> : o.companyName}
        </Text>
      ) : null}
      <Flex direction="row" gap="xs" testId="backlog-by-band">
        {b.byBand.map((x) => (
          <StatusTag key={x.band} variant={bandVariant(x.band)}>{`${bandLabel(x.band)} ${x.count}`}</StatusTag>
        ))}
      </Flex>
      <Table testId="backlog-by-owner" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Waiting for</TableHeader>
            <TableHeader>Tasks</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {b.byOwner.map((x) => (
            <TableRow key={x.ownerId ?? 'pool'} testId={`backlog-owner-${x.ownerId ?? 'pool'}`}>
              <TableCell>{x.ownerName}</TableCell>
              <TableCell>{String(x.count)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text variant="microcopy">{`By playbook: ${b.byPlaybook.map((x) => `${x.label} ${x.count}`).join(' · ')}`}</Text>
    </Flex>
  );
}

/** The period's automated touches by type, and whether customers answered. */
export function DigitalTouchesSection({ digital: d }: { digital: DigitalTouchSummary }) {
  return (
    <Flex direction="column" gap="sm" testId="digital">
      <Heading>Digital touches</Heading>
      {d.count === 0 ? (
        <Text testId="digital-summary">No digital touch in the period.</Text>
      ) : (
        <>
          <Text testId="digital-summary">{`${plural(d.count, 'automated touch', 'automated touches')} sent by HubSpot workflows: ${d.engaged} answered, ${d.awaitingAnswer} waiting for an answer, ${d.unanswered} without an answer.`}</Text>
          <Table testId="digital-by-type" bordered>
            <TableHead>
              <TableRow>
                <TableHeader>Touch</TableHeader>
                <TableHeader>Sent</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {d.byType.map((x) => (
                <TableRow key={x.type} testId={`digital-${x.type}`}>
                  <TableCell>{x.label}</TableCell>
                  <TableCell>{String(x.count)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Flex>
  );
}

/** "12 of 8" with the excess flagged; "Off today" when they do not work today. */
function TodayVsCapacity({ created, capacity }: { created: number | undefined; capacity: number | undefined }) {
  if (created === undefined || capacity === undefined) return <Text>—</Text>;
  if (capacity === 0 && created === 0) return <Text>Off today</Text>;
  return (
    <>
      <Text>{`${created} of ${capacity}`}</Text>
      {created > capacity ? <Tag variant="warning">{`${created - capacity} over`}</Tag> : null}
    </>
  );
}

/** The signed-in HubSpot user's id (from the page's context), for "My day". */
export const SignedInUser = createContext<number | null>(null);

/** The signed-in CSM's day: tasks due today and overdue, their onboardings, their share of the work. */
export function MyDaySection({ myDay }: { myDay: MyDay }) {
  return (
    <Flex direction="column" gap="sm" testId="my-day">
      <Heading>{`My day — ${myDay.ownerName}`}</Heading>
      <Text testId="my-share">{`${myDay.openTasks} open CS ${myDay.openTasks === 1 ? 'task' : 'tasks'}${myDay.share === null ? '' : `, ${Math.round(myDay.share * 100)}% of the team's`}`}</Text>
      {myDay.backlog ? <Text testId="my-backlog">{myBacklogText(myDay.backlog)}</Text> : null}
      {myDay.tasks.length === 0 ? (
        <Text testId="my-tasks-none">Nothing due today or overdue.</Text>
      ) : (
        <Table testId="my-tasks" bordered>
          <TableHead>
            <TableRow>
              <TableHeader>Company</TableHeader>
              <TableHeader>Task</TableHeader>
              <TableHeader>Due</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {myDay.tasks.slice(0, 25).map((t) => (
              <TableRow key={t.taskId} testId={`my-task-${t.taskId}`}>
                <TableCell>{t.url ? <Link href={{ url: t.url, external: true }}>{t.companyName}</Link> : <Text>{t.companyName}</Text>}</TableCell>
                <TableCell>{t.subject}</TableCell>
                <TableCell>{t.overdueDays > 0 ? <Tag variant="error">{`Overdue by ${t.overdueDays} ${t.overdueDays === 1 ? 'day' : 'days'}`}</Tag> : 'Today'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {myDay.onboardings.length > 0 ? (
        <Table testId="my-onboardings" bordered>
          <TableHead>
            <TableRow>
              <TableHeader>My onboardings</TableHeader>
              <TableHeader>Day</TableHeader>
              <TableHeader>Still missing</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {myDay.onboardings.map((o) => (
              <TableRow key={o.companyId} testId={`my-onboarding-${o.companyId}`}>
                <TableCell>{o.url ? <Link href={{ url: o.url, external: true }}>{o.companyName}</Link> : <Text>{o.companyName}</Text>}</TableCell>
                <TableCell>{o.day === null ? '—' : `Day ${o.day} of ${o.totalDays}${o.overdue ? ' (overdue)' : ''}`}</TableCell>
                <TableCell>{o.missing.length === 0 ? 'Ready to graduate' : o.missing.join(', ')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
    </Flex>
  );
}

/** The manager's portfolio view (and the signed-in CSM's day), fed by the `portfolio-report` function. */
export function PortfolioHome() {
  const userId = useContext(SignedInUser);
  const { state, reload: load } = useFunctionData<PortfolioReport, 'portfolio-report'>('portfolio-report', userId === null ? {} : { userId });

  if (state.status === 'loading') return <LoadingSpinner label="Loading the portfolio…" layout="centered" />;
  if (state.status === 'error') return <LoadFailed title="The portfolio report could not be loaded" message={state.message} onRetry={load} testId="page-error" />;
  const report = state.data;
  const { totals } = report;
  if (totals.accounts === 0) {
    return (
      <EmptyState title="No accounts in the portfolio yet" imageName="companies" testId="page-empty">
        <Text>Run the setup command to install the properties, then a portfolio sweep to compute segments, health and onboarding.</Text>
        <Button testId="reload" onClick={load}>
          Reload
        </Button>
      </EmptyState>
    );
  }
  const pipelineRows = report.onboardingPipeline.map((w) => ({ week: w.week, graduating: w.count }));
  return (
    <Flex direction="column" gap="md">
      <Text variant="microcopy" testId="generated">{`Generated ${formatDateTime(report.generatedAt)} · config ${report.configVersion} · tasks from ${formatDate(report.period.from)} to ${formatDate(report.period.to)}`}</Text>
      {report.myDay ? <MyDaySection myDay={report.myDay} /> : null}
      <Statistics testId="totals">
        <StatisticsItem label="Accounts" number={totals.accounts} />
        <StatisticsItem label="Onboarding" number={totals.onboarding} />
        <StatisticsItem label="Onboarding overdue" number={totals.onboardingOverdue} />
        <StatisticsItem label="Graduated" number={totals.graduated} />
        <StatisticsItem label="Health unknown" number={totals.unknownHealth} />
        <StatisticsItem label="Open CS tasks" number={totals.openTasks} />
      </Statistics>
      {report.dataIssues.count > 0 ? (
        <Alert title={`${plural(report.dataIssues.count, 'bad value')} read from HubSpot (read as unknown: fix them in HubSpot)`} variant="warning" testId="data-issues">
          {report.dataIssues.items && report.dataIssues.items.length > 0 ? (
            <Flex direction="column" gap="xs">
              {report.dataIssues.items.slice(0, 10).map((i) => (
                <Text key={`${i.companyId}:${i.property}`}>
                  {i.url ? <Link href={{ url: i.url, external: true }}>{i.companyName}</Link> : i.companyName}
                  {`: ${i.message} (${i.property})`}
                </Text>
              ))}
            </Flex>
          ) : (
            report.dataIssues.examples.join('; ')
          )}
        </Alert>
      ) : null}

      {report.escalations ? <EscalationsSection escalations={report.escalations} /> : null}

      {report.renewalsAtRisk ? (
        <>
          <Heading>{`Renewals in the next ${report.renewalsAheadDays ?? 90} days at risk or unknown`}</Heading>
          {report.renewalsAtRisk.length === 0 ? (
            <Text testId="renewals-none">No renewal ahead is at risk or unknown.</Text>
          ) : (
            <Table testId="renewals-at-risk" bordered>
              <TableHead>
                <TableRow>
                  <TableHeader>Company</TableHeader>
                  <TableHeader>Renewal</TableHeader>
                  <TableHeader>Health</TableHeader>
                  <TableHeader>ARR</TableHeader>
                </TableRow>
              </TableHead>
              <TableBody>
                {report.renewalsAtRisk.slice(0, 25).map((r) => (
                  <TableRow key={r.companyId} testId={`renewal-${r.companyId}`}>
                    <TableCell>{r.url ? <Link href={{ url: r.url, external: true }}>{r.companyName}</Link> : <Text>{r.companyName}</Text>}</TableCell>
                    <TableCell>{`${formatDate(r.renewalDate)} (in ${r.daysToRenewal} days)`}</TableCell>
                    <TableCell>
                      <StatusTag variant={bandVariant(r.band)}>{bandLabel(r.band)}</StatusTag>
                    </TableCell>
                    <TableCell>{formatMoney(r.arr)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      ) : null}

      {report.workload ? (
        <>
          <Heading>Workload per CSM</Heading>
          <Table testId="workload" bordered>
            <TableHead>
              <TableRow>
                <TableHeader>CSM</TableHeader>
                <TableHeader>Open</TableHeader>
                <TableHeader>Overdue</TableHeader>
                <TableHeader>Due this week</TableHeader>
                <TableHeader>Urgent</TableHeader>
                <TableHeader>Created today / capacity</TableHeader>
                <TableHeader>Oldest open task</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {report.workload.map((w) => (
                <TableRow key={w.ownerId} testId={`workload-${w.ownerId}`}>
                  <TableCell>
                    <Text>{w.ownerName}</Text>
                    {!w.active ? <Tag variant="warning">Inactive</Tag> : !w.availableThisWeek ? <Tag variant="default">Away this week</Tag> : null}
                  </TableCell>
                  <TableCell>{String(w.open)}</TableCell>
                  <TableCell>{w.overdue > 0 ? <Tag variant="error">{String(w.overdue)}</Tag> : '0'}</TableCell>
                  <TableCell>{String(w.dueThisWeek)}</TableCell>
                  <TableCell>{w.urgent === undefined ? '—' : String(w.urgent)}</TableCell>
                  <TableCell>
                    <TodayVsCapacity created={w.createdToday} capacity={w.capacityToday} />
                  </TableCell>
                  <TableCell>{w.oldestDue === null ? '—' : formatDate(w.oldestDue)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}

      {report.backlog ? <BacklogSection backlog={report.backlog} /> : null}
      {report.digitalTouches ? <DigitalTouchesSection digital={report.digitalTouches} /> : null}

      <Heading>Accounts by segment and health</Heading>
      <Table testId="segment-band" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Segment</TableHeader>
            {HEALTH_BANDS.map((b) => (
              <TableHeader key={b}>
                <StatusTag variant={bandVariant(b)} testId={`band-${b}`}>
                  {bandLabel(b)}
                </StatusTag>
              </TableHeader>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {SEGMENTS.map((s) => (
            <TableRow key={s} testId={`segment-${s}`}>
              <TableCell>{segmentLabel(s)}</TableCell>
              {HEALTH_BANDS.map((b) => {
                const cell = report.segmentBand.find((c) => c.segment === s && c.band === b);
                return (
                  <TableCell key={b}>
                    <Count value={cell?.count ?? 0} url={cell?.url ?? null} />
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>

      {report.arrBySegmentBand ? (
        <>
          <Heading>ARR by segment and health</Heading>
          <Table testId="arr-by-band" bordered>
            <TableHead>
              <TableRow>
                <TableHeader>Segment</TableHeader>
                {HEALTH_BANDS.map((b) => (
                  <TableHeader key={b}>{bandLabel(b)}</TableHeader>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {SEGMENTS.map((s) => (
                <TableRow key={s} testId={`arr-${s}`}>
                  <TableCell>{segmentLabel(s)}</TableCell>
                  {HEALTH_BANDS.map((b) => {
                    const c = report.arrBySegmentBand?.find((x) => x.segment === s && x.band === b);
                    return <TableCell key={b}>{`${formatMoney(c?.arr ?? 0)}${c && c.unknownArr > 0 ? ` (+${c.unknownArr} without ACV)` : ''}`}</TableCell>;
                  })}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}

      <Heading>{`Coverage per segment${report.availableCsms !== undefined ? ` (over the ${report.availableCsms} CSMs available this week)` : ''}`}</Heading>
      <Table testId="coverage" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Segment</TableHeader>
            <TableHeader>Accounts</TableHeader>
            <TableHeader>CSMs</TableHeader>
            <TableHeader>Accounts per CSM</TableHeader>
            <TableHeader>Benchmark</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.coverage.map((c) => (
            <TableRow key={c.segment} testId={`coverage-${c.segment}`}>
              <TableCell>{segmentLabel(c.segment)}</TableCell>
              <TableCell>{String(c.accounts)}</TableCell>
              <TableCell>{c.segment === 'named' && c.csms === 0 ? 'Dedicated CSMs' : String(c.csms)}</TableCell>
              <TableCell>{c.segment === 'named' && c.csms === 0 ? 'Not pooled' : formatRatio(c.coverageRatio)}</TableCell>
              <TableCell>
                <Text>{c.benchmark ? `${c.benchmark.label} 1:${c.benchmark.min}–${c.benchmark.max}` : '—'}</Text>
                <StatusTag variant={COVERAGE_VARIANT[c.status]}>{COVERAGE_TEXT[c.status]}</StatusTag>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Heading>CSM loads</Heading>
      <Table testId="csm-loads" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>CSM</TableHeader>
            <TableHeader>Onboarding</TableHeader>
            <TableHeader>Pool accounts served</TableHeader>
            <TableHeader>Coverage</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.csmLoads.map((l) => (
            <TableRow key={l.ownerId} testId={`csm-${l.ownerId}`}>
              <TableCell>
                {l.url ? <Link href={{ url: l.url, external: true }}>{l.ownerName}</Link> : <Text>{l.ownerName}</Text>}
                {!l.active ? <Tag variant="warning">Inactive</Tag> : null}
              </TableCell>
              <TableCell>
                <Text>{l.onboardingCap === null ? String(l.onboardingCount) : `${l.onboardingCount} of ${l.onboardingCap}`}</Text>
                {l.onboardingCap !== null && l.onboardingCount > l.onboardingCap ? <Tag variant="error">Over cap</Tag> : null}
              </TableCell>
              <TableCell>{String(l.pooledAccountsServed)}</TableCell>
              <TableCell>
                <Text>{`${formatRatio(l.coverageRatio)}${l.benchmark ? ` vs 1:${l.benchmark.min}–${l.benchmark.max}` : ''}`}</Text>
                <StatusTag variant={COVERAGE_VARIANT[l.status]}>{COVERAGE_TEXT[l.status]}</StatusTag>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Heading>Onboarding pipeline by graduation week</Heading>
      {pipelineRows.length > 0 ? (
        <BarChart
          testId="pipeline"
          data={pipelineRows}
          axes={{ x: { field: 'week', fieldType: 'category', label: 'Graduation week' }, y: { field: 'graduating', fieldType: 'linear', label: 'Companies' } }}
          options={{ title: 'Companies due to graduate', showDataLabels: true, showTooltips: true }}
        />
      ) : (
        <Text testId="pipeline-none">No company is onboarding.</Text>
      )}

      <Heading>Tasks by playbook</Heading>
      <Table testId="playbooks" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Playbook</TableHeader>
            <TableHeader>Created</TableHeader>
            <TableHeader>Completed</TableHeader>
            <TableHeader>Open</TableHeader>
            <TableHeader>Completion rate</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {report.tasksByPlaybook.map((p) => (
            <TableRow key={p.playbook} testId={`playbook-${p.playbook}`}>
              <TableCell>{p.label}</TableCell>
              <TableCell>{String(p.created)}</TableCell>
              <TableCell>{String(p.completed)}</TableCell>
              <TableCell>{String(p.open)}</TableCell>
              <TableCell>{formatRate(p.completionRate)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text variant="microcopy">Proactive task completion of 30–40% is normal for pooled CS.</Text>

      <Heading>Company views</Heading>
      <Flex direction="column" gap="xs" testId="links">
        {report.links.map((l) => (
          <Link key={`${l.kind}:${l.value}`} href={{ url: l.url, external: true }}>
            {l.label}
          </Link>
        ))}
      </Flex>
    </Flex>
  );
}

function Layout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <PageTitle>Customer Success portfolio</PageTitle>
      {children}
    </>
  );
}

export const PortfolioRouter = createPageRouter(
  <PageRoutes layoutComponent={Layout}>
    <PageRoutes.IndexRoute component={PortfolioHome} id="portfolio" />
  </PageRoutes>,
);

hubspot.extend<'pages'>(({ context }) => (
  <SignedInUser.Provider value={typeof context.user?.id === 'number' ? context.user.id : null}>
    <PortfolioRouter />
  </SignedInUser.Provider>
));
