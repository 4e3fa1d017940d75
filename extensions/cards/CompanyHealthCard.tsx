import {
  Button,
  Divider,
  EmptyState,
  Flex,
  LoadingSpinner,
  Text,
  hubspot,
  type CrmContext,
} from '@hubspot/ui-extensions';
import { LoadFailed } from '../shared/LoadFailed';
import { HealthSection } from './components/HealthSection';
import { OnboardingSection } from './components/OnboardingSection';
import { FactsSection } from './components/FactsSection';
import { HistorySection, PeopleSection } from './components/HistorySection';
import { NextActionSection, PlaybooksSection } from './components/PlaybooksSection';
import { SegmentSection } from './components/SegmentSection';
import { useCardData, type CardActions } from './useCardData';
import { usePeople } from './usePeople';
import { isEmptyCard, missingText, setDateLocale } from './view-model';

export interface CompanyHealthCardProps {
  /** The record, and the user whose locale the dates are written in (`user.locale`, optional). */
  context: Pick<CrmContext, 'crm'> & { user?: { locale?: string | undefined } };
  actions: CardActions;
}

/**
 * The company record card, in the order a CSM works: act (next action), then understand (facts,
 * health, history), then the people, the playbooks behind the tasks, segment and onboarding.
 */
export function CompanyHealthCard({ context, actions }: CompanyHealthCardProps) {
  const companyId = String(context.crm.objectId);
  setDateLocale(context.user?.locale);
  const { state, busy, runAction, retry } = useCardData(companyId, actions);
  // The contacts come from HubSpot's own hook, read while card-data runs (not on the app's token).
  const people = usePeople();

  if (state.status === 'loading') {
    return <LoadingSpinner label="Loading customer success data…" layout="centered" />;
  }
  if (state.status === 'error') return <LoadFailed title="Customer success data could not be loaded" message={state.message} onRetry={retry} testId="card-error" />;
  const { card } = state;
  if (isEmptyCard(card)) {
    return (
      <EmptyState title="No customer success data yet" imageName="companies" layout="vertical" testId="card-empty">
        {card.health.missing.length > 0 ? (
          <Flex direction="column" gap="xs" testId="card-empty-missing">
            <Text>No health score: this company has no usage, login, survey or engagement data yet. To get a score:</Text>
            {card.health.missing.map((m) => (
              <Text key={m.id} variant="microcopy">{missingText(m)}</Text>
            ))}
          </Flex>
        ) : (
          <Text>
            Health, segment and onboarding have not been computed for this company. Run the app's setup and a portfolio
            sweep, or recompute this company now.
          </Text>
        )}
        <Button
          testId="empty-recompute"
          variant="primary"
          disabled={busy !== null}
          onClick={() => void runAction('recompute-health', { companyId }, 'Health computed.')}
        >
          {busy === 'recompute-health' ? 'Computing…' : 'Recompute now'}
        </Button>
      </EmptyState>
    );
  }
  return (
    <Flex direction="column" gap="md">
      {state.refreshing ? <LoadingSpinner label="Refreshing…" size="xs" /> : null}
      <NextActionSection companyId={companyId} card={card} busy={busy} runAction={runAction} people={people} />
      <Divider />
      <FactsSection card={card} />
      <Divider />
      <HealthSection companyId={companyId} card={card} busy={busy} runAction={runAction} />
      <Divider />
      <HistorySection card={card} />
      <Divider />
      <PeopleSection card={card} people={people} />
      <Divider />
      <PlaybooksSection companyId={companyId} card={card} busy={busy} runAction={runAction} />
      <Divider />
      <SegmentSection companyId={companyId} card={card} busy={busy} runAction={runAction} />
      <Divider />
      <OnboardingSection companyId={companyId} card={card} busy={busy} runAction={runAction} />
      {card.dataIssues.length > 0 ? (
        <Text variant="microcopy" testId="data-issues">
          {`Data problems: ${card.dataIssues.map((i) => `${i.property} = "${i.value}" (${i.message})`).join('; ')}`}
        </Text>
      ) : null}
    </Flex>
  );
}

hubspot.extend<'crm.record.tab'>(({ context, actions }) => <CompanyHealthCard context={context} actions={actions} />);
