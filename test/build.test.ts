/**
 * `npm run build` output is a valid HubSpot 2026.03 project: HubSpot's own parser (offline) accepts it,
 * and every -hsmeta.json passes our schemas. Broken outputs fail with a message naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BuildError, buildProject, type BuildResult } from '../src/build/build';
import { REQUIRED_SCOPES } from '../src/build/app-meta';
import { runHubSpotParser } from '../src/build/hubspot-parser';
import { formatIssue, validateProject, walkFiles } from '../src/build/validate';
import {
  FIXTURE_ROOT,
  REPO_ROOT,
  buildIntoTemp,
  copyProject,
  readJson,
  removeTempDirs,
  tempDir,
  writeJson,
  type TempProject,
} from './helpers/temp-build';

afterAll(removeTempDirs);

/** Runs both checks and returns every message (ours formatted with file and JSON path). */
async function checkProject(projectDir: string, srcDir: string): Promise<{ ours: string[]; hubspot: string[] }> {
  const ours = validateProject(srcDir).issues.map(formatIssue);
  const parser = await runHubSpotParser(projectDir);
  return { ours, hubspot: parser.ok ? [] : parser.errors };
}

describe('fixture project (one component of each type)', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await buildIntoTemp(FIXTURE_ROOT, { env: { CS_ACTION_BASE_URL: 'https://actions.example.com/cs/' } });
  });

  test('HubSpot parser and our schemas accept the output', async () => {
    const parser = await runHubSpotParser(project.projectDir);
    if (!parser.ok) throw new Error(parser.errors.join('\n'));
    expect(parser.platformVersion).toBe('2026.03');
    expect(parser.components.map((c) => [c.uid, c.type]).sort()).toEqual(
      [
        ['hubspot-serverless-package-uid', 'SERVERLESS_PACKAGE'],
        ['pooled_customer_success', 'APPLICATION'],
        ['hello', 'APP_FUNCTION'],
        ['ping-action', 'WORKFLOW_ACTION'],
        ['hello-card', 'CARD'],
        ['hello-page', 'PAGE'],
        ['hello-settings', 'SETTINGS'],
      ].sort(),
    );
    expect(validateProject(project.srcDir).issues.map(formatIssue)).toEqual([]);
  });

  test('reports every component it wrote, with uid and type', () => {
    expect(project.result.components.map((c) => `${c.type} ${c.uid} ${c.file}`).sort()).toEqual(
      [
        'app pooled_customer_success app/app-hsmeta.json',
        'app-function hello app/functions/hello-hsmeta.json',
        'card hello-card app/cards/hello-card-hsmeta.json',
        'page hello-page app/pages/home-hsmeta.json',
        'settings hello-settings app/settings/settings-hsmeta.json',
        'workflow-action ping-action app/workflow-actions/ping-hsmeta.json',
      ].sort(),
    );
  });

  test('entrypoints are rewritten to the bundles, which exist', () => {
    const app = (f: string): string => path.join(project.srcDir, 'app', f);
    const entry = (f: string): unknown => (readJson(app(f))['config'] as Record<string, unknown>)['entrypoint'];
    expect(entry('functions/hello-hsmeta.json')).toBe('/app/functions/hello.js');
    expect(entry('cards/hello-card-hsmeta.json')).toBe('/app/cards/HelloCard.jsx');
    expect(entry('pages/home-hsmeta.json')).toBe('/app/pages/Home.jsx');
    expect(entry('settings/settings-hsmeta.json')).toBe('/app/settings/Settings.jsx');
    for (const f of ['functions/hello.js', 'cards/HelloCard.jsx', 'pages/Home.jsx', 'settings/Settings.jsx']) {
      expect(fs.statSync(app(f)).size).toBeGreaterThan(0);
    }
  });

  test('UI bundles carry code from src/ and leave React and ui-extensions to HubSpot', () => {
    const card = fs.readFileSync(path.join(project.srcDir, 'app/cards/HelloCard.jsx'), 'utf8');
    expect(card).toContain('function greet(');
    expect(card).toMatch(/from "@hubspot\/ui-extensions"/);
    expect(card).toMatch(/from "react\/jsx-runtime"/);
    expect(card).not.toMatch(/from "\.\.?\//);
    for (const dir of ['cards', 'pages', 'settings']) {
      expect(readJson(path.join(project.srcDir, 'app', dir, 'package.json'))['dependencies']).toEqual({
        '@hubspot/ui-extensions': '0.17.0',
        react: '18.3.1',
      });
    }
  });

  test('the app is private, static-auth, with the scopes it needs, and may fetch the action server', () => {
    const appMeta = readJson(path.join(project.srcDir, 'app/app-hsmeta.json'));
    const config = appMeta['config'] as { distribution: string; auth: { type: string; requiredScopes: string[] }; permittedUrls: { fetch: string[] } };
    expect(config.distribution).toBe('private');
    expect(config.auth.type).toBe('static');
    expect(config.auth.requiredScopes).toEqual([...REQUIRED_SCOPES]);
    expect(config.auth.requiredScopes).toEqual(expect.arrayContaining(['crm.objects.companies.write', 'crm.schemas.companies.write', 'crm.objects.owners.read', 'automation']));
    expect(config.permittedUrls.fetch).toEqual(['https://actions.example.com/cs']);
  });

  test('workflow-action actionUrl gets CS_ACTION_BASE_URL', () => {
    const action = readJson(path.join(project.srcDir, 'app/workflow-actions/ping-hsmeta.json'));
    expect((action['config'] as Record<string, unknown>)['actionUrl']).toBe('https://actions.example.com/cs/workflow-actions/ping');
    expect(project.result.warnings).toEqual([]);
  });
});

