/**
 * The layer rule (`layers/direction` in eslint.config.mjs, run by `npm test` through `npm run lint`)
 * catches an import against the direction: for each direction, a copy of a real file of the layer
 * gets one bad import and is linted (in memory, nothing is written), with the project's config, as a
 * file beside the original (or under its own path). The unchanged copy is clean, so each failure is
 * the added line's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Probe {
  /** A real file of the layer; the probe is linted as a sibling of it. */
  copyOf: string;
  /** The import line added to the copy. */
  add: string;
  /** Expected: the layer rule's messages for the added line (empty: allowed). */
  expect: RegExp | null;
  /** Lint the copy under the original's own path (rules that name files, not only folders). */
  samePath?: boolean;
}

const probes: Probe[] = [
  // core ← nothing: pure, no other layer, no Node built-in.
  { copyOf: 'src/core/segment.ts', add: "import { WRITTEN_PROPERTIES } from '../hubspot';", expect: /'core' may not import 'hubspot'/ },
  { copyOf: 'src/core/segment.ts', add: "import { runSweep } from '../app';", expect: /'core' may not import 'app'/ },
  { copyOf: 'src/core/segment.ts', add: "import { systemClock } from '../platform/clock';", expect: /'core' may not import 'platform'/ },
  { copyOf: 'src/core/segment.ts', add: "import { readFileSync } from 'node:fs';", expect: /'core' may not import the package 'node:fs'/ },
  // hubspot ← core, platform and the app's ports only.
  { copyOf: 'src/hubspot/crm.ts', add: "import { runSweep } from '../app';", expect: /'hubspot' may not import 'app'/ },
  { copyOf: 'src/hubspot/crm.ts', add: "import { startServe } from '../server/serve';", expect: /'hubspot' may not import 'server'/ },
  { copyOf: 'src/hubspot/crm.ts', add: "import type { CompanyQuery } from '../app/ports/crm';", expect: /'hubspot' enters 'ports' only through 'src\/app\/ports'/ },
  { copyOf: 'src/hubspot/crm.ts', add: "import type { CompanyQuery } from '../app/ports';", expect: null },
  // app ← core, hubspot (its index), never above.
  { copyOf: 'src/app/sweep.ts', add: "import { startServe } from '../server/serve';", expect: /'app' may not import 'server'/ },
  { copyOf: 'src/app/sweep.ts', add: "import { parseArgs } from '../cli/args';", expect: /'app' may not import 'cli'/ },
  { copyOf: 'src/app/sweep.ts', add: "import { startLocalCrm } from '../emulator';", expect: /'app' may not import 'emulator'/ },
  { copyOf: 'src/app/sweep.ts', add: "import { WRITTEN_PROPERTIES } from '../hubspot/company-properties';", expect: /'app' enters 'hubspot' only through 'src\/hubspot'/ },
  { copyOf: 'src/app/sweep.ts', add: "import { healthScore } from '../core/health';", expect: /'app' enters 'core' only through 'src\/core'/ },
  // {cli, server, functions} ← app through its index only.
  { copyOf: 'src/server/serve.ts', add: "import { runSweep } from '../app/sweep';", expect: /'server' enters 'app' only through 'src\/app'/ },
  { copyOf: 'src/server/serve.ts', add: "import { createHubSpotCrm } from '../hubspot';", expect: /'server' may not import 'hubspot'/ },
  { copyOf: 'src/server/serve.ts', add: "import { runCli } from '../cli/main';", expect: /'server' may not import 'cli'/ },
  { copyOf: 'src/cli/target.ts', add: "import { runSweep } from '../app/sweep';", expect: /'cli' enters 'app' only through 'src\/app'/ },
  { copyOf: 'src/cli/summary.ts', add: "import type { CrmPort } from '../app/ports';", expect: /'cli' enters 'ports' only through 'src\/app'/ },
  { copyOf: 'functions/card-data.ts', add: "import { runSweep } from '../src/app/sweep';", expect: /'functions' enters 'app' only through 'src\/app'/ },
  { copyOf: 'functions/card-data.ts', add: "import { HubSpotApiError } from '../src/hubspot/errors';", expect: /'functions' may not import 'hubspot'/ },
  { copyOf: 'functions/card-data.ts', add: "import { startServe } from '../src/server/serve';", expect: /'functions' may not import 'server'/ },
  // extensions ← the app's view models only.
  { copyOf: 'extensions/cards/view-model.ts', add: "import { depsFromEnv } from '../../src/app';", expect: /'extensions' enters 'app' only through 'src\/app\/view-models'/ },
  { copyOf: 'extensions/cards/view-model.ts', add: "import { defaultConfig } from '../../src/core';", expect: /'extensions' may not import 'core'/ },
  { copyOf: 'extensions/cards/view-model.ts', add: "import { startServe } from '../../src/server/serve';", expect: /'extensions' may not import 'server'/ },
  { copyOf: 'extensions/cards/view-model.ts', add: "import { readFileSync } from 'node:fs';", expect: /'extensions' may not import the package 'node:fs'/ },
  { copyOf: 'extensions/cards/view-model.ts', add: "import { SEGMENTS } from '../../src/app/view-models';", expect: null },
  // What the extensions bundle imports only view-model files and the core's contract types.
  { copyOf: 'src/app/function-params.ts', add: "import { depsFromEnv } from './runtime';", expect: /bundled into the extensions: it imports only the other view-model files/, samePath: true },
  { copyOf: 'src/app/function-params.ts', add: "import { defaultConfig } from '../core';", expect: /bundled into the extensions/, samePath: true },
  { copyOf: 'src/app/function-params.ts', add: "import type { CardData } from './card-data';", expect: null, samePath: true },
  // emulator ← platform only; platform ← nothing.
  { copyOf: 'src/emulator/server.ts', add: "import { createHubSpotCrm } from '../hubspot';", expect: /'emulator' may not import 'hubspot'/ },
  { copyOf: 'src/emulator/server.ts', add: "import { defaultConfig } from '../core';", expect: /'emulator' may not import 'core'/ },
  { copyOf: 'src/emulator/server.ts', add: "import { runSweep } from '../app';", expect: /'emulator' may not import 'app'/ },
  { copyOf: 'src/platform/clock.ts', add: "import { defaultConfig } from '../core';", expect: /'platform' may not import 'core'/ },
  // The bench and the tests may use any layer, but enter the app and the core through their index.
  { copyOf: 'bench/sweep.ts', add: "import { runSweep } from '../src/app/sweep';", expect: /'bench' enters 'app' only through 'src\/app'/ },
  { copyOf: 'bench/sweep.ts', add: "import { makeAccount } from '../src/core/test-support';", expect: null },
  { copyOf: 'src/app/sweep.test.ts', add: "import { recordRequests } from '../hubspot/test-support';", expect: null },
  { copyOf: 'test/reliability/stack.ts', add: "import { healthScore } from '../../src/core/health';", expect: /'test' enters 'core' only through 'src\/core'/ },
  { copyOf: 'test/reliability/stack.ts', add: "import type { CrmPort } from '../../src/app/ports';", expect: /'test' enters 'ports' only through 'src\/app'/ },
];

