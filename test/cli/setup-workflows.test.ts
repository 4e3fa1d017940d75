/**
 * `setup --workflows` as a user runs it (child process on the local CRM): the first run creates one
 * turned-off workflow per digital touch type and says what the admin does next; a rerun creates none.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function cli(args: string[]) {
  const env = { ...process.env, HUBSPOT_ACCESS_TOKEN: '', HUBSPOT_CLIENT_SECRET: '' };
  const r = spawnSync(TSX, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('setup --workflows creates the six digital-touch workflows turned off, then nothing on a rerun', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-wf-'));
  try {
    const first = cli(['setup', '--workflows', '--companies', '30', '--csms', '3', '--dir', dir]);
    expect(first.err).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Digital-touch workflows \(scope "automation"\): 6 created, 0 already there\./);
    expect(first.out).toMatch(/Pooled CS · digital touch · Usage summary before renewal \(id \d+, off\)/);
    expect(first.out).toMatch(/Next, in HubSpot \(6 workflows still off\)/);

    const again = cli(['setup', '--workflows', '--dir', dir]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/0 created, 6 already there\./);
    expect(again.out).toMatch(/Nothing to create\./);

    const plain = cli(['setup', '--dir', dir]);
    expect(plain.code).toBe(0);
    expect(plain.out).not.toMatch(/Digital-touch workflows/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
