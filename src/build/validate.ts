/**
 * Validation of `*-hsmeta.json` files, in their source form (next to the code, `entrypoint` repo-relative)
 * and in the built HubSpot 2026.03 project (`entrypoint` = `/app/<folder>/<file>`).
 * Every issue names the file and the JSON path.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  COMPONENT_DIRS,
  COMPONENT_TYPES,
  SINGULAR_TYPES,
  configSchemas,
  hsmetaEnvelopeSchema,
  type ComponentType,
  type HsmetaEnvelope,
} from './schemas';

export interface ValidationIssue {
  /** File the issue is about, relative to the display root (e.g. `hubspot-project/app/cards/x-hsmeta.json`). */
  file: string;
  /** Dot path inside the JSON (`config.location`), or '' for the file itself. */
  path: string;
  message: string;
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.file}: ${issue.path}: ${issue.message}` : `${issue.file}: ${issue.message}`;
}

export const METAFILE_SUFFIX = '-hsmeta.json';

export type HsmetaForm = 'source' | 'output';

/** In source workflow-action files, `actionUrl` may start with this placeholder; the build fills it in. */
export const ACTION_BASE_URL_PLACEHOLDER = '{{ACTION_BASE_URL}}';

export type HsmetaResult =
  | { ok: true; value: HsmetaEnvelope; type: ComponentType }
  | { ok: false; issues: ValidationIssue[] };

function zodIssues(error: z.ZodError, file: string, prefix: (string | number)[]): ValidationIssue[] {
  return error.issues.map((issue) => ({
    file,
    path: [...prefix, ...issue.path].map(String).join('.'),
    message: issue.message,
  }));
}

/** Entrypoint file extensions HubSpot accepts for each type (functions are run as JavaScript). */
const OUTPUT_EXTENSIONS: Record<ComponentType, readonly string[]> = {
  app: [],
  card: ['.jsx', '.tsx', '.js', '.ts'],
  page: ['.jsx', '.tsx', '.js', '.ts'],
  settings: ['.jsx', '.tsx', '.js', '.ts'],
  'app-function': ['.js'],
  'workflow-action': [],
};
const SOURCE_EXTENSIONS: Record<ComponentType, readonly string[]> = {
  app: [],
  card: ['.tsx', '.jsx', '.ts', '.js'],
  page: ['.tsx', '.jsx', '.ts', '.js'],
  settings: ['.tsx', '.jsx', '.ts', '.js'],
  'app-function': ['.ts', '.js', '.mts', '.cts', '.mjs', '.cjs'],
  'workflow-action': [],
};

/**
 * Checks one parsed hsmeta document: envelope, uid, type, config schema, and the form of `entrypoint`.
 * `form: 'source'` expects a repo-relative entrypoint (`functions/card-data.ts`);
 * `form: 'output'` expects `/app/<folder of the type>/<file>`.
 */
export function validateHsmeta(json: unknown, file: string, form: HsmetaForm): HsmetaResult {
  const envelope = hsmetaEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, issues: zodIssues(envelope.error, file, []) };
  const { type } = envelope.data;
  let configToCheck: Record<string, unknown> = envelope.data.config;
  const actionUrl = configToCheck['actionUrl'];
  if (form === 'source' && type === 'workflow-action' && typeof actionUrl === 'string') {
    // Check the URL as it will be built (any https base works the same).
    configToCheck = { ...configToCheck, actionUrl: actionUrl.split(ACTION_BASE_URL_PLACEHOLDER).join('https://example.invalid') };
  }
  const config = configSchemas[type].safeParse(configToCheck);
  if (!config.success) return { ok: false, issues: zodIssues(config.error, file, ['config']) };

  const issues: ValidationIssue[] = [];
  const entrypoint = envelope.data.config['entrypoint'];
  if (typeof entrypoint === 'string') {
    const ext = path.posix.extname(entrypoint);
    if (form === 'output') {
      const dir = `/${COMPONENT_DIRS[type]}/`;
      if (!entrypoint.startsWith(dir) || entrypoint.slice(dir.length).includes('/')) {
        issues.push({ file, path: 'config.entrypoint', message: `must be a file directly in ${dir} (got "${entrypoint}")` });
      }
      if (!OUTPUT_EXTENSIONS[type].includes(ext)) {
        issues.push({ file, path: 'config.entrypoint', message: `must end with ${OUTPUT_EXTENSIONS[type].join(' or ')} (got "${entrypoint}")` });
      }
    } else {
      if (entrypoint.startsWith('/') || entrypoint.split('/').includes('..')) {
        issues.push({ file, path: 'config.entrypoint', message: `must be a repo-relative source path such as "functions/card-data.ts" (got "${entrypoint}")` });
      }
      if (!SOURCE_EXTENSIONS[type].includes(ext)) {
        issues.push({ file, path: 'config.entrypoint', message: `must end with ${SOURCE_EXTENSIONS[type].join(' or ')} (got "${entrypoint}")` });
      }
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: envelope.data, type };
}

/** Reads and validates one hsmeta file; JSON syntax errors become an issue naming the file. */
export function readHsmetaFile(absFile: string, displayFile: string, form: HsmetaForm): HsmetaResult {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(absFile, 'utf8'));
  } catch (e) {
    return { ok: false, issues: [{ file: displayFile, path: '', message: `invalid JSON: ${(e as Error).message}` }] };
  }
  return validateHsmeta(json, displayFile, form);
}

/** All files under `dir` (recursively, skipping node_modules), as absolute paths, sorted. */
export function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const abs = path.join(d, entry.name);
      if (entry.isDirectory()) visit(abs);
      else if (entry.isFile()) out.push(abs);
    }
  };
  if (fs.existsSync(dir)) visit(dir);
  return out.sort();
}

const toPosix = (p: string): string => p.split(path.sep).join('/');

/** Folders that need their own package.json when they hold components of these types. */
const PACKAGE_JSON_DIRS: Partial<Record<ComponentType, string>> = {
  'app-function': COMPONENT_DIRS['app-function'],
  card: COMPONENT_DIRS.card,
  page: COMPONENT_DIRS.page,
  settings: COMPONENT_DIRS.settings,
};

export interface ProjectComponent {
  uid: string;
  type: ComponentType;
  /** Display path of the hsmeta file. */
  file: string;
  config: Record<string, unknown>;
}

/**
 * Validates a built project folder (the `srcDir` of hsproject.json): every hsmeta file against our
 * schemas, the folder per type, duplicate uids, one app / page / settings, entrypoints that exist,
 * the package.json files HubSpot needs, and that app functions sit in a private static-auth app.
 * `displayRoot` is what file names in issues are relative to (default: the parent of srcDir).
 */
export function validateProject(
  srcDir: string,
  displayRoot: string = path.dirname(srcDir),
): { issues: ValidationIssue[]; components: ProjectComponent[] } {
  const issues: ValidationIssue[] = [];
  const components: ProjectComponent[] = [];
  const display = (abs: string): string => toPosix(path.relative(displayRoot, abs));

  if (!fs.existsSync(srcDir)) {
    return { issues: [{ file: display(srcDir), path: '', message: 'project folder does not exist' }], components };
  }

  for (const abs of walkFiles(srcDir).filter((f) => f.endsWith(METAFILE_SUFFIX))) {
    const file = display(abs);
    const result = readHsmetaFile(abs, file, 'output');
    if (!result.ok) {
      issues.push(...result.issues);
      continue;
    }
    const dir = toPosix(path.relative(srcDir, path.dirname(abs)));
    const expected = COMPONENT_DIRS[result.type];
    if (dir !== expected) {
      issues.push({ file, path: 'type', message: `a "${result.type}" component must be in ${expected}/ (found in ${dir || '.'}/)` });
      continue;
    }
    const entrypoint = result.value.config['entrypoint'];
    if (typeof entrypoint === 'string' && !fs.existsSync(path.join(srcDir, entrypoint))) {
      issues.push({ file, path: 'config.entrypoint', message: `file ${entrypoint} does not exist` });
    }
    components.push({ uid: result.value.uid, type: result.type, file, config: result.value.config });
  }

  const byUid = new Map<string, ProjectComponent[]>();
  for (const c of components) byUid.set(c.uid, [...(byUid.get(c.uid) ?? []), c]);
  for (const [uid, list] of byUid) {
    if (list.length > 1) {
      for (const c of list) {
        issues.push({ file: c.file, path: 'uid', message: `duplicate uid "${uid}" (also in ${list.filter((o) => o !== c).map((o) => o.file).join(', ')})` });
      }
    }
  }

  for (const type of SINGULAR_TYPES) {
    const list = components.filter((c) => c.type === type);
    if (list.length > 1) {
      for (const c of list) issues.push({ file: c.file, path: 'type', message: `only one "${type}" component is allowed (${list.length} found)` });
    }
  }

  const apps = components.filter((c) => c.type === 'app');
  if (apps.length === 0 && !issues.some((i) => i.file.endsWith(`/app/app${METAFILE_SUFFIX}`))) {
    issues.push({ file: display(path.join(srcDir, COMPONENT_DIRS.app, `app${METAFILE_SUFFIX}`)), path: '', message: 'no "app" component: every project needs app/app-hsmeta.json' });
  }

  for (const [type, dir] of Object.entries(PACKAGE_JSON_DIRS) as [ComponentType, string][]) {
    if (!components.some((c) => c.type === type)) continue;
    const pkgFile = path.join(srcDir, dir, 'package.json');
    if (!fs.existsSync(pkgFile)) {
      issues.push({ file: display(pkgFile), path: '', message: `missing: ${dir}/ holds ${type} components and needs a package.json` });
      continue;
    }
    try {
      const pkg: unknown = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) {
        issues.push({ file: display(pkgFile), path: '', message: 'must be a JSON object' });
      }
    } catch (e) {
      issues.push({ file: display(pkgFile), path: '', message: `invalid JSON: ${(e as Error).message}` });
    }
  }

  // 2026.03 app functions are only for private apps with static auth (templates' config.json).
  const app = apps[0];
  const functions = components.filter((c) => c.type === 'app-function');
  if (app && functions.length > 0) {
    const auth = app.config['auth'] as { type?: unknown } | undefined;
    if (app.config['distribution'] !== 'private') {
      issues.push({ file: app.file, path: 'config.distribution', message: 'app functions need distribution "private"' });
    }
    if (auth?.type !== 'static') {
      issues.push({ file: app.file, path: 'config.auth.type', message: 'app functions need auth type "static"' });
    }
  }

  return { issues, components };
}

export { COMPONENT_TYPES };
