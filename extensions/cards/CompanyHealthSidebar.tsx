import { Flex, LoadingSpinner, StatusTag, Text, hubspot, type CrmContext } from '@hubspot/ui-extensions';
import { LoadFailed } from '../shared/LoadFailed';
import { useCardData, type CardActions } from './useCardData';
import { bandLabel, bandVariant, byUrgency, capText, dayOfLabel, dueText, formatScore, isEmptyCard, relativeDays, setDateLocale, stageLabel, stageVariant, taskTitle } from './view-model';

export interface CompanyHealthSidebarProps {
  /** The record, and the user whose locale the dates are written in (`user.locale`, optional). */
  context: Pick<CrmContext, 'crm'> & { user?: { locale?: string | undefined } };
  actions: CardActions;
}

/** Compact sidebar card: score + band (or no data), the next task, renewal in N days, stage and day N. Read-only. */
export function CompanyHealthSidebar({ context, actions }: CompanyHealthSidebarProps) {
  setDateLocale(context.user?.locale);
  const { state, retry } = useCardData(String(context.crm.objectId), actions);
  if (state.status === 'loading') return <LoadingSpinner label="Loading…" />;
  if (state.status === 'error') return <LoadFailed title="Could not load" message={state.message} onRetry={retry} testId="sidebar-error" size="sm" />;
  const { card } = state;
  if (isEmptyCard(card)) {
    return (
      <Text testId="sidebar-empty">No customer success data yet: run setup and a sweep, or recompute from the Customer Success tab.</Text>
    );
  }
  const day = dayOfLabel(card.lifecycle.day, card.lifecycle.totalDays);
  const tasks = card.playbooks.openTasks.length;
  const next = [...card.playbooks.openTasks].sort(byUrgency)[0];
  const { daysToRenewal } = card.facts;
  return (
    <Flex direction="column" gap="xs">
      <Flex direction="row" gap="sm" align="center">
        <Text testId="sidebar-score" format={{ fontWeight: 'bold' }}>
          {card.health.score !== null
            ? `Health ${formatScore(card.health.score)}`
            : card.health.noData
              ? 'Health: no data yet'
              : 'No health score (too little data)'}
        </Text>
        <StatusTag testId="sidebar-band" variant={bandVariant(card.health.band)}>
          {card.health.cap ? `${bandLabel(card.health.band)} (capped)` : bandLabel(card.health.band)}
        </StatusTag>
      </Flex>
      {next ? (
        <Text testId="sidebar-next">{`Next: ${taskTitle(next, card.companyName)} — ${dueText(next, card.computedAt)}`}</Text>
      ) : (
        <Text testId="sidebar-next">No open CS task</Text>
      )}
      {daysToRenewal !== null ? (
        <Text testId="sidebar-renewal">{daysToRenewal >= 0 ? `Renewal ${relativeDays(daysToRenewal)}` : `Renewal date passed ${relativeDays(daysToRenewal)}`}</Text>
      ) : null}
      {card.health.cap ? <Text testId="sidebar-cap" variant="microcopy">{capText(card.health.cap)}</Text> : null}
      {card.lifecycle.readyToGraduate ? <Text testId="sidebar-ready">Ready to graduate</Text> : null}
      <Flex direction="row" gap="sm" align="center">
        <StatusTag testId="sidebar-stage" variant={stageVariant(card.lifecycle.stage)}>
          {stageLabel(card.lifecycle.stage)}
        </StatusTag>
        {day ? <Text testId="sidebar-day">{day}</Text> : null}
      </Flex>
      <Text testId="sidebar-tasks">{`${tasks} open CS ${tasks === 1 ? 'task' : 'tasks'}`}</Text>
    </Flex>
  );
}

hubspot.extend<'crm.record.sidebar'>(({ context, actions }) => <CompanyHealthSidebar context={context} actions={actions} />);
