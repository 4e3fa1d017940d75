/**
 * `npm run build`: turns the repo's source hsmeta files and their code into a HubSpot 2026.03 project.
 *
 *   functions/<name>-hsmeta.json                 → app/functions/<name>-hsmeta.json + <name>.js (one CommonJS bundle)
 *   functions/workflow-actions/<name>-hsmeta.json → app/workflow-actions/<name>-hsmeta.json ({{ACTION_BASE_URL}} filled)
 *   extensions/cards/<x>-hsmeta.json              → app/cards/<x>-hsmeta.json + <Entry>.jsx (ESM bundle, React external)
 *   extensions/pages/…, extensions/settings/…     → app/pages/…, app/settings/… likewise
 *   (generated)                                   → app/app-hsmeta.json, app/functions/package.json, app/<ui>/package.json
 *
 * The output is then checked with our own schemas (validate.ts); any problem throws a BuildError whose
 * issues name the file and the JSON path.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { createAppHsmeta } from './app-meta';
import { COMPONENT_DIRS, type ComponentType } from './schemas';
import { ACTION_BASE_URL_PLACEHOLDER, METAFILE_SUFFIX, formatIssue, readHsmetaFile, validateHsmeta, validateProject, type ValidationIssue } from './validate';

export const ACTION_BASE_URL_ENV = 'CS_ACTION_BASE_URL';
/** Used when CS_ACTION_BASE_URL is unset: a reserved, never-resolving host (RFC 2606), with a warning. */
export const ACTION_BASE_URL_FALLBACK = 'https://example.invalid';

/** Versions the UI bundles are written against (see shared/design/toolchain.md). */
export const UI_DEPENDENCIES = { '@hubspot/ui-extensions': '0.17.0', react: '18.3.1' } as const;
const UI_EXTERNALS = ['react', 'react/*', 'react-dom', 'react-dom/*', '@hubspot/ui-extensions', '@hubspot/ui-extensions/*'];

/**
 * Packages the functions load from `app/functions/package.json` (HubSpot installs it) instead of
 * carrying them in every bundle: `@hubspot/api-client` alone is ~5 MB minified, ×11 functions.
 * Pinned to the version this repo's lockfile installed.
 */
export function functionDependencies(sourceRoot: string): Record<string, string> {
  const file = require.resolve('@hubspot/api-client/package.json', { paths: [sourceRoot, __dirname] });
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string };
  return { '@hubspot/api-client': pkg.version };
}

export { ACTION_BASE_URL_PLACEHOLDER };

export class BuildError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(`build failed:\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.name = 'BuildError';
  }
}

export interface BuildOptions {
  /** Folder holding `functions/` and `extensions/` (the repo root, or a test fixture). */
  sourceRoot: string;
  /** The project's srcDir to write (e.g. `<repo>/hubspot-project`). It is emptied first. */
  outDir: string;
  /** Environment to read CS_ACTION_BASE_URL from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Minify function bundles (default true: @hubspot/api-client alone is ~11 MB unminified, ~5 MB minified). UI bundles are never minified: HubSpot bundles them again. */
  minify?: boolean;
}

export interface BuiltComponent {
  uid: string;
  type: ComponentType;
  /** hsmeta file written, relative to outDir (posix). */
  file: string;
  /** Bundle written, relative to outDir (posix), for components with an entrypoint. */
  bundle?: string;
  /**
   * Workflow actions only: `config.isPublished`. HubSpot: "Unpublished actions are only visible in
   * the developer portal associated with your HubSpot application. To make a custom action visible
   * to users, update the published flag on your action definition to true."
   * https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/custom-action-guide
   */
  published?: boolean;
}

export interface BuildResult {
  outDir: string;
  components: BuiltComponent[];
  warnings: string[];
}

interface SourceKind {
  type: ComponentType;
  /** Source folder relative to sourceRoot. */
  dir: string;
}

const SOURCE_KINDS: readonly SourceKind[] = [
  { type: 'app-function', dir: 'functions' },
  { type: 'workflow-action', dir: 'functions/workflow-actions' },
  { type: 'card', dir: 'extensions/cards' },
  { type: 'page', dir: 'extensions/pages' },
  { type: 'settings', dir: 'extensions/settings' },
];

interface SourceComponent {
  kind: SourceKind;
  /** Display path relative to sourceRoot. */
  file: string;
  /** Base name without `-hsmeta.json`. */
  name: string;
  uid: string;
  json: Record<string, unknown>;
  config: Record<string, unknown>;
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** Reads CS_ACTION_BASE_URL: an https URL without trailing slash, or undefined when unset/empty. */
export function resolveActionBaseUrl(env: Record<string, string | undefined>): string | undefined {
  const raw = env[ACTION_BASE_URL_ENV]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BuildError([{ file: `env ${ACTION_BASE_URL_ENV}`, path: '', message: `is not a URL: "${raw}"` }]);
  }
  if (url.protocol !== 'https:' || url.search || url.hash) {
    throw new BuildError([{ file: `env ${ACTION_BASE_URL_ENV}`, path: '', message: `must be an https:// base URL without query or fragment (HubSpot calls workflow actions over HTTPS): "${raw}"` }]);
  }
  return url.toString().replace(/\/+$/, '');
}

