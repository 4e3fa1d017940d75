import { Flex, Heading, LineChart, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import type { CardData } from '../../../src/app/view-models';
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

/** The company's contacts: name (primary first), role, last engagement. */
export function PeopleSection({ card }: { card: CardData }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>People</Heading>
      {card.people.length === 0 ? (
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
            {card.people.map((p) => (
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
