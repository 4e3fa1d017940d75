import { useState } from 'react';
import { Button, DateInput, DescriptionList, DescriptionListItem, Flex, Heading, Select, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { issueFor, isFutureIsoDate, parseParams, SEGMENTS, type CardData, type ParamIssue, type Segment } from '../../../src/app/view-models';
import { dateInputToIso, formatDate, segmentLabel } from '../view-model';
import type { Busy, RunAction } from './types';

export interface SegmentSectionProps {
  /** The record in HubSpot's context: actions always target it. */
  companyId: string;
  card: CardData;
  busy: Busy;
  runAction: RunAction;
}

const REMOVE = 'remove';

/** Segment in force and why; the override with reason and expiry (expired shown); an override form. */
export function SegmentSection({ companyId, card, busy, runAction }: SegmentSectionProps) {
  const { segment } = card;
  const override = segment.override;
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<string>('');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState<string | undefined>(undefined);
  const [issues, setIssues] = useState<ParamIssue[]>([]);

  const segmentOptions = SEGMENTS.map((s) => ({ label: segmentLabel(s), value: s }));
  const options = override ? [...segmentOptions, { label: 'Remove the override', value: REMOVE }] : segmentOptions;

  const submit = async () => {
    const params = {
      companyId,
      segment: choice === REMOVE ? null : ((choice || undefined) as Segment | undefined),
      ...(reason.trim() ? { reason } : {}),
      ...(expires ? { expires } : {}),
    };
    const parsed = parseParams('override-segment', params);
    const found: ParamIssue[] = parsed.ok ? [] : parsed.error.issues;
    if (expires && !found.some((i) => i.path === 'expires') && !isFutureIsoDate(expires, new Date(card.computedAt))) {
      found.push({ path: 'expires', message: 'The expiry must be after today' });
    }
    if (choice === '') found.push({ path: 'segment', message: 'Choose a segment' });
    setIssues(found);
    if (found.length > 0 || !parsed.ok) return;
    const ok = await runAction('override-segment', parsed.data, choice === REMOVE ? 'Segment override removed.' : 'Segment override saved.');
    if (ok) {
      setOpen(false);
      setChoice('');
      setReason('');
      setExpires(undefined);
    }
  };

  const segmentIssue = issueFor(issues, 'segment');
  const reasonIssue = issueFor(issues, 'reason');
  const expiresIssue = issueFor(issues, 'expires');

  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" justify="between" align="center">
        <Heading>Segment</Heading>
        <Button testId="override-open" size="sm" disabled={busy !== null} onClick={() => setOpen(!open)}>
          {open ? 'Cancel' : 'Override'}
        </Button>
      </Flex>
      <Flex direction="row" gap="sm" align="center">
        <Tag testId="segment" variant="info">
          {segmentLabel(segment.segment)}
        </Tag>
        <Text testId="segment-reason">{segment.reason}</Text>
      </Flex>
      {override ? (
        <DescriptionList direction="row" testId="override">
          <DescriptionListItem label="Override">
            <Text>{segmentLabel(override.segment)}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Reason">
            <Text>{override.reason ?? '—'}</Text>
          </DescriptionListItem>
          <DescriptionListItem label="Expires">
            <Flex direction="row" gap="xs">
              <Text>{override.expires ? formatDate(override.expires) : 'Until removed'}</Text>
              {override.expired ? (
                <Tag testId="override-expired" variant="warning">
                  Expired
                </Tag>
              ) : null}
            </Flex>
          </DescriptionListItem>
        </DescriptionList>
      ) : null}
      {open ? (
        <Flex direction="column" gap="sm" testId="override-form">
          <Select
            label="Segment"
            name="override-segment"
            required
            options={options}
            value={choice}
            error={segmentIssue !== null}
            validationMessage={segmentIssue ?? undefined}
            onChange={(v) => setChoice(String(v))}
          />
          <TextArea
            label="Reason"
            name="override-reason"
            required={choice !== REMOVE}
            description="Why this account needs a different coverage model (3–500 characters)."
            value={reason}
            error={reasonIssue !== null}
            validationMessage={reasonIssue ?? undefined}
            onChange={setReason}
          />
          {choice !== REMOVE ? (
            <DateInput
              label="Expires"
              name="override-expires"
              description="Optional: the override ends at the end of this day (UTC)."
              format="YYYY-MM-DD"
              error={expiresIssue !== null}
              validationMessage={expiresIssue ?? undefined}
              onChange={(v) => setExpires(dateInputToIso(v))}
            />
          ) : null}
          <Button testId="override-submit" variant="primary" disabled={busy !== null} onClick={() => void submit()}>
            {choice === REMOVE ? 'Remove override' : 'Save override'}
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}