function collectSources(sourceRoot: string): { sources: SourceComponent[]; issues: ValidationIssue[] } {
  const sources: SourceComponent[] = [];
  const issues: ValidationIssue[] = [];
  for (const kind of SOURCE_KINDS) {
    const dir = path.join(sourceRoot, kind.dir);
    if (!fs.existsSync(dir)) continue;
    const files = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(METAFILE_SUFFIX)).map((e) => e.name).sort();
    for (const name of files) {
      const file = toPosix(path.join(kind.dir, name));
      const abs = path.join(dir, name);
      const result = readHsmetaFile(abs, file, 'source');
      if (!result.ok) {
        issues.push(...result.issues);
        continue;
      }
      if (result.type !== kind.type) {
        issues.push({ file, path: 'type', message: `files in ${kind.dir}/ must have type "${kind.type}" (got "${result.type}")` });
        continue;
      }
      const entrypoint = result.value.config['entrypoint'];
      if (typeof entrypoint === 'string' && !fs.existsSync(path.join(sourceRoot, entrypoint))) {
        issues.push({ file, path: 'config.entrypoint', message: `source file ${entrypoint} does not exist` });
        continue;
      }
      sources.push({
        kind,
        file,
        name: name.slice(0, -METAFILE_SUFFIX.length),
        uid: result.value.uid,
        json: result.value as unknown as Record<string, unknown>,
        config: result.value.config,
      });
    }
  }
  return { sources, issues };
}

function outputNameFor(source: SourceComponent): string {
  const entrypoint = String(source.config['entrypoint']);
  const base = path.posix.basename(entrypoint, path.posix.extname(entrypoint));
  return source.kind.type === 'app-function' ? `${source.name}.js` : `${base}.jsx`;
}

