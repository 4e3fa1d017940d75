import { DescriptionList, DescriptionListItem, Flex, Tag, Text } from '@hubspot/ui-extensions';
import type { CardData } from '../../../src/app/view-models';
import { formatMoney, lastTouchText, renewalText, segmentLabel, stageText } from '../view-model';

/** The facts row: ARR, renewal, segment, stage and day N, account owner, onboarding CSM, last touch. */
export function FactsSection({ card }: { card: CardData }) {
  const { facts, lifecycle } = card;
  const soon = facts.daysToRenewal !== null && facts.daysToRenewal >= 0 && facts.daysToRenewal <= 90;
  return (
    <DescriptionList direction="row" testId="facts">
      <DescriptionListItem label="ARR">
        <Text testId="fact-arr">{formatMoney(facts.arr)}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Renewal">
        <Flex direction="row" gap="xs">
          <Text testId="fact-renewal">{renewalText(facts)}</Text>
          {soon ? <Tag variant="warning">Soon</Tag> : null}
        </Flex>
      </DescriptionListItem>
      <DescriptionListItem label="Segment">
        <Text testId="fact-segment">{segmentLabel(card.segment.segment)}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Stage">
        <Text testId="fact-stage">{stageText(lifecycle)}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Account owner">
        <Text testId="fact-owner">{facts.accountOwner?.name ?? 'None'}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Onboarding CSM">
        <Text testId="fact-csm">{lifecycle.onboardingCsm?.name ?? (lifecycle.stage === 'graduated' ? 'Pool (graduated)' : 'Not assigned')}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Last touch">
        <Text testId="fact-touch">{lastTouchText(facts)}</Text>
      </DescriptionListItem>
    </DescriptionList>
  );
}
