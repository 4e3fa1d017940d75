import {
  Button,
  EmptyState,
  Flex,
  Heading,
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
import { formatDate, formatDateTime, formatTriggerValues, taskHolder } from '../view-model';
import type { Busy, RunAction } from './types';

export interface PlaybooksSectionProps {
  /** The record in HubSpot's context: actions always target it. */
  companyId: string;
  card: CardData;
  busy: Busy;
  runAction: RunAction;
}

/** Open CS tasks (subject, due, owner or queue) and the recent triggers with their rule and values. */
export function PlaybooksSection({ companyId, card, busy, runAction }: PlaybooksSectionProps) {
  const { openTasks, recentTriggers, openTaskCap } = card.playbooks;
  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" justify="between" align="center">
        <Heading>Playbooks</Heading>
        <Button
          testId="run-playbooks"
          size="sm"
          disabled={busy !== null}
          onClick={() => void runAction('run-playbooks', { companyId }, 'Playbooks run.')}
        >
          {busy === 'run-playbooks' ? 'Running…' : 'Run playbooks'}
        </Button>
      </Flex>
      <Text testId="task-count">{`${openTasks.length} open CS ${openTasks.length === 1 ? 'task' : 'tasks'} (cap ${openTaskCap})`}</Text>
      {openTasks.length === 0 ? (
        <EmptyState testId="no-tasks" title="No open CS tasks" imageName="task" layout="horizontal" flush>
          <Text>Nothing is due for this account. Tasks appear here when a playbook fires.</Text>
        </EmptyState>
      ) : (
        <Table testId="open-tasks" bordered={false}>
          <TableHead>
            <TableRow>
              <TableHeader>Task</TableHeader>
              <TableHeader>Due</TableHeader>
              <TableHeader>Owner or queue</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {openTasks.map((t) => (
              <TableRow key={t.id} testId={`task-${t.id}`}>
                <TableCell>
                  <Flex direction="row" gap="xs">
                    <Text>{t.subject}</Text>
                    {t.priority === 'HIGH' ? <Tag variant="error">High</Tag> : null}
                  </Flex>
                </TableCell>
                <TableCell>{formatDate(t.dueAt)}</TableCell>
                <TableCell>{taskHolder(t)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {recentTriggers.length > 0 ? (
        <Table testId="recent-triggers" bordered={false}>
          <TableHead>
            <TableRow>
              <TableHeader>Why it fired</TableHeader>
              <TableHeader>Values</TableHeader>
              <TableHeader>When</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {recentTriggers.map((tr) => (
              <TableRow key={tr.key} testId={`trigger-${tr.key}`}>
                <TableCell>{tr.rule}</TableCell>
                <TableCell>{formatTriggerValues(tr.values)}</TableCell>
                <TableCell>{formatDateTime(tr.firedAt)}</TableCell>
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
