import { Button, Flex, Heading, LineChart, LoadingSpinner, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import type { CardData } from '../../../src/app/view-models';
import type { PeopleState } from '../usePeople';
import { formatDate, scoreChangeText, trendRows } from '../view-model';

/** Score history with its causes (HubSpot's property history) and the 90-day trend. */
export function HistorySection({ card }: { card: CardData }) {
  const rows = trendRows(card);
  const { history } = card.health;
  return (
    <Flex direction="column" gap="sm">
      <Heading>History</Heading>
      {history.length === 0 ? (
        <Text testId="history-none" variant="microcopy">
          No score change recorded yet.
        </Text>
      ) : (
        <Flex direction="column" gap="xs" testId="history">
          {history.map((h) => (
            <Text key={h.at} testId={`history-${h.at}`}>
              {scoreChangeText(h)}
            </Text>
          ))}
        </Flex>
      )}
      {rows.length >= 2 ? (
        <LineChart
          testId="health-trend"
          data={rows}
          axes={{ x: { field: 'date', fieldType: 'datetime', label: 'Day' }, y: { field: 'score', fieldType: 'linear', label: 'Health score' } }}
          options={{ title: 'Health over the last 90 days', showTooltips: true }}
        />
      ) : null}
    </Flex>
  );
}

/**
 * The company's contacts: name (primary first, at most `card.peopleMax`), role, last engagement.
 * They come from HubSpot's `useAssociations` hook (`usePeople`), not from `card-data`.
 */
export function PeopleSection({ card, people }: { card: CardData; people: PeopleState }) {
  const shown = people.status === 'ready' ? people.people.slice(0, card.peopleMax) : [];
  return (
    <Flex direction="column" gap="sm">
      <Heading>People</Heading>
      {people.status === 'loading' ? (
        <LoadingSpinner testId="people-loading" label="Loading contacts…" size="xs" />
      ) : people.status === 'error' ? (
        <Flex direction="column" gap="xs" testId="people-error">
          <Text variant="microcopy">{`The contacts could not be loaded from HubSpot (${people.message}).`}</Text>
          <Button testId="people-retry" size="xs" onClick={people.retry}>
            Try again
          </Button>
        </Flex>
      ) : shown.length === 0 ? (
        <Text testId="people-none" variant="microcopy">
          No contact is associated with this company.
        </Text>
      ) : (
        <Table testId="people" bordered={false}>
          <TableHead>
            <TableRow>
              <TableHeader>Name</TableHeader>
              <TableHeader>Role</TableHeader>
              <TableHeader>Last engagement</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map((p) => (
              <TableRow key={p.id} testId={`person-${p.id}`}>
                <TableCell>
                  <Flex direction="row" gap="xs">
                    <Text>{p.name}</Text>
                    {p.primary ? <Tag variant="info">Primary</Tag> : null}
                  </Flex>
                </TableCell>
                <TableCell>{p.role ?? '—'}</TableCell>
                <TableCell>{p.lastEngagedAt === null ? 'Never' : formatDate(p.lastEngagedAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
