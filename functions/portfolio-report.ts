/** App function `portfolio-report`: the manager's portfolio figures for the app page (links need HUBSPOT_PORTAL_ID). */
import { buildPortfolioReport } from '../src/app';
import { runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('portfolio-report', context, async (p, deps) => ({
    ok: true,
    data: await buildPortfolioReport(deps, {
      portalId: process.env['HUBSPOT_PORTAL_ID'] ?? null,
      userId: p.userId ?? null,
    }),
  }));
}
