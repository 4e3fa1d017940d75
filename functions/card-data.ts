/** App function `card-data`: everything the company card shows, in one call (nothing is written). */
import { buildCardData } from '../src/app';
import { runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('card-data', context, (p, deps) => buildCardData(deps, p.companyId));
}