describe('CS_ACTION_BASE_URL', () => {
  test('unset: a placeholder host, a warning, and no permitted fetch URL', async () => {
    const { srcDir, result } = await buildIntoTemp(FIXTURE_ROOT, { env: {} });
    const action = readJson(path.join(srcDir, 'app/workflow-actions/ping-hsmeta.json'));
    expect((action['config'] as Record<string, unknown>)['actionUrl']).toBe('https://example.invalid/workflow-actions/ping');
    expect(result.warnings.join('\n')).toMatch(/CS_ACTION_BASE_URL is not set/);
    const app = readJson(path.join(srcDir, 'app/app-hsmeta.json'));
    expect((app['config'] as { permittedUrls: { fetch: string[] } }).permittedUrls.fetch).toEqual([]);
  });

  test('not https: the build fails naming the variable', async () => {
    const outDir = path.join(tempDir('http'), 'hubspot-project');
    await expect(buildProject({ sourceRoot: FIXTURE_ROOT, outDir, env: { CS_ACTION_BASE_URL: 'http://actions.example.com' } })).rejects.toThrow(/CS_ACTION_BASE_URL.*https/);
  });
});

describe('the real repository', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await buildIntoTemp(REPO_ROOT);
  });

  test('builds, and HubSpot parser and our schemas accept it', async () => {
    const { ours, hubspot } = await checkProject(project.projectDir, project.srcDir);
    expect(ours).toEqual([]);
    expect(hubspot).toEqual([]);
    expect(fs.existsSync(path.join(project.srcDir, 'app/app-hsmeta.json'))).toBe(true);
    expect(fs.existsSync(path.join(project.srcDir, 'app/functions/package.json'))).toBe(true);
  });

  test('every source hsmeta file has a built counterpart', () => {
    const sources = [
      ...walkFiles(path.join(REPO_ROOT, 'functions')),
      ...walkFiles(path.join(REPO_ROOT, 'extensions')),
    ].filter((f) => f.endsWith('-hsmeta.json'));
    const built = new Set(project.result.components.map((c) => path.posix.basename(c.file)));
    for (const source of sources) expect(built).toContain(path.basename(source));
    expect(project.result.components.length).toBe(sources.length + 1);
  });

  test('every workflow action is published, so the portal that installs the app can use it', () => {
    const actions = project.result.components.filter((c) => c.type === 'workflow-action');
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) expect(a).toMatchObject({ published: true });
  });

  test('hsproject.json names the 2026.03 project and its generated srcDir', () => {
    expect(readJson(path.join(REPO_ROOT, 'hsproject.json'))).toEqual({ name: 'pooled-customer-success', srcDir: 'hubspot-project', platformVersion: '2026.03' });
  });
});

