/**
 * Reliability case 19: a run across a DST change or in any TZ gives the same period keys and due
 * dates. In process (instants either side of DST switches on one UTC day) and in child processes
 * with TZ=America/New_York, Asia/Kolkata, Europe/Berlin, Pacific/Chatham and UTC.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { INSTANTS, probe } from './tz-probe';

const TSX = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const PROBE = join(__dirname, 'tz-probe.ts');

test('case 19: a run across a DST change or in any TZ — the same period keys and due dates', () => {
  const here = probe();
  for (const [before, after] of INSTANTS) {
    const a = here[before] ?? [];
    expect(a.length).toBeGreaterThan(3);
    expect(here[after]).toEqual(a); // same UTC day, either side of the switch: same keys, same due instants
    for (const t of a) {
      expect(t.dueAt).toMatch(/^\d{4}-\d{2}-\d{2}T09:00:00\.000Z$/); // dueHourUtc 9, in UTC
      expect(t.key).not.toMatch(/T\d{2}:/); // keys carry days, never clock times
    }
  }
  const outputs = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/Berlin', 'Pacific/Chatham'].map((tz) => {
    const text = execFileSync(TSX, [PROBE], { env: { ...process.env, TZ: tz }, encoding: 'utf8', timeout: 30_000 });
    return { tz, text };
  });
  const expected = JSON.stringify(here);
  for (const o of outputs) expect({ tz: o.tz, text: o.text }).toEqual({ tz: o.tz, text: expected });
}, 60_000);
