/** App function `run-playbooks`: creates one company's due CS tasks; idempotent (task keys + ledger + reconcile). */
import { createCompanyService } from '../src/app';
import { envelope, runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('run-playbooks', context, async (p, deps) => envelope(await createCompanyService(deps).runPlaybooks(p.companyId, {})));
}
