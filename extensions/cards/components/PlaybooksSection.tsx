import {
  Button,
  EmptyState,
  Flex,
  Heading,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { CardData } from '../../../src/app/view-models';
import { byUrgency, dueText, formatDate, taskHolder, taskTitle, wordsWithDates } from '../view-model';
import { taskContactText } from '../people';
import type { PeopleState } from '../usePeople';
import type { Busy, RunAction } from './types';

export interface PlaybooksSectionProps {
  /** The record in HubSpot's context: actions always target it. */
  companyId: string;
  card: CardData;
  busy: Busy;
  runAction: RunAction;
}

/**
 * The next action: open CS tasks, most urgent first (overdue, then due date, then priority), each
 * with why it exists, who holds it, the contact it is about, and Complete / Snooze.
 */
export function NextActionSection({ companyId, card, busy, runAction, people }: PlaybooksSectionProps & { people?: PeopleState }) {
  const { openTasks, openTaskCap } = card.playbooks;
  // The task's contacts are named from the People read (HubSpot's useAssociations); counted while it loads.
  const known = people?.status === 'ready' ? people.people : people?.status === 'loading' ? null : [];
  const contactLine = (t: CardData['playbooks']['openTasks'][number]) => taskContactText(t, known);
  const tasks = [...openTasks].sort(byUrgency);
  const snoozeOptions = card.snoozeDays.map((d) => ({ label: `${d} ${d === 1 ? 'day' : 'days'}`, value: d }));
  return (
    <Flex direction="column" gap="sm">
      <Heading>Next action</Heading>
      {tasks.length === 0 ? (
        <EmptyState testId="no-tasks" title="No open CS tasks" imageName="task" layout="horizontal" flush>
          <Text>Nothing is due for this account. Tasks appear here when a playbook fires.</Text>
        </EmptyState>
      ) : (
        <Table testId="open-tasks" bordered={false}>
          <TableHead>
            <TableRow>
              <TableHeader>Task</TableHeader>
              <TableHeader>Due</TableHeader>
              <TableHeader>Who</TableHeader>
              <TableHeader>Act</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {tasks.map((t) => (
              <TableRow key={t.id} testId={`task-${t.id}`}>
                <TableCell>
                  <Flex direction="column" gap="flush">
                    <Flex direction="row" gap="xs">
                      <Text format={{ fontWeight: 'demibold' }}>{taskTitle(t, card.companyName)}</Text>
                      {t.priority === 'HIGH' ? <Tag variant="error">High</Tag> : null}
                    </Flex>
                    {t.why ? <Text variant="microcopy">{wordsWithDates(t.why)}</Text> : null}
                    {contactLine(t) === null ? null : (
                      <Text variant="microcopy" testId={`task-contact-${t.id}`}>{contactLine(t)}</Text>
                    )}
                  </Flex>
                </TableCell>
                <TableCell>
                  {t.overdueDays > 0 ? <Tag variant="error">{dueText(t, card.computedAt)}</Tag> : <Text>{dueText(t, card.computedAt)}</Text>}
                </TableCell>
                <TableCell>{taskHolder(t)}</TableCell>
                <TableCell>
                  <Flex direction="column" gap="xs">
                    <Button
                      testId={`complete-${t.id}`}
                      size="xs"
                      variant="primary"
                      disabled={busy !== null}
                      onClick={() => void runAction('update-task', { companyId, taskId: t.id, action: 'complete' }, 'Task completed in HubSpot.')}
                    >
                      Complete
                    </Button>
                    <Select
                      name={`snooze-${t.id}`}
                      label=""
                      placeholder="Snooze…"
                      options={snoozeOptions}
                      readOnly={busy !== null}
                      onChange={(value) => {
                        const days = Number(value);
                        if (Number.isInteger(days) && days > 0) {
                          void runAction('update-task', { companyId, taskId: t.id, action: 'snooze', days }, `Task snoozed by ${days} ${days === 1 ? 'day' : 'days'}.`);
                        }
                      }}
                    />
                  </Flex>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text testId="task-count" variant="microcopy">{`${openTasks.length} open CS ${openTasks.length === 1 ? 'task' : 'tasks'} (at most ${openTaskCap} at a time)`}</Text>
    </Flex>
  );
}

/** The recent triggers: which rule fired, in words, and the day it fired; Run playbooks. */
export function PlaybooksSection({ companyId, card, busy, runAction }: PlaybooksSectionProps) {
  const { recentTriggers } = card.playbooks;
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" justify="between" align="center">
        <Heading>Why tasks were created</Heading>
        <Button
          testId="run-playbooks"
          size="sm"
          disabled={busy !== null}
          onClick={() => void runAction('run-playbooks', { companyId }, 'Playbooks run.')}
        >
          {busy === 'run-playbooks' ? 'Running…' : 'Run playbooks'}
        </Button>
      </Flex>
      {recentTriggers.length > 0 ? (
        <Table testId="recent-triggers" bordered={false}>
          <TableHead>
            <TableRow>
              <TableHeader>What fired</TableHeader>
              <TableHeader>On</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {recentTriggers.map((tr) => (
              <TableRow key={tr.key} testId={`trigger-${tr.key}`}>
                <TableCell>{wordsWithDates(tr.rule)}</TableCell>
                <TableCell>{formatDate(tr.firedAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Text testId="no-triggers" variant="microcopy">
          No playbook has fired recently.
        </Text>
      )}
    </Flex>
  );
}
