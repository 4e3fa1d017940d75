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
import { HEALTH_BANDS, SEGMENTS, type CoverageStatus, type PortfolioReport } from '../../src/app/view-models';
import { bandLabel, formatDateTime, formatDate, segmentLabel } from '../cards/view-model';
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

/** The manager's portfolio view, fed by the `portfolio-report` function. */
export function PortfolioHome() {
  const { state, reload: load } = useFunctionData<PortfolioReport, 'portfolio-report'>('portfolio-report', {});

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
      <Statistics testId="totals">
        <StatisticsItem label="Accounts" number={totals.accounts} />
        <StatisticsItem label="Onboarding" number={totals.onboarding} />
        <StatisticsItem label="Onboarding overdue" number={totals.onboardingOverdue} />
        <StatisticsItem label="Graduated" number={totals.graduated} />
        <StatisticsItem label="Health unknown" number={totals.unknownHealth} />
        <StatisticsItem label="Open CS tasks" number={totals.openTasks} />
      </Statistics>
      {report.dataIssues.count > 0 ? (
        <Alert title={`${report.dataIssues.count} accounts have data problems`} variant="warning" testId="data-issues">
          {report.dataIssues.examples.join('; ')}
        </Alert>
      ) : null}

      <Heading>Accounts by segment and health</Heading>
      <Table testId="segment-band" bordered>
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

      <Heading>Coverage per segment</Heading>
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
              <TableCell>{String(c.csms)}</TableCell>
              <TableCell>{formatRatio(c.coverageRatio)}</TableCell>
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

hubspot.extend<'pages'>(() => <PortfolioRouter />);
