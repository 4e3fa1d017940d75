/** App function `settings-data`: the effective config, its validation and an optional what-if preview. */
import { buildSettingsData } from '../src/app';
import { runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  const source = process.env['CS_CONFIG_JSON']?.trim() ? 'the CS_CONFIG_JSON secret' : 'defaults (CS_CONFIG_JSON is not set)';
  return runFunction('settings-data', context, async (p, deps) => ({ ok: true, data: await buildSettingsData(deps, p.configOverride, { source }) }));
}