function assertSafeOutDir(sourceRoot: string, outDir: string): void {
  const out = path.resolve(outDir);
  const src = path.resolve(sourceRoot);
  if (out === path.parse(out).root || out === src || src.startsWith(out + path.sep)) {
    throw new BuildError([{ file: outDir, path: '', message: 'refusing to empty this folder: the output folder must not contain the sources' }]);
  }
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * How an app function is bundled: one CommonJS file for Node 20 (zod, date-fns and our src/ inside;
 * @hubspot/api-client from app/functions/package.json), minified unless told otherwise. The core
 * benchmark measures the core bundled the same way (`bench/core.ts`): it is the code HubSpot runs.
 */
export const FUNCTION_BUNDLE = Object.freeze({ platform: 'node', target: 'node20', format: 'cjs', mainFields: ['module', 'main'] } satisfies esbuild.BuildOptions);

async function bundle(source: SourceComponent, sourceRoot: string, outfile: string, minify: boolean): Promise<ValidationIssue[]> {
  const entry = path.join(sourceRoot, String(source.config['entrypoint']));
  const common: esbuild.BuildOptions = {
    entryPoints: [entry],
    outfile,
    bundle: true,
    write: true,
    sourcemap: false,
    minify: minify && source.kind.type === 'app-function',
    logLevel: 'silent',
    absWorkingDir: sourceRoot,
    legalComments: 'none',
  };
  const options: esbuild.BuildOptions =
    source.kind.type === 'app-function'
      ? { ...common, ...FUNCTION_BUNDLE, external: Object.keys(functionDependencies(sourceRoot)) }
      : // Cards/pages/settings: ESM; HubSpot bundles it again and provides React and ui-extensions.
        { ...common, platform: 'browser', target: 'es2020', format: 'esm', jsx: 'automatic', loader: { '.js': 'jsx' }, external: UI_EXTERNALS };
  try {
    const result = await esbuild.build(options);
    return result.errors.map((m) => ({ file: source.file, path: 'config.entrypoint', message: `bundling failed: ${m.text}` }));
  } catch (e) {
    const failure = e as { errors?: esbuild.Message[]; message?: string };
    const messages = failure.errors?.length
      ? failure.errors.map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`)
      : [failure.message ?? String(e)];
    return messages.map((text) => ({ file: source.file, path: 'config.entrypoint', message: `bundling failed: ${text}` }));
  }
}

/**
 * Builds the HubSpot project from `sourceRoot` into `outDir` and validates it.
 * @throws BuildError naming the file (and JSON path) of each problem.
 * @example
 *   const result = await buildProject({ sourceRoot: repo, outDir: path.join(repo, 'hubspot-project') });
 *   result.components // [{ uid: 'card-data', type: 'app-function', file: 'app/functions/card-data-hsmeta.json', ... }]
 */
export async function buildProject(options: BuildOptions): Promise<BuildResult> {
  const sourceRoot = path.resolve(options.sourceRoot);
  const outDir = path.resolve(options.outDir);
  const env = options.env ?? process.env;
  const log = options.log ?? ((): void => undefined);
  const minify = options.minify ?? true;
  const warnings: string[] = [];

  assertSafeOutDir(sourceRoot, outDir);
  const actionBaseUrl = resolveActionBaseUrl(env);
  const { sources, issues } = collectSources(sourceRoot);

  // Duplicate uids and output-name clashes are caught before anything is written.
  const seen = new Map<string, string>();
  const outputs = new Map<string, string>();
  for (const s of sources) {
    const other = seen.get(s.uid);
    if (other) issues.push({ file: s.file, path: 'uid', message: `duplicate uid "${s.uid}" (also in ${other})` });
    else seen.set(s.uid, s.file);
    if (s.config['entrypoint'] !== undefined) {
      const out = `${COMPONENT_DIRS[s.kind.type]}/${outputNameFor(s)}`;
      const clash = outputs.get(out);
      if (clash) issues.push({ file: s.file, path: 'config.entrypoint', message: `would be written to ${out}, like ${clash}: rename one entrypoint` });
      else outputs.set(out, s.file);
    }
  }
  if (issues.length > 0) throw new BuildError(issues);

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const components: BuiltComponent[] = [];

  const appMeta = createAppHsmeta({ actionBaseUrl });
  const appFile = `${COMPONENT_DIRS.app}/app${METAFILE_SUFFIX}`;
  writeJson(path.join(outDir, appFile), appMeta);
  components.push({ uid: String(appMeta['uid']), type: 'app', file: appFile });

  // The parser requires app/functions/package.json whenever a function exists; HubSpot installs
  // its dependencies for the functions (only what the bundles leave out).
  writeJson(path.join(outDir, COMPONENT_DIRS['app-function'], 'package.json'), {
    name: 'pooled-cs-functions',
    version: '0.1.0',
    private: true,
    description: 'App functions of Pooled Customer Success. Each function is one CommonJS bundle; HubSpot installs these dependencies.',
    dependencies: functionDependencies(sourceRoot),
  });

  const uiDirsWritten = new Set<string>();
  let usedFallbackUrl = false;
  const bundleIssues: ValidationIssue[] = [];

  for (const source of sources) {
    const dir = COMPONENT_DIRS[source.kind.type];
    const hsmetaFile = `${dir}/${source.name}${METAFILE_SUFFIX}`;
    const json: Record<string, unknown> = { ...source.json, config: { ...source.config } };
    const config = json['config'] as Record<string, unknown>;
    const built: BuiltComponent = { uid: source.uid, type: source.kind.type, file: hsmetaFile };

    if (config['entrypoint'] !== undefined) {
      const outName = outputNameFor(source);
      const problems = await bundle(source, sourceRoot, path.join(outDir, dir, outName), minify);
      if (problems.length > 0) {
        bundleIssues.push(...problems);
        continue;
      }
      config['entrypoint'] = `/${dir}/${outName}`;
      built.bundle = `${dir}/${outName}`;
      if (source.kind.type !== 'app-function' && !uiDirsWritten.has(dir)) {
        uiDirsWritten.add(dir);
        writeJson(path.join(outDir, dir, 'package.json'), {
          name: `pooled-cs-${path.posix.basename(dir)}`,
          version: '0.1.0',
          private: true,
          type: 'module',
          dependencies: { ...UI_DEPENDENCIES },
        });
      }
    }

    if (source.kind.type === 'workflow-action' && typeof config['actionUrl'] === 'string') {
      const actionUrl = config['actionUrl'];
      if (actionUrl.includes(ACTION_BASE_URL_PLACEHOLDER)) {
        if (!actionBaseUrl) usedFallbackUrl = true;
        config['actionUrl'] = actionUrl.split(ACTION_BASE_URL_PLACEHOLDER).join(actionBaseUrl ?? ACTION_BASE_URL_FALLBACK);
      }
    }
    if (source.kind.type === 'workflow-action') {
      built.published = config['isPublished'] === true;
      if (!built.published) {
        warnings.push(
          `${source.uid} is not published (isPublished: false): HubSpot shows it only in the app's developer account, ` +
            'so users of the portal that installs the app cannot add it to their workflows.',
        );
      }
    }

    const check = validateHsmeta(json, source.file, 'output');
    if (!check.ok) {
      bundleIssues.push(...check.issues);
      continue;
    }
    writeJson(path.join(outDir, hsmetaFile), json);
    components.push(built);
  }
  if (bundleIssues.length > 0) throw new BuildError(bundleIssues);

  if (usedFallbackUrl) {
    warnings.push(
      `${ACTION_BASE_URL_ENV} is not set: workflow-action actionUrl points at ${ACTION_BASE_URL_FALLBACK}. ` +
        `Set ${ACTION_BASE_URL_ENV}=https://<your action server> before building for upload.`,
    );
  }

  const display = path.dirname(outDir);
  const validation = validateProject(outDir, display);
  if (validation.issues.length > 0) throw new BuildError(validation.issues);

  for (const c of components) {
    const state = c.published === undefined ? '' : c.published ? '  [published: visible in installing portals]' : '  [NOT published: developer account only]';
    log(`${c.type.padEnd(16)} ${c.uid.padEnd(32)} ${toPosix(path.relative(display, path.join(outDir, c.file)))}${state}`);
  }
  for (const w of warnings) log(`warning: ${w}`);
  return { outDir, components, warnings };
}

/** Writes an hsproject.json in `projectDir` pointing at `srcDir` (used for temp projects in tests). */
export function writeProjectConfig(projectDir: string, srcDir: string, name = 'pooled-customer-success'): void {
  writeJson(path.join(projectDir, 'hsproject.json'), { name, srcDir, platformVersion: '2026.03' });
}
