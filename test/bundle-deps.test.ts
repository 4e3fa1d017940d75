/**
 * Each function bundle needs nothing outside itself: every require() left in it is a Node builtin or a
 * dependency of app/functions/package.json, and it loads in a fresh Node process far from any
 * node_modules and exports `main`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classifyRequires } from '../src/build/bundle-deps';
import { FIXTURE_ROOT, REPO_ROOT, buildIntoTemp, readJson, removeTempDirs, type TempProject } from './helpers/temp-build';

afterAll(removeTempDirs);

function functionBundles(project: TempProject): string[] {
  const dir = path.join(project.srcDir, 'app/functions');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => path.join(dir, f));
}

function dependencies(project: TempProject): Record<string, string> {
  const pkg = readJson(path.join(project.srcDir, 'app/functions/package.json'));
  return (pkg['dependencies'] ?? {}) as Record<string, string>;
}

/** Problems of one bundle: requires that are neither builtins nor declared dependencies. */
function unresolvedRequires(bundle: string, deps: Record<string, string>): string[] {
  return classifyRequires(fs.readFileSync(bundle, 'utf8'), deps)
    .filter((r) => r.kind === 'missing' || r.kind === 'dynamic')
    .map((r) => `${path.basename(bundle)}: require(${r.specifier ?? '<computed>'}) is neither a Node builtin nor in app/functions/package.json`);
}

/**
 * A folder holding only the declared dependencies (links into this repo's node_modules), as
 * HubSpot installs them from app/functions/package.json; nothing else is reachable.
 */
function installedDependencies(deps: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcs-deps-'));
  for (const name of Object.keys(deps)) {
    const target = path.dirname(require.resolve(`${name}/package.json`));
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.symlinkSync(target, path.join(dir, name), 'dir');
  }
  return dir;
}

/** Loads the bundle in a fresh process whose cwd has no node_modules, with only the declared dependencies; answers typeof main. */
function loadInFreshNode(bundle: string, extra = '', deps: Record<string, string> = {}): string {
  const script = `const m = require(${JSON.stringify(bundle)}); process.stdout.write(typeof m.main);${extra}`;
  return execFileSync(process.execPath, ['-e', script], {
    cwd: path.dirname(bundle),
    env: { PATH: process.env['PATH'] ?? '', NODE_PATH: installedDependencies(deps) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

describe('fixture function bundle (zod, date-fns and src/ inside; @hubspot/api-client declared)', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await buildIntoTemp(FIXTURE_ROOT);
  });

  test('has one bundle, outside any node_modules tree', () => {
    const bundles = functionBundles(project);
    expect(bundles.map((b) => path.basename(b))).toEqual(['hello.js']);
    let dir = path.dirname(bundles[0] ?? '');
    while (dir !== path.dirname(dir)) {
      expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
      dir = path.dirname(dir);
    }
  });

  test('requires only Node builtins or declared dependencies', () => {
    const deps = dependencies(project);
    const bundles = functionBundles(project);
    expect(bundles.flatMap((b) => unresolvedRequires(b, deps))).toEqual([]);
    // The api-client is left to app/functions/package.json (pinned), zod and date-fns are inside.
    expect(deps).toEqual({ '@hubspot/api-client': expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    const kinds = classifyRequires(fs.readFileSync(bundles[0] ?? '', 'utf8'), deps);
    expect(kinds.filter((r) => r.kind === 'dependency').map((r) => r.name)).toEqual(['@hubspot/api-client']);
    expect(kinds.map((r) => r.name)).not.toEqual(expect.arrayContaining(['zod']));
  });

  test('loads in a fresh Node process, exports main, and main runs', () => {
    const [bundle] = functionBundles(project);
    const out = loadInFreshNode(
      bundle ?? '',
      ` m.main({ parameters: { name: 'Ada' } }).then((r) => process.stdout.write(' ' + JSON.stringify(r)));`,
      dependencies(project),
    );
    expect(out).toBe('function {"ok":true,"message":"Hello, Ada (1970-01-01)"}');
  });
});

describe('real function bundles', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await buildIntoTemp(REPO_ROOT);
  });

  test('every require is a builtin or a declared dependency', () => {
    const deps = dependencies(project);
    expect(functionBundles(project).flatMap((b) => unresolvedRequires(b, deps))).toEqual([]);
  });

  test('every bundle loads in a fresh Node process and exports main', () => {
    const deps = dependencies(project);
    for (const bundle of functionBundles(project)) {
      expect(`${path.basename(bundle)}: ${loadInFreshNode(bundle, '', deps)}`).toBe(`${path.basename(bundle)}: function`);
    }
  });

  test('without the declared dependencies installed a bundle does not load (the isolation is real)', () => {
    const [bundle] = functionBundles(project);
    expect(() => loadInFreshNode(bundle ?? '', '', {})).toThrow(/Cannot find module '@hubspot\/api-client'/);
  });
});

describe('the checks catch what they are for', () => {
  test('a require of an undeclared package is reported, a declared one is not', () => {
    const code = 'const a = require("left-pad"); const b = require("node:fs"); const c = require("zod/v4"); x.require("nope");';
    expect(classifyRequires(code, {}).map((r) => [r.specifier, r.kind])).toEqual([
      ['left-pad', 'missing'],
      ['node:fs', 'builtin'],
      ['zod/v4', 'missing'],
    ]);
    expect(classifyRequires(code, { 'left-pad': '1.3.0', zod: '4.0.0' }).map((r) => r.kind)).toEqual(['dependency', 'builtin', 'dependency']);
  });

  test('a computed require and a relative require are reported', () => {
    expect(classifyRequires('require(name); require("./chunk.js"); function require(x) {}', {}).map((r) => r.kind)).toEqual(['dynamic', 'missing']);
  });

  test('a bundle that needs a package outside it fails to load in a fresh process', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pcs-bad-'));
    try {
      const bundle = path.join(dir, 'bad.js');
      fs.writeFileSync(bundle, 'const z = require("zod"); exports.main = async () => z;\n');
      expect(unresolvedRequires(bundle, {})).toEqual(['bad.js: require(zod) is neither a Node builtin nor in app/functions/package.json']);
      expect(() => loadInFreshNode(bundle)).toThrow(/Cannot find module 'zod'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
