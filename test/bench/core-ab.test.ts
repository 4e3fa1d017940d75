/**
 * bench/core-ab.ts: two cores compared in one process, chunk by chunk in turn. Checks the argument
 * parsing, that a base against the same code plans the same work, that a change in what the core
 * decides is caught, and that a base that is not a commit is refused by name.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeAb, parseAbArgs, runCoreAb } from '../../bench/core-ab';

const REPO = resolve(__dirname, '..', '..');

describe('parseAbArgs', () => {
  it('takes a base revision with defaults, and the two counts', () => {
    expect(parseAbArgs(['HEAD~1'])).toEqual({ base: 'HEAD~1', chunks: 40, chunkSize: 10_000 });
    expect(parseAbArgs(['main', '--chunks', '6', '--chunk-size', '500'])).toEqual({ base: 'main', chunks: 6, chunkSize: 500 });
  });

  it('refuses a missing base, a second base, an unknown flag and a count that is not a whole number in range', () => {
    expect(() => parseAbArgs([])).toThrow(/usage: npx tsx bench\/core-ab\.ts <base-rev>/);
    expect(() => parseAbArgs(['a', 'b'])).toThrow('one base revision only, got a and b');
    expect(() => parseAbArgs(['a', '--fast'])).toThrow('unknown flag --fast');
    expect(() => parseAbArgs(['a', '--chunks', '0'])).toThrow('--chunks needs a whole number from 1 to 1,000, got 0');
    expect(() => parseAbArgs(['a', '--chunk-size', '2.5'])).toThrow('--chunk-size needs a whole number from 1 to 100,000, got 2.5');
    expect(() => parseAbArgs(['a', '--chunks'])).toThrow('--chunks needs a whole number from 1 to 1,000, got nothing');
  });
});

describe('runCoreAb', () => {
  jest.setTimeout(120_000);

  it('runs the base commit against the working tree over the same accounts: the same work planned, both timed', async () => {
    const r = await runCoreAb({ base: 'HEAD', chunks: 2, chunkSize: 1000 });
    expect(r.accounts).toBe(2000);
    expect(r.baseCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(r.tasksA).toBeGreaterThan(0);
    expect(r.tasksB).toBe(r.tasksA);
    expect(r.aMs).toBeGreaterThan(0);
    expect(r.bMs).toBeGreaterThan(0);
    expect(r.ratio).toBeCloseTo(r.bMs / r.aMs, 10);
    expect(r.chunkLow).toBeLessThanOrEqual(r.chunkMedian);
    expect(r.chunkMedian).toBeLessThanOrEqual(r.chunkHigh);
    expect(describeAb(r, 'HEAD')[2]).toBe(`tasks planned: ${r.tasksA.toLocaleString('en-US')} on both sides`);
  });

  it('says so when the change alters what the core decides (here: a core that drops every planned task)', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'core-ab-tree-'));
    try {
      cpSync(join(REPO, 'src'), join(tree, 'src'), { recursive: true });
      cpSync(join(REPO, 'bench'), join(tree, 'bench'), { recursive: true });
      symlinkSync(join(REPO, 'node_modules'), join(tree, 'node_modules'), 'dir');
      const evaluate = join(tree, 'src', 'core', 'evaluate.ts');
      const text = readFileSync(evaluate, 'utf8');
      expect(text).toContain('let tasks = plan.tasks;');
      writeFileSync(evaluate, text.replace('let tasks = plan.tasks;', 'let tasks = plan.tasks.slice(0, 0);'));
      const r = await runCoreAb({ base: 'HEAD', chunks: 2, chunkSize: 1000, tree });
      expect(r.tasksA).toBeGreaterThan(0);
      expect(r.tasksB).toBe(0);
      expect(describeAb(r, 'HEAD')[2]).toBe(`tasks planned differ: A ${r.tasksA.toLocaleString('en-US')}, B 0 — the change altered what the core decides`);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('refuses a base that is not a commit of the repository', async () => {
    await expect(runCoreAb({ base: 'no-such-revision-xyz', chunks: 1, chunkSize: 10 })).rejects.toThrow('base revision no-such-revision-xyz is not a commit of this repository');
  });
});
