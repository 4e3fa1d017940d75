import {
  Alert,
  Button,
  Flex,
  Heading,
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
  capText,
  formatChange,
  formatDate,
  formatPercent,
  formatScore,
  formatWeight,
  missingText,
  pointsLostText,
  signalStatusLabel,
  signalStatusVariant,
  wordsWithDates,
} from '../view-model';
import type { Busy, RunAction } from './types';

export interface HealthSectionProps {
  /** The record in HubSpot's context: actions always target it. */
  companyId: string;
  card: CardData;
  busy: Busy;
  runAction: RunAction;
}

/**
 * Score and band (or "No data yet" with what is missing), the cap that applied, the points each
 * signal costs, and the unknown signals only when they could change the band.
 */
export function HealthSection({ companyId, card, busy, runAction }: HealthSectionProps) {
  const { health } = card;
  const change = formatChange(health.change);
  const noScore = health.score === null;
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" justify="between" align="center">
        <Heading>Health</Heading>
        <Button
          testId="recompute"
          size="xs"
          disabled={busy !== null}
          onClick={() => void runAction('recompute-health', { companyId }, 'Health recomputed.')}
        >
          {busy === 'recompute-health' ? 'Recomputing…' : 'Recompute'}
        </Button>
      </Flex>
      <Flex direction="row" gap="md" align="center">
        <StatusTag testId="health-band" variant={bandVariant(health.band)}>
          {noScore ? 'No data yet' : bandLabel(health.band)}
        </StatusTag>
        {change ? <Text testId="health-change">{change}</Text> : null}
      </Flex>
      {noScore ? null : (
        <Statistics>
          <StatisticsItem testId="health-score" label="Health score" number={formatScore(health.score)} />
        </Statistics>
      )}
      {health.cap ? (
        <Alert testId="health-cap" title={capText(health.cap)} variant={health.cap.band === 'at_risk' ? 'danger' : 'warning'}>
          {`The score alone would say more; a critical signal holds the band at ${bandLabel(health.cap.band)}.`}
        </Alert>
      ) : null}
      {noScore || (health.unknownMatters && health.missing.length > 0) ? (
        <Alert
          testId="missing-alert"
          title={health.noData ? 'No data yet: nothing to score this account on' : noScore ? 'No health score: too little data' : 'Missing data could change the band'}
          variant={noScore ? 'info' : 'warning'}
        >
          <Flex direction="column" gap="xs">
            {noScore && !health.noData ? (
              <Text>{`Fresh data covers ${formatPercent(health.coverage)} of the signal weight; a score needs ${formatPercent(health.minCoverage)}. To get one:`}</Text>
            ) : null}
            {health.missing.map((m) => (
              <Text key={m.id}>{missingText(m)}</Text>
            ))}
          </Flex>
        </Alert>
      ) : null}
      {health.summary && !noScore ? <Text testId="health-summary">{wordsWithDates(health.summary)}</Text> : null}
      {health.signals.length > 0 ? (
        <Table testId="signals" bordered={false}>
          <TableHead>
            <TableRow>
              <TableHeader>Signal</TableHeader>
              <TableHeader>Value</TableHeader>
              <TableHeader>Weight</TableHeader>
              <TableHeader>Points lost</TableHeader>
              <TableHeader>Data</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {health.signals.map((s) => (
              <TableRow key={s.id} testId={`signal-${s.id}`}>
                <TableCell>{s.label}</TableCell>
                <TableCell>{s.raw === null ? '—' : wordsWithDates(s.raw)}</TableCell>
                <TableCell>{formatWeight(s.configuredWeight)}</TableCell>
                <TableCell>{pointsLostText(s)}</TableCell>
                <TableCell>
                  <StatusTag variant={signalStatusVariant(s.status)}>{signalStatusLabel(s.status)}</StatusTag>
                  {s.note ? <Text variant="microcopy">{wordsWithDates(s.note)}</Text> : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      <Text testId="health-footnote" variant="microcopy">
        {`Weights are the segment's; an unknown signal's weight is shared by the known ones (the score rests on ${formatPercent(health.coverage)} of the weight with fresh data). Computed ${formatDate(card.computedAt)}, config ${card.configVersion}.`}
      </Text>
    </Flex>
  );
}
