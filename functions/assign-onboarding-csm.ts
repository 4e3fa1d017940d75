/** App function `assign-onboarding-csm`: automatic (no ownerId) or a chosen, validated owner, kept thereafter. */
import { createCompanyService } from '../src/app';
import { envelope, runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('assign-onboarding-csm', context, async (p, deps) =>
    envelope(await createCompanyService(deps).assignOnboardingCsm(p.companyId, p.ownerId, p.reason)),
  );
}