function lint(inputs: Array<{ filePath: string; code: string }>): Array<Array<{ ruleId: string | null; message: string; line: number }>> {
  const out = execFileSync(process.execPath, [join(__dirname, 'lint-texts.mjs')], { cwd: ROOT, input: JSON.stringify(inputs), maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as Array<Array<{ ruleId: string | null; message: string; line: number }>>;
}

describe('layers/direction', () => {
  // One ESLint process for every probe and its control (ESLint's start-up dominates).
  let results: ReturnType<typeof lint>;
  beforeAll(() => {
    const inputs = probes.flatMap((p) => {
      const original = readFileSync(join(ROOT, p.copyOf), 'utf8');
      const ext = p.copyOf.endsWith('.tsx') ? '.tsx' : '.ts';
      const filePath = p.samePath ? join(ROOT, p.copyOf) : join(ROOT, dirname(p.copyOf), `__layers-probe__${p.copyOf.includes('.test.') ? '.test' : ''}${ext}`);
      return [
        { filePath, code: original },
        { filePath, code: `${p.add}\n${original}` },
      ];
    });
    results = lint(inputs);
  }, 120_000);

  test.each(probes.map((p, i) => [`${p.copyOf} + ${p.add}`, p, i] as const))('%s', (_name, probe, i) => {
    const layerMessages = (k: number) => (results[k] ?? []).filter((m) => m.ruleId === 'layers/direction');
    expect(layerMessages(2 * i)).toEqual([]);
    const added = layerMessages(2 * i + 1).filter((m) => m.line === 1);
    if (probe.expect === null) {
      expect(added).toEqual([]);
    } else {
      expect(added).toHaveLength(1);
      expect(added[0]?.message).toMatch(probe.expect);
    }
  });
});
