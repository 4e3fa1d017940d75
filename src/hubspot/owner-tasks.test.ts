import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createHubSpotCrm } from './crm';
import { BASE, TOKEN, fakeClock, hsObject, seededRandom } from './test-support';

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
}
interface SearchBody {
  filterGroups: Array<{ filters: Filter[] }>;
  limit: number;
  after?: string;
}
interface Task {
  id: number;
  owner: string;
  status: string;
  body: string;
}

/**
 * A HubSpot-like task search: groups ORed, filters ANDed (IN, EQ, NEQ, GT on hs_object_id), sorted by
 * id, HubSpot's `after` offset, the 10,000-result ceiling; `onPage` runs after each answer.
 */
function taskSearch(tasks: Task[], onPage: (n: number) => void = () => {}) {
  let pages = 0;
  const matches = (t: Task, f: Filter) => {
    const v = f.propertyName === 'hubspot_owner_id' ? t.owner : f.propertyName === 'hs_task_status' ? t.status : f.propertyName === 'hs_object_id' ? t.id : '';
    if (f.operator === 'IN') return (f.values ?? []).includes(String(v));
    if (f.operator === 'EQ') return String(v) === f.value;
    if (f.operator === 'NEQ') return String(v) !== f.value;
    if (f.operator === 'GT') return Number(v) > Number(f.value);
    throw new Error(`operator ${f.operator}`);
  };
  return http.post(`${BASE}/crm/v3/objects/tasks/search`, async ({ request }) => {
    const body = (await request.json()) as SearchBody;
    const matching = tasks.filter((t) => body.filterGroups.some((g) => g.filters.every((f) => matches(t, f)))).sort((a, b) => a.id - b.id);
    const offset = Number(body.after ?? '0');
    if (offset + body.limit > 10_000) return HttpResponse.json({ status: 'error', message: 'Search results are limited to 10,000.', category: 'VALIDATION_ERROR' }, { status: 400 });
    const page = matching.slice(offset, offset + body.limit);
    const next = offset + page.length;
    const answer = HttpResponse.json({
      total: matching.length,
      results: page.map((t) => hsObject(String(t.id), { hubspot_owner_id: t.owner, hs_task_status: t.status, hs_task_body: t.body })),
      ...(next < matching.length ? { paging: { next: { after: String(next) } } } : {}),
    });
    onPage(pages++);
    return answer;
  });
}

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const crm = () => createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), random: seededRandom(1), timeoutMs: 0 });

function portfolio(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => ({ id: 1000 + i * 7, owner: i % 2 === 0 ? '7' : '9', status: 'NOT_STARTED', body: i % 10 === 0 ? 'Why…\nDispatched on 2026-11-30' : 'Why…' }));
}

test('tasks completed while the loads are paged make no later page skip one (each page searches above the last id)', async () => {
  const tasks = portfolio(600);
  // After the first page is answered, CSMs complete 40 of the tasks it held.
  server.use(taskSearch(tasks, (n) => {
    if (n === 0) for (const t of tasks.slice(0, 40)) t.status = 'COMPLETED';
  }));
  const loads = await crm().ownerTaskLoads?.(['7', '9'], '2026-11-30', null);
  // Every task open when its page was read counts: the first page's 200, then the 400 after it.
  // With `after` offsets the second page would start 40 further on, and 40 open tasks would not count.
  expect((loads?.open.get('7') ?? 0) + (loads?.open.get('9') ?? 0)).toBe(600);
  expect(loads?.dispatchedOn.get('7')).toBe(60);
});

test('more than 10,000 open tasks are all counted (no search ceiling), one search call per 200', async () => {
  const tasks = portfolio(10_500);
  let calls = 0;
  server.use(taskSearch(tasks, () => calls++));
  const loads = await crm().ownerTaskLoads?.(['7', '9'], '2026-11-30', null);
  expect(loads?.open.get('7')).toBe(5_250);
  expect(loads?.open.get('9')).toBe(5_250);
  expect(calls).toBe(Math.ceil(10_500 / 200));
});