describe('a broken output fails, naming the file', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await buildIntoTemp(FIXTURE_ROOT);
  });

  const cardFile = 'hubspot-project/app/cards/hello-card-hsmeta.json';
  const editCard = (srcDir: string, edit: (json: Record<string, unknown>) => void): void => {
    const file = path.join(srcDir, 'app/cards/hello-card-hsmeta.json');
    const json = readJson(file);
    edit(json);
    writeJson(file, json);
  };

  test('missing uid', async () => {
    const copy = copyProject(project);
    editCard(copy.srcDir, (json) => delete json['uid']);
    const { ours } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual([expect.stringMatching(new RegExp(`^${cardFile}: uid: `))]);
  });

  test('bad card location', async () => {
    const copy = copyProject(project);
    editCard(copy.srcDir, (json) => ((json['config'] as Record<string, unknown>)['location'] = 'crm.record.middle'));
    const { ours } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual([`${cardFile}: config.location: must be one of crm.record.tab, crm.record.sidebar, crm.preview, helpdesk.sidebar`]);
  });

  test('upper-case card objectTypes and lower-case workflow-action objectTypes', async () => {
    const copy = copyProject(project);
    editCard(copy.srcDir, (json) => ((json['config'] as Record<string, unknown>)['objectTypes'] = ['COMPANY']));
    const actionFile = path.join(copy.srcDir, 'app/workflow-actions/ping-hsmeta.json');
    const action = readJson(actionFile);
    (action['config'] as Record<string, unknown>)['objectTypes'] = ['companies'];
    writeJson(actionFile, action);
    const { ours } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${cardFile}: config\\.objectTypes\\.0: `)),
        expect.stringMatching(/^hubspot-project\/app\/workflow-actions\/ping-hsmeta\.json: config\.objectTypes\.0: /),
      ]),
    );
  });

  test('duplicate uid: both checks name both files', async () => {
    const copy = copyProject(project);
    fs.copyFileSync(path.join(copy.srcDir, 'app/cards/hello-card-hsmeta.json'), path.join(copy.srcDir, 'app/cards/twin-hsmeta.json'));
    const { ours, hubspot } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${cardFile}: uid: duplicate uid "hello-card"`)),
        expect.stringMatching(/^hubspot-project\/app\/cards\/twin-hsmeta\.json: uid: duplicate uid "hello-card"/),
      ]),
    );
    expect(hubspot.join('\n')).toMatch(/Duplicate uid 'hello-card'[\s\S]*app\/cards\/hello-card-hsmeta\.json[\s\S]*app\/cards\/twin-hsmeta\.json/);
  });

  test('missing app/functions/package.json: both checks name it', async () => {
    const copy = copyProject(project);
    fs.rmSync(path.join(copy.srcDir, 'app/functions/package.json'));
    const { ours, hubspot } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual([expect.stringMatching(/^hubspot-project\/app\/functions\/package\.json: missing/)]);
    expect(hubspot.join('\n')).toMatch(/app\/functions\/package\.json does not exist/);
  });

  test('hsmeta in a folder HubSpot does not know: both checks name it', async () => {
    const copy = copyProject(project);
    fs.mkdirSync(path.join(copy.srcDir, 'app/widgets'));
    fs.renameSync(path.join(copy.srcDir, 'app/cards/hello-card-hsmeta.json'), path.join(copy.srcDir, 'app/widgets/hello-card-hsmeta.json'));
    const { ours, hubspot } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual([expect.stringMatching(/^hubspot-project\/app\/widgets\/hello-card-hsmeta\.json: type: a "card" component must be in app\/cards\//)]);
    expect(hubspot).toEqual([expect.stringMatching(/^hubspot-project\/app\/widgets\/hello-card-hsmeta\.json: /)]);
  });

  test('a component in the wrong known folder', async () => {
    const copy = copyProject(project);
    fs.renameSync(path.join(copy.srcDir, 'app/cards/hello-card-hsmeta.json'), path.join(copy.srcDir, 'app/functions/hello-card-hsmeta.json'));
    const { ours } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual([expect.stringMatching(/^hubspot-project\/app\/functions\/hello-card-hsmeta\.json: type: a "card" component must be in app\/cards\//)]);
  });

  test('invalid JSON, and an entrypoint whose bundle is gone', async () => {
    const copy = copyProject(project);
    fs.writeFileSync(path.join(copy.srcDir, 'app/pages/home-hsmeta.json'), '{ "uid": ');
    fs.rmSync(path.join(copy.srcDir, 'app/settings/Settings.jsx'));
    const { ours } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^hubspot-project\/app\/pages\/home-hsmeta\.json: invalid JSON/),
        'hubspot-project/app/settings/settings-hsmeta.json: config.entrypoint: file /app/settings/Settings.jsx does not exist',
      ]),
    );
  });

  test('a second settings component', async () => {
    const copy = copyProject(project);
    const second = readJson(path.join(copy.srcDir, 'app/settings/settings-hsmeta.json'));
    second['uid'] = 'other-settings';
    writeJson(path.join(copy.srcDir, 'app/settings/other-hsmeta.json'), second);
    const { ours } = await checkProject(copy.projectDir, copy.srcDir);
    expect(ours).toEqual(expect.arrayContaining([expect.stringMatching(/^hubspot-project\/app\/settings\/other-hsmeta\.json: type: only one "settings"/)]));
  });
});

