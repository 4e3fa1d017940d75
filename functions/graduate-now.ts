/** App function `graduate-now`: graduates an onboarding company by hand, with a reason. */
import { createCompanyService } from '../src/app';
import { envelope, runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('graduate-now', context, async (p, deps) => envelope(await createCompanyService(deps).graduateNow(p.companyId, p.reason)));
}
