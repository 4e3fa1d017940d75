/**
 * The extensions' bundles carry the view models and nothing of the server side: bundled the way
 * `npm run build` bundles them (esbuild, browser, ESM, React and ui-extensions external), every
 * entry's inputs from `src/` are the browser-safe view-model files and the core's contract types,
 * and its only package is zod.
 */
import * as esbuild from 'esbuild';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const ENTRIES = ['extensions/cards/CompanyHealthCard.tsx', 'extensions/cards/CompanyHealthSidebar.tsx', 'extensions/pages/PortfolioPage.tsx', 'extensions/settings/SettingsPage.tsx'];
const ALLOWED_SRC = new Set(['src/app/view-models.ts', 'src/app/function-params.ts', 'src/app/card-data.ts', 'src/app/page-data.ts', 'src/app/settings-data.ts', 'src/core/types.ts']);

function packageOf(input: string): string {
  const rest = input.split('node_modules/').pop() ?? '';
  const parts = rest.split('/');
  return rest.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
}

describe('extension bundles', () => {
  test.each(ENTRIES)('%s pulls in only view models, contract types and zod', async (entry) => {
    const result = await esbuild.build({
      entryPoints: [path.join(ROOT, entry)],
      absWorkingDir: ROOT,
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      platform: 'browser',
      target: 'es2020',
      format: 'esm',
      jsx: 'automatic',
      external: ['react', 'react/*', '@hubspot/ui-extensions', '@hubspot/ui-extensions/*'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    const fromSrc = inputs.filter((i) => i.startsWith('src/'));
    expect(fromSrc.filter((i) => !ALLOWED_SRC.has(i))).toEqual([]);
    expect(fromSrc).toContain('src/app/function-params.ts');
    expect([...new Set(inputs.filter((i) => i.includes('node_modules/')).map(packageOf))]).toEqual(['zod']);
    expect(inputs.filter((i) => i.startsWith('extensions/')).length).toBeGreaterThan(1);
  });
});
