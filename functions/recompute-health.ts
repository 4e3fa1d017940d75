/** App function `recompute-health`: recomputes and writes one company's health (and what it triggers); returns the score. */
import { createCompanyService } from '../src/app';
import { envelope, runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('recompute-health', context, async (p, deps) => envelope(await createCompanyService(deps).recomputeHealth(p.companyId)));
}
