/** App function `override-segment`: sets (reason, optional future expiry) or removes (segment: null) a segment override. */
import { createCompanyService } from '../src/app';
import { envelope, runFunction, type FunctionContext } from './lib/handler';

export async function main(context: FunctionContext) {
  return runFunction('override-segment', context, async (p, deps) =>
    envelope(await createCompanyService(deps).overrideSegment(p.companyId, p.segment, p.reason ?? null, p.expires ?? null)),
  );
}
