import { createProgress } from './progress';

function sink(isTTY: boolean) {
  const lines: string[] = [];
  const stream = { isTTY, write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stream, lines };
}

describe('createProgress', () => {
  test('off a TTY it prints a line per 10% with done/total, and the final count', () => {
    const { stream, lines } = sink(false);
    let t = 0;
    const p = createProgress({ label: 'sweep', total: 1000, stream, now: () => (t += 100) });
    for (let d = 100; d <= 1000; d += 50) p.tick(d, 'x');
    p.finish('1000 companies', 1000);
    expect(lines.filter((l) => l.includes('%'))).toHaveLength(11);
    expect(lines[0]).toMatch(/sweep \[###-+\]\s+10%\s+100\/1,000/);
    expect(lines.at(-1)).toMatch(/100%\s+1,000\/1,000 .*1000 companies/);
  });

  test('a total learnt on the way (first search page) turns counts into a bar', () => {
    const { stream, lines } = sink(false);
    const p = createProgress({ label: 'sweep', total: null, stream });
    p.tick(200, '', null);
    p.tick(400, '', 2000);
    p.finish('', 2000);
    expect(lines[0]).toMatch(/sweep: 200 done/);
    expect(lines[1]).toMatch(/20%\s+400\/2,000/);
    expect(lines.at(-1)).toMatch(/100%\s+2,000\/2,000/);
  });

  test('on a TTY it redraws one line', () => {
    const { stream, lines } = sink(true);
    const p = createProgress({ label: 'sweep', total: 10, stream });
    p.tick(5);
    p.finish(undefined, 10);
    expect(lines[0]?.startsWith('\r')).toBe(true);
    expect(lines.at(-1)).toMatch(/100%/);
  });
});
