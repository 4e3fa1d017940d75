/**
 * bench/core.ts: the core rows say which Node they ran on, can run under another Node binary
 * (`npm run bench -- --node <path>`, say a Node 22 as HubSpot's runtime), and refuse a path that is
 * not a supported Node before building or running anything.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeVersionOf, runCoreBench } from '../../bench/core';
import { parseBenchFlags } from '../../bench/flags';

describe('bench flags: --node', () => {
  it('takes a path, and refuses the flag without one', () => {
    expect(parseBenchFlags(['--only', 'core', '--node', '/opt/node22/bin/node']).node).toBe('/opt/node22/bin/node');
    expect(parseBenchFlags(['--only', 'core']).node).toBeNull();
    expect(() => parseBenchFlags(['--node'])).toThrow('Bad bench flag --node: needs the path of a Node binary');
  });
});

describe('nodeVersionOf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'core-node-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };

  it("reads this Node's version", () => {
    expect(nodeVersionOf(process.execPath)).toBe(process.version);
  });

  it('refuses a missing file, a program that is not Node, and a Node older than 20, by path', () => {
    expect(() => nodeVersionOf(join(dir, 'nope'))).toThrow(`--node ${join(dir, 'nope')}: not a Node binary (no such file)`);
    expect(() => nodeVersionOf(script('python', 'echo "Python 3.11.7"'))).toThrow('not a Node binary (--version printed "Python 3.11.7")');
    expect(() => nodeVersionOf(script('failing', 'exit 3'))).toThrow('not a Node binary (it did not run)');
    expect(() => nodeVersionOf(script('node18', 'echo v18.20.4'))).toThrow('Node v18.20.4 is older than the app supports (20 or later)');
  });
});

describe('runCoreBench', () => {
  jest.setTimeout(120_000);

  it('runs the rows under the given Node and says which, in the lines and in the JSON rows', async () => {
    // A Node of its own: this one behind a script that records each start.
    const dir = mkdtempSync(join(tmpdir(), 'core-node-run-'));
    const starts = join(dir, 'starts.log');
    const node = join(dir, 'node');
    writeFileSync(node, `#!/bin/sh\necho "$@" >> '${starts}'\nexec '${process.execPath}' "$@"\n`);
    chmodSync(node, 0o755);
    const lines: string[] = [];
    let r: Awaited<ReturnType<typeof runCoreBench>>;
    try {
      r = await runCoreBench({ accounts: 2000, runs: 1, node, log: (l) => lines.push(l) });
      const started = readFileSync(starts, 'utf8').trim().split('\n');
      // --version (the check), then the bundle and the source rows.
      expect(started).toHaveLength(3);
      expect(started[0]).toBe('--version');
      expect(started[1]).toMatch(/--expose-gc .*core-child\.cjs \{"accounts":2000,/);
      expect(started[2]).toMatch(/--expose-gc --import tsx .*core-child\.ts \{"accounts":2000,/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(r.rows.map((row) => [row.form, row.accounts, row.node])).toEqual([
      ['bundle', 2000, process.version],
      ['source', 2000, process.version],
    ]);
    expect(r.rows[0]?.ms).toBeGreaterThan(0);
    expect(lines[0]).toContain(`on Node ${process.version}`);
    expect(lines.find((l) => l.includes('as shipped'))).toContain(`as shipped (the functions' bundle), on Node ${process.version}`);
  });

  it('refuses a path that is not Node before running anything', async () => {
    const lines: string[] = [];
    await expect(runCoreBench({ accounts: 2000, runs: 1, node: '/nonexistent/node', log: (l) => lines.push(l) })).rejects.toThrow('--node /nonexistent/node: not a Node binary (no such file)');
    expect(lines).toEqual([]);
  });
});
