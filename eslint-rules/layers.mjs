/**
 * `layers/direction`: the dependency direction of the code base, checked on every import, export-from
 * and dynamic import (see docs/architecture.md).
 *
 *   platform, core  ←  hubspot  ←  app  ←  { cli, server, functions }      emulator ← platform only
 *                        (implements src/app/ports)                          extensions ← src/app/view-models only
 *
 * - A layer may import only the layers listed in MAY_IMPORT.
 * - Outside `src/app`, the app is entered through `src/app` (its index.ts) only; `extensions/` through
 *   `src/app/view-models` (no server or client code in a card bundle), `src/hubspot` through `src/app/ports`.
 * - Outside `src/core`, the core is entered through `src/core` (its index.ts) only; tests and the
 *   bench may also use `src/core/test-support`.
 * - `src/hubspot` and `src/emulator` are entered through their index.ts by the app and the CLI.
 * - Tests (`*.test.ts(x)`, `test-support`, `test-utils`, `fixtures`, `test/`, `functions/test/`) may
 *   reach across layers to build their fixtures, but enter the app and the core like everyone else.
 * - The core imports no Node built-in and no package but zod and date-fns; extensions import no Node built-in.
 * - What the extensions' bundles contain (`src/app/view-models.ts` and the files it re-exports) imports
 *   only those files and the core's contract types (`src/core/types`), so a card carries no adapter,
 *   server or use-case code and not the whole core.
 *
 * Resolution is by path, so it does not depend on how many `../` an import has.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Longest prefix first. */
const LAYERS = [
  ['src/app/ports', 'ports'],
  ['src/app', 'app'],
  ['src/core', 'core'],
  ['src/platform', 'platform'],
  ['src/hubspot', 'hubspot'],
  ['src/emulator', 'emulator'],
  ['src/server', 'server'],
  ['src/cli', 'cli'],
  ['src/build', 'build'],
  ['scripts', 'build'],
  ['functions', 'functions'],
  ['extensions', 'extensions'],
  ['bench', 'bench'],
  ['test', 'test'],
];

/** Which other layers each layer may import ('*': any). */
const MAY_IMPORT = {
  platform: [],
  core: [],
  emulator: ['platform'],
  ports: ['core'],
  hubspot: ['core', 'platform', 'ports'],
  app: ['ports', 'core', 'platform', 'hubspot'],
  server: ['app', 'ports', 'core', 'platform'],
  functions: ['app', 'ports'],
  cli: ['app', 'ports', 'core', 'platform', 'hubspot', 'emulator', 'server'],
  extensions: ['app'],
  build: [],
  bench: '*',
  test: '*',
};

/** The paths (without extension; a directory means its index) another layer may import, per target layer. */
function allowedEntries(fromLayer, toLayer, isTest) {
  switch (toLayer) {
    case 'app':
      return fromLayer === 'extensions' ? ['src/app/view-models'] : ['src/app'];
    case 'ports':
      // The adapter implements the ports (and the app uses its own); everyone else sees them through the app's index.
      return fromLayer === 'hubspot' || fromLayer === 'app' ? ['src/app/ports'] : ['src/app'];
    case 'core':
      return isTest || fromLayer === 'bench' ? ['src/core', 'src/core/test-support'] : ['src/core'];
    case 'hubspot':
    case 'emulator':
      return isTest || fromLayer === 'bench' ? null : [`src/${toLayer}`];
    default:
      return null; // any file of the layer
  }
}

const CORE_PACKAGES = new Set(['zod', 'date-fns']);

/** The browser-safe part of the app: the view models and function parameters the extensions bundle. */
const BROWSER_SAFE = new Set(['src/app/view-models', 'src/app/function-params', 'src/app/card-data', 'src/app/page-data', 'src/app/settings-data']);

function layerOf(rel) {
  for (const [prefix, name] of LAYERS) if (rel === prefix || rel.startsWith(`${prefix}/`)) return name;
  return null;
}

function isTestFile(rel) {
  return (
    /\.test\.tsx?$/.test(rel) ||
    /(^|\/)(test-support|test-utils|test-helpers|fixtures)(\.tsx?|\/)/.test(rel) ||
    rel.startsWith('test/') ||
    rel.startsWith('functions/test/')
  );
}

/** Repo-relative target of a relative import, without extension and without a trailing /index. */
function targetOf(fileAbs, spec) {
  const abs = path.resolve(path.dirname(fileAbs), spec);
  let rel = path.relative(ROOT, abs).split(path.sep).join('/');
  rel = rel.replace(/\.(tsx?|mjs|cjs|js|json)$/, '').replace(/\/index$/, '');
  return rel;
}

/** @type {import('eslint').Rule.RuleModule} */
const direction = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps imports in the direction of the layers (docs/architecture.md).' },
    schema: [],
    messages: {
      layer: "'{{from}}' may not import '{{to}}' ({{spec}}): the layers point one way, see docs/architecture.md.",
      entry: "'{{from}}' enters '{{to}}' only through {{entries}}, not '{{spec}}'.",
      pkg: "'{{from}}' may not import the package '{{spec}}'{{why}}.",
      browser: "'{{file}}' is bundled into the extensions: it imports only the other view-model files and 'src/core/types', not '{{spec}}'.",
    },
  },
  create(context) {
    const fileAbs = context.filename;
    const fileRel = path.relative(ROOT, fileAbs).split(path.sep).join('/');
    const fromLayer = layerOf(fileRel);
    if (fromLayer === null) return {};
    const isTest = isTestFile(fileRel);
    const browserSafe = BROWSER_SAFE.has(fileRel.replace(/\.tsx?$/, ''));

    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('.')) {
        if (isTest) return;
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (fromLayer === 'core' && !CORE_PACKAGES.has(pkg)) {
          context.report({ node, messageId: 'pkg', data: { from: fromLayer, spec, why: ': the core is pure (zod and date-fns only)' } });
        } else if (fromLayer === 'extensions' && spec.startsWith('node:')) {
          context.report({ node, messageId: 'pkg', data: { from: fromLayer, spec, why: ': cards run in the browser' } });
        }
        return;
      }
      const target = targetOf(fileAbs, spec);
      if (browserSafe && !BROWSER_SAFE.has(target) && target !== 'src/core/types') {
        context.report({ node, messageId: 'browser', data: { file: fileRel, spec } });
        return;
      }
      if (browserSafe) return;
      const toLayer = layerOf(target);
      if (toLayer === null || toLayer === fromLayer) return;
      const may = MAY_IMPORT[fromLayer];
      if (!isTest && may !== '*' && !may.includes(toLayer)) {
        context.report({ node, messageId: 'layer', data: { from: fromLayer, to: toLayer, spec } });
        return;
      }
      const entries = allowedEntries(fromLayer, toLayer, isTest);
      if (entries !== null && !entries.includes(target)) {
        context.report({ node, messageId: 'entry', data: { from: fromLayer, to: toLayer, spec, entries: entries.map((e) => `'${e}'`).join(' or ') } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => (node.source.type === 'Literal' ? check(node, node.source) : undefined),
    };
  },
};

export default { rules: { direction } };
