import { useState } from 'react';
import {
  Accordion,
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  LoadingSpinner,
  StatisticsItem,
  Statistics,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  TextArea,
  hubspot,
  type AddAlertAction,
} from '@hubspot/ui-extensions';
import { parseParams, type ConfigValidation, type SettingsData, type WhatIfPreview } from '../../src/app/view-models';
import { bandLabel, formatDateTime, formatWeight, segmentLabel } from '../cards/view-model';
import { callFunction } from '../shared/call-function';
import { LoadFailed } from '../shared/LoadFailed';
import { useFunctionData } from '../shared/use-function-data';
import { FIRST_EXAMPLE, SETTINGS_EXAMPLES } from './examples';


export interface SettingsPageProps {
  actions: { addAlert: AddAlertAction };
}

/** Parses the what-if text: a JSON object, or a message saying what is wrong. */
export function parseOverride(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: false, message: `Paste a JSON object with the settings to try, e.g. ${FIRST_EXAMPLE}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = parseParams('settings-data', { configOverride: value });
  if (!parsed.ok) return { ok: false, message: parsed.error.issues[0]?.message ?? parsed.error.message };
  return { ok: true, value: parsed.data.configOverride ?? {} };
}

function ValidationResult({ validation, testId, okText }: { validation: ConfigValidation; testId: string; okText: string }) {
  if (validation.ok) return <Alert title={okText} variant="success" testId={testId} />;
  return (
    <Alert title={`${validation.errors.length} problem${validation.errors.length === 1 ? '' : 's'} in the config`} variant="danger" testId={testId}>
      {validation.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}
    </Alert>
  );
}

function Preview({ preview }: { preview: WhatIfPreview }) {
  const f = preview.figures;
  return (
    <Flex direction="column" gap="sm" testId="whatif-preview">
      <ValidationResult validation={preview.validation} testId="whatif-validation" okText="The proposed config is valid" />
      {f ? (
        <>
          <Statistics>
            <StatisticsItem label="Accounts evaluated" number={f.accountsEvaluated} />
            <StatisticsItem label="Change band" number={f.bandChanges.reduce((n, c) => n + c.count, 0)} />
            <StatisticsItem label="Change segment" number={f.segmentChanges.reduce((n, c) => n + c.count, 0)} />
          </Statistics>
          <Table testId="whatif-changes" bordered>
            <TableHead>
              <TableRow>
                <TableHeader>Change</TableHeader>
                <TableHeader>Accounts</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {f.bandChanges.map((c) => (
                <TableRow key={`band:${c.from}:${c.to}`}>
                  <TableCell>{`${bandLabel(c.from)} → ${bandLabel(c.to)}`}</TableCell>
                  <TableCell>{String(c.count)}</TableCell>
                </TableRow>
              ))}
              {f.segmentChanges.map((c) => (
                <TableRow key={`segment:${c.from}:${c.to}`}>
                  <TableCell>{`${segmentLabel(c.from)} → ${segmentLabel(c.to)}`}</TableCell>
                  <TableCell>{String(c.count)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Table testId="whatif-tasks" bordered>
            <TableHead>
              <TableRow>
                <TableHeader>Playbook</TableHeader>
                <TableHeader>Tasks now</TableHeader>
                <TableHeader>Tasks with the change</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {f.tasks.map((t) => (
                <TableRow key={t.playbook}>
                  <TableCell>{t.label}</TableCell>
                  <TableCell>{String(t.current)}</TableCell>
                  <TableCell>{String(t.proposed)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Flex direction="column" gap="xs" testId="whatif-examples">
            {f.examples.map((e) => (
              <Text key={e.companyId}>{`${e.companyName ?? `Company ${e.companyId}`}: ${e.change}`}</Text>
            ))}
          </Flex>
        </>
      ) : null}
    </Flex>
  );
}

/** The app's settings: effective config in words, its validation, and a what-if preview. */
export function SettingsPage({ actions }: SettingsPageProps) {
  const { state, reload: load } = useFunctionData<SettingsData, 'settings-data'>('settings-data', {});
  const [overrideText, setOverrideText] = useState('');
  const [overrideError, setOverrideError] = useState<string | null>(null);
  const [preview, setPreview] = useState<WhatIfPreview | null>(null);
  const [previewing, setPreviewing] = useState(false);

  const runPreview = async () => {
    const parsed = parseOverride(overrideText);
    if (!parsed.ok) {
      setOverrideError(parsed.message);
      return;
    }
    setOverrideError(null);
    setPreviewing(true);
    const result = await callFunction<SettingsData>('settings-data', { configOverride: parsed.value });
    setPreviewing(false);
    if (!result.ok) {
      actions.addAlert({ type: 'danger', title: 'Preview failed', message: result.error.message });
      return;
    }
    setPreview(result.data.whatIf);
  };

  if (state.status === 'loading') return <LoadingSpinner label="Loading settings…" layout="centered" />;
  if (state.status === 'error') return <LoadFailed title="Settings could not be loaded" message={state.message} onRetry={load} testId="settings-error" />;
  const { data } = state;
  const s = data.config.summary;
  const signals = [...new Map(s.weights.flatMap((w) => w.weights.map((x) => [x.signal, x.label] as const))).entries()];
  return (
    <Flex direction="column" gap="md">
      <Text testId="config-version">{`Config ${data.configVersion} from ${data.source}, read ${formatDateTime(data.generatedAt)}`}</Text>
      <ValidationResult validation={data.validation} testId="validation" okText="The config is valid" />

      <Heading>Segments</Heading>
      <DescriptionList direction="row" testId="segments">
        <DescriptionListItem label="Mid-pooled from">
          <Text>{`${s.segments.currency} ${s.segments.midPooledFrom.toLocaleString('en-US')} ACV`}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Named from">
          <Text>{`${s.segments.currency} ${s.segments.namedFrom.toLocaleString('en-US')} ACV`}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Hysteresis">
          <Text>{`±${s.segments.hysteresisPct}%`}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Dedicated-CSM contracts">
          <Text>{s.segments.dedicatedCsmNeverPooled ? 'Never pooled' : 'Follow ACV'}</Text>
        </DescriptionListItem>
      </DescriptionList>

      <Heading>Health</Heading>
      <Text testId="bands">{`Healthy from ${s.bands.healthyFrom}, watch from ${s.bands.watchFrom}, at risk below ${s.bands.watchFrom}; unknown when less than ${s.bands.minCoverage}% of the weight is fresh.`}</Text>
      <Table testId="weights" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Signal</TableHeader>
            {s.weights.map((w) => (
              <TableHeader key={w.segment}>{segmentLabel(w.segment)}</TableHeader>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {signals.map(([id, label]) => (
            <TableRow key={id} testId={`weight-${id}`}>
              <TableCell>{label}</TableCell>
              {s.weights.map((w) => {
                const x = w.weights.find((y) => y.signal === id);
                return <TableCell key={w.segment}>{x ? formatWeight(x.weight) : '—'}</TableCell>;
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Heading>Playbooks</Heading>
      <Text>{`Onboarding lasts ${s.onboarding.days} days, at most ${s.onboarding.maxConcurrentPerCsm} per CSM; at most ${s.openTaskCap} open CS tasks per company.`}</Text>
      <Table testId="playbooks" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Playbook</TableHeader>
            <TableHeader>Fires when</TableHeader>
            <TableHeader>Cooldown</TableHeader>
            <TableHeader>Status</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {s.playbooks.map((p) => (
            <TableRow key={p.id} testId={`playbook-${p.id}`}>
              <TableCell>{p.label}</TableCell>
              <TableCell>{p.trigger}</TableCell>
              <TableCell>{p.cooldownDays === null ? 'Once per period' : `${p.cooldownDays} days`}</TableCell>
              <TableCell>
                <StatusTag variant={p.enabled ? 'success' : 'default'}>{p.enabled ? 'On' : 'Off'}</StatusTag>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Heading>Pool</Heading>
      <Text>{s.pool.queueId ? `Pool tasks go to queue ${s.pool.queueId}.` : 'No pool queue: pool tasks go to the least-loaded member.'}</Text>
      <Table testId="pool" bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Member</TableHeader>
            <TableHeader>Skills</TableHeader>
            <TableHeader>Coverage days</TableHeader>
            <TableHeader>Capacity</TableHeader>
            <TableHeader>Status</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {s.pool.members.map((m) => (
            <TableRow key={m.ownerId} testId={`member-${m.ownerId}`}>
              <TableCell>{m.name}</TableCell>
              <TableCell>{m.skills.length ? m.skills.join(', ') : '—'}</TableCell>
              <TableCell>{m.coverageDays.join(', ')}</TableCell>
              <TableCell>{String(m.capacity)}</TableCell>
              <TableCell>
                <StatusTag variant={!m.active ? 'danger' : m.outOfOffice ? 'warning' : 'success'}>
                  {!m.active ? 'Inactive' : m.outOfOffice ? 'Out of office' : 'Available'}
                </StatusTag>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>

      <Accordion title="Effective config (JSON)">
        <Text testId="config-json">{JSON.stringify(data.config.json, null, 2)}</Text>
      </Accordion>

      <Heading>What if?</Heading>
      <TextArea
        label="Config change (JSON)"
        name="config-override"
        description="Paste the settings to try. Nothing is saved: you see how many accounts would change band or segment and how many tasks would fire."
        rows={6}
        value={overrideText}
        error={overrideError !== null}
        validationMessage={overrideError ?? undefined}
        onChange={setOverrideText}
      />
      <Flex direction="column" gap="xs" testId="settings-examples">
        <Text variant="microcopy">Examples (each is a valid change):</Text>
        {SETTINGS_EXAMPLES.map((e) => (
          <Flex key={e.json} direction="row" gap="xs" align="center">
            <Button size="xs" testId={`example-${SETTINGS_EXAMPLES.indexOf(e)}`} onClick={() => setOverrideText(e.json)}>
              Use
            </Button>
            <Text variant="microcopy">{`${e.label}: ${e.json}`}</Text>
          </Flex>
        ))}
      </Flex>
      <Button testId="preview" variant="primary" disabled={previewing} onClick={() => void runPreview()}>
        {previewing ? 'Computing…' : 'Preview'}
      </Button>
      {preview ? <Preview preview={preview} /> : null}
    </Flex>
  );
}

hubspot.extend<'settings'>(({ actions }) => <SettingsPage actions={actions} />);
