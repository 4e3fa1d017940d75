import {
  Alert,
  Button,
  Flex,
  Heading,
  LineChart,
  Statistics,
  StatisticsItem,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { CardData } from '../../../src/app/view-models';
import {
  bandLabel,
  bandVariant,
  formatChange,
  formatDateTime,
  formatPercent,
  formatPoints,
  formatScore,
  formatWeight,
  signalStatusLabel,
  signalStatusVariant,
  trendRows,
  unknownSignals,
} from '../view-model';
import type { Busy, RunAction } from './types';

export interface HealthSectionProps {
  /** The record in HubSpot's context: actions always target it. */
  companyId: string;
  card: CardData;
  busy: Busy;
  runAction: RunAction;
}

/** Score, band, coverage, 90-day trend and each signal's contribution; a Recompute button. */
export function HealthSection({ companyId, card, busy, runAction }: HealthSectionProps) {
  const { health } = card;
  const unknown = unknownSignals(card);
  const rows = trendRows(card);
  const change = formatChange(health.change);
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" justify="between" align="center">
        <Heading>Health</Heading>
        <Button
          testId="recompute"
          size="sm"
          disabled={busy !== null}
          onClick={() => void runAction('recompute-health', { companyId }, 'Health recomputed.')}
        >
          {busy === 'recompute-health' ? 'Recomputing…' : 'Recompute'}
        </Button>
      </Flex>
      <Flex direction="row" gap="md" align="center">
        <StatusTag testId="health-band" variant={bandVariant(health.band)}>
          {bandLabel(health.band)}
        </StatusTag>
        {change ? <Text testId="health-change">{change}</Text> : null}
      </Flex>
      <Statistics>
        <StatisticsItem testId="health-score" label="Health score" number={formatScore(health.score)} />
        <StatisticsItem testId="health-coverage" label="Data coverage" number={formatPercent(health.coverage)} />
      </Statistics>
      {unknown.length > 0 ? (
        <Alert testId="partial-alert" title="Some signals are unknown" variant="warning">
          {`Not used in the score: ${unknown.map((s) => s.label).join(', ')}. The score rests on ${formatPercent(health.coverage)} of the signal weight; unknown is not counted as bad.`}
        </Alert>
      ) : null}
      {health.summary ? <Text testId="health-summary">{health.summary}</Text> : null}
      {rows.length >= 2 ? (
        <LineChart
          testId="health-trend"
          data={rows}
          axes={{ x: { field: 'date', fieldType: 'datetime', label: 'Day' }, y: { field: 'score', fieldType: 'linear', label: 'Health score' } }}
          options={{ title: 'Health over the last 90 days', showTooltips: true }}
        />
      ) : (
        <Text testId="health-trend-none" variant="microcopy">
          Not enough history for a trend yet.
        </Text>
      )}
      <Table testId="signals" bordered={false}>
        <TableHead>
          <TableRow>
            <TableHeader>Signal</TableHeader>
            <TableHeader>Value</TableHeader>
            <TableHeader>Weight</TableHeader>
            <TableHeader>Points</TableHeader>
            <TableHeader>Data</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {health.signals.map((s) => (
            <TableRow key={s.id} testId={`signal-${s.id}`}>
              <TableCell>{s.label}</TableCell>
              <TableCell>{s.raw ?? '—'}</TableCell>
              <TableCell>{formatWeight(s.weight)}</TableCell>
              <TableCell>{s.status === 'unknown' ? '—' : formatPoints(s.contribution)}</TableCell>
              <TableCell>
                <StatusTag variant={signalStatusVariant(s.status)}>{signalStatusLabel(s.status)}</StatusTag>
                {s.note ? <Text variant="microcopy">{s.note}</Text> : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text variant="microcopy">{`Computed ${formatDateTime(card.computedAt)} with config ${card.configVersion}.`}</Text>
    </Flex>
  );
}
