/** App function `settings-data`: the effective config, its validation and an optional what-if preview. */
import { buildSettingsData } from '../src/app/settings-service';
import { runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('settings-data', context, async (p, deps) => ({
    ok: true,
    data: await buildSettingsData(deps, p.configOverride),
  }));
}