describe('a broken source fails the build, naming the file', () => {
  /** Copies the fixture sources so they can be broken. */
  function fixtureCopy(): string {
    const dir = tempDir('src');
    fs.cpSync(FIXTURE_ROOT, dir, { recursive: true });
    // Bundles resolve zod, date-fns and ui-extensions from the repo's node_modules.
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return dir;
  }
  const build = (sourceRoot: string): Promise<BuildResult> =>
    buildProject({ sourceRoot, outDir: path.join(tempDir('out'), 'hubspot-project'), env: {} });

  test('missing uid in a source function hsmeta', async () => {
    const src = fixtureCopy();
    const file = path.join(src, 'functions/hello-hsmeta.json');
    const json = readJson(file);
    delete json['uid'];
    writeJson(file, json);
    const error = await build(src).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).message).toMatch(/functions\/hello-hsmeta\.json: uid: /);
  });

  test('entrypoint that does not exist, and one that is not repo-relative', async () => {
    const src = fixtureCopy();
    const card = path.join(src, 'extensions/cards/hello-card-hsmeta.json');
    const json = readJson(card);
    (json['config'] as Record<string, unknown>)['entrypoint'] = 'extensions/cards/Nope.tsx';
    writeJson(card, json);
    const page = path.join(src, 'extensions/pages/home-hsmeta.json');
    const pageJson = readJson(page);
    (pageJson['config'] as Record<string, unknown>)['entrypoint'] = '/app/pages/Home.tsx';
    writeJson(page, pageJson);
    await expect(build(src)).rejects.toThrow(/extensions\/cards\/hello-card-hsmeta\.json: config\.entrypoint: source file extensions\/cards\/Nope\.tsx does not exist/);
    await expect(build(src)).rejects.toThrow(/extensions\/pages\/home-hsmeta\.json: config\.entrypoint: must be a repo-relative source path/);
  });

  test('wrong type for its folder, and a duplicate uid across folders', async () => {
    const src = fixtureCopy();
    const action = path.join(src, 'functions/workflow-actions/ping-hsmeta.json');
    const json = readJson(action);
    json['uid'] = 'hello';
    writeJson(action, json);
    fs.copyFileSync(path.join(src, 'extensions/pages/home-hsmeta.json'), path.join(src, 'extensions/cards/page-hsmeta.json'));
    await expect(build(src)).rejects.toThrow(/functions\/workflow-actions\/ping-hsmeta\.json: uid: duplicate uid "hello" \(also in functions\/hello-hsmeta\.json\)/);
    await expect(build(src)).rejects.toThrow(/extensions\/cards\/page-hsmeta\.json: type: files in extensions\/cards\/ must have type "card"/);
  });

  test('an unpublished workflow action builds, is reported as such, and warns that installing portals will not see it', async () => {
    const src = fixtureCopy();
    const action = path.join(src, 'functions/workflow-actions/ping-hsmeta.json');
    const json = readJson(action);
    (json['config'] as Record<string, unknown>)['isPublished'] = false;
    writeJson(action, json);
    const lines: string[] = [];
    const result = await buildProject({ sourceRoot: src, outDir: path.join(tempDir('out'), 'hubspot-project'), env: {}, log: (l) => lines.push(l) });
    expect(result.components.find((c) => c.uid === 'ping-action')?.published).toBe(false);
    expect(result.warnings.join('\n')).toMatch(/ping-action is not published .*developer account/);
    expect(lines.join('\n')).toMatch(/ping-action .*NOT published/);
  });

  test('code that does not compile names the hsmeta file', async () => {
    const src = fixtureCopy();
    fs.writeFileSync(path.join(src, 'functions/hello.ts'), 'export const main = (;\n');
    await expect(build(src)).rejects.toThrow(/functions\/hello-hsmeta\.json: config\.entrypoint: bundling failed: .*functions\/hello\.ts/);
  });

  test('refuses to empty a folder that holds the sources', async () => {
    await expect(buildProject({ sourceRoot: FIXTURE_ROOT, outDir: path.dirname(FIXTURE_ROOT), env: {} })).rejects.toThrow(/refusing to empty/);
    expect(fs.existsSync(path.join(FIXTURE_ROOT, 'functions/hello-hsmeta.json'))).toBe(true);
  });
});
