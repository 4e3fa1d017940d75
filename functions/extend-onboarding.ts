/** App function `extend-onboarding`: moves the graduation date out by N days, with a reason. */
import { createCompanyService } from '../src/app';
import { envelope, runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('extend-onboarding', context, async (p, deps) =>
    envelope(await createCompanyService(deps).extendOnboarding(p.companyId, p.days, p.reason)),
  );
}
