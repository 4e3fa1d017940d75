/**
 * What a CommonJS function bundle still needs from outside itself: every `require(...)` left in it
 * must be a Node builtin or a dependency in `app/functions/package.json` (HubSpot installs only those).
 */
import { builtinModules } from 'node:module';

export interface RequiredModule {
  /** The string passed to require, or null for a computed `require(expr)`. */
  specifier: string | null;
  /** The package name (`@scope/pkg` or `pkg`), or the builtin's name without `node:`. */
  name: string | null;
  kind: 'builtin' | 'dependency' | 'missing' | 'dynamic';
}

const BUILTINS = new Set(builtinModules.map((m) => m.replace(/^node:/, '')));

/** Package name of a bare specifier: `@a/b/c` → `@a/b`, `zod/v4` → `zod`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Finds the `require(...)` calls in bundled code and classifies each.
 * A `require` that is a property (`x.require(`) or a declaration (`function require(`) is not a call of Node's require.
 * @example classifyRequires('require("fs"); require("left-pad")', {}) // fs: builtin, left-pad: missing
 */
export function classifyRequires(code: string, dependencies: Record<string, string>): RequiredModule[] {
  const found: RequiredModule[] = [];
  const seen = new Set<string>();
  const callRe = /(?<![\w$.])require\s*\(\s*([^)]*?)\s*\)/g;
  for (const match of code.matchAll(callRe)) {
    const before = code.slice(Math.max(0, (match.index ?? 0) - 9), match.index ?? 0);
    if (/function\s*$/.test(before)) continue;
    const arg = match[1] ?? '';
    const literal = /^(['"`])([^'"`]+)\1$/.exec(arg);
    if (!literal) {
      const key = `dynamic:${arg}`;
      if (!seen.has(key)) found.push({ specifier: null, name: null, kind: 'dynamic' });
      seen.add(key);
      continue;
    }
    const specifier = literal[2] ?? '';
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      found.push({ specifier, name: null, kind: 'missing' });
      continue;
    }
    const bare = specifier.replace(/^node:/, '');
    if (specifier.startsWith('node:') || BUILTINS.has(bare) || BUILTINS.has(bare.split('/')[0] ?? bare)) {
      found.push({ specifier, name: bare, kind: 'builtin' });
      continue;
    }
    const name = packageName(specifier);
    found.push({ specifier, name, kind: Object.hasOwn(dependencies, name) ? 'dependency' : 'missing' });
  }
  return found;
}
