import { useState } from 'react';
import {
  Button,
  ButtonRow,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  NumberInput,
  ProgressBar,
  Select,
  StatusTag,
  Tag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { issueFor, parseParams, type CardData, type ParamIssue } from '../../../src/app/view-models';
import { dayOfLabel, formatDate, onboardingProgress, onboardingStepText, stageLabel, stageVariant, wordsWithDates } from '../view-model';
import type { Busy, RunAction } from './types';

export interface OnboardingSectionProps {
  /** The record in HubSpot's context: actions always target it. */
  companyId: string;
  card: CardData;
  busy: Busy;
  runAction: RunAction;
}

type FormName = 'assign' | 'graduate' | 'extend';
const AUTO = 'auto';

/** Onboarding CSM, day N of 90, graduation date, exit criteria, overdue; assign / graduate now / extend. */
export function OnboardingSection({ companyId, card, busy, runAction }: OnboardingSectionProps) {
  const { lifecycle } = card;
  const [form, setForm] = useState<FormName | null>(null);
  const [owner, setOwner] = useState<string>(AUTO);
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<number | undefined>(undefined);
  const [issues, setIssues] = useState<ParamIssue[]>([]);

  const onboarding = lifecycle.stage === 'onboarding' || lifecycle.stage === 'onboarding_overdue';
  const dayLabel = dayOfLabel(lifecycle.day, lifecycle.totalDays);
  const reasonIssue = issueFor(issues, 'reason');
  const daysIssue = issueFor(issues, 'days');

  const toggle = (name: FormName) => {
    setForm(form === name ? null : name);
    setReason('');
    setDays(undefined);
    setOwner(AUTO);
    setIssues([]);
  };

  const reasonOrNothing = reason.trim() ? { reason } : {};

  const submit = async () => {
    let ok = false;
    if (form === 'assign') {
      const params = owner === AUTO ? { companyId } : { companyId, ownerId: owner, ...reasonOrNothing };
      const parsed = parseParams('assign-onboarding-csm', params);
      setIssues(parsed.ok ? [] : parsed.error.issues);
      if (!parsed.ok) return;
      ok = await runAction('assign-onboarding-csm', parsed.data, owner === AUTO ? 'Onboarding CSM assigned automatically.' : 'Onboarding CSM assigned.');
    } else if (form === 'graduate') {
      const parsed = parseParams('graduate-now', { companyId, ...reasonOrNothing });
      setIssues(parsed.ok ? [] : parsed.error.issues);
      if (!parsed.ok) return;
      ok = await runAction('graduate-now', parsed.data, 'Graduated to the pool.');
    } else if (form === 'extend') {
      const parsed = parseParams('extend-onboarding', { companyId, days, ...reasonOrNothing });
      setIssues(parsed.ok ? [] : parsed.error.issues);
      if (!parsed.ok) return;
      ok = await runAction('extend-onboarding', parsed.data, `Onboarding extended by ${parsed.data.days} days.`);
    }
    if (ok) {
      setForm(null);
      setReason('');
      setDays(undefined);
      setOwner(AUTO);
    }
  };

  const reasonInput = (description: string, required: boolean) => (
    <TextArea
      label="Reason"
      name="onboarding-reason"
      required={required}
      description={description}
      value={reason}
      error={reasonIssue !== null}
      validationMessage={reasonIssue ?? undefined}
      onChange={setReason}
    />
  );

  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" justify="between" align="center">
        <Heading>Onboarding</Heading>
        <StatusTag testId="stage" variant={stageVariant(lifecycle.stage)}>
          {stageLabel(lifecycle.stage)}
        </StatusTag>
      </Flex>
      {lifecycle.overdueDays !== null && lifecycle.overdueDays > 0 ? (
        <Tag testId="overdue" variant="error">
          {`Overdue by ${lifecycle.overdueDays} ${lifecycle.overdueDays === 1 ? 'day' : 'days'}`}
        </Tag>
      ) : null}
      {lifecycle.readyToGraduate ? (
        <Tag testId="ready-to-graduate" variant="success">
          Ready to graduate: every exit criterion is met
        </Tag>
      ) : null}
      {lifecycle.reason ? <Text testId="lifecycle-reason" variant="microcopy">{`Last decision: ${wordsWithDates(lifecycle.reason)}`}</Text> : null}
      <DescriptionList direction="row">
        <DescriptionListItem label="Onboarding CSM">
          <Flex direction="row" gap="xs">
            <Text testId="csm">{lifecycle.onboardingCsm?.name ?? 'Not assigned'}</Text>
            {lifecycle.onboardingCsm && !lifecycle.onboardingCsm.active ? (
              <Tag testId="csm-inactive" variant="warning">
                Inactive user
              </Tag>
            ) : null}
          </Flex>
        </DescriptionListItem>
        <DescriptionListItem label="Start">
          <Text testId="start-date">{formatDate(lifecycle.startDate)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Graduation">
          <Text testId="graduation-date">{formatDate(lifecycle.graduatedAt ?? lifecycle.graduationDate)}</Text>
        </DescriptionListItem>
      </DescriptionList>
      {dayLabel ? (
        <ProgressBar
          testId="day-progress"
          title={dayLabel}
          value={onboardingProgress(lifecycle.day, lifecycle.totalDays)}
          maxValue={100}
          valueDescription={dayLabel}
          variant={lifecycle.stage === 'onboarding_overdue' ? 'danger' : 'success'}
        />
      ) : null}
      {lifecycle.exitCriteria.length > 0 ? (
        <Flex direction="column" gap="xs" testId="exit-criteria">
          <Text format={{ fontWeight: 'demibold' }}>Exit criteria</Text>
          {lifecycle.exitCriteria.map((c) => (
            <Flex key={c.id} direction="row" gap="xs">
              <Tag variant={c.met ? 'success' : 'default'}>{c.met ? 'Met' : 'Missing'}</Tag>
              <Text>{c.label}</Text>
            </Flex>
          ))}
        </Flex>
      ) : null}
      {lifecycle.steps.length > 0 ? (
        <Flex direction="column" gap="xs" testId="onboarding-steps">
          <Text format={{ fontWeight: 'demibold' }}>Onboarding steps</Text>
          {lifecycle.steps.map((s) => {
            const t = onboardingStepText(s);
            return (
              <Flex key={s.step} direction="row" gap="xs" testId={`step-${s.step}`}>
                <Tag variant={t.variant}>{t.tag}</Tag>
                <Text>{t.text}</Text>
              </Flex>
            );
          })}
        </Flex>
      ) : null}
      {lifecycle.stage !== 'graduated' ? (
        <ButtonRow>
          <Button testId="assign-open" size="sm" disabled={busy !== null} onClick={() => toggle('assign')}>
            Assign CSM
          </Button>
          {onboarding ? (
            <Button testId="graduate-open" size="sm" disabled={busy !== null} onClick={() => toggle('graduate')}>
              Graduate now
            </Button>
          ) : null}
          {onboarding ? (
            <Button testId="extend-open" size="sm" disabled={busy !== null} onClick={() => toggle('extend')}>
              Extend
            </Button>
          ) : null}
        </ButtonRow>
      ) : null}
      {form === 'assign' ? (
        <Flex direction="column" gap="sm" testId="assign-form">
          <Select
            label="Onboarding CSM"
            name="assign-owner"
            options={[{ label: 'Automatic (skills, coverage days, capacity, rotation)', value: AUTO }, ...card.assignableOwners.map((o) => ({ label: o.name, value: o.id }))]}
            value={owner}
            onChange={(v) => setOwner(String(v))}
          />
          {owner !== AUTO ? reasonInput('Required when you choose by hand: automation will keep your choice.', true) : null}
        </Flex>
      ) : null}
      {form === 'graduate' ? (
        <Flex direction="column" gap="sm" testId="graduate-form">
          {reasonInput('Required: why it graduates before the exit criteria or date.', true)}
        </Flex>
      ) : null}
      {form === 'extend' ? (
        <Flex direction="column" gap="sm" testId="extend-form">
          <NumberInput
            label="Extend by (days)"
            name="extend-days"
            required
            min={1}
            max={180}
            value={days}
            error={daysIssue !== null}
            validationMessage={daysIssue ?? undefined}
            onChange={setDays}
          />
          {reasonInput('Required: what delays the graduation.', true)}
        </Flex>
      ) : null}
      {form !== null ? (
        <Button testId="onboarding-submit" variant="primary" disabled={busy !== null} onClick={() => void submit()}>
          {form === 'assign' ? 'Assign' : form === 'graduate' ? 'Graduate now' : 'Extend onboarding'}
        </Button>
      ) : null}
    </Flex>
  );
}
