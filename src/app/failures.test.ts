import { AuthError, DailyLimitError, HubSpotApiError } from '../hubspot/errors';
import { errorKind, hubspotFailure } from './failures';

describe('hubspotFailure', () => {
  it('maps HubSpot errors to codes people can act on; other errors are not its business', () => {
    expect(hubspotFailure(new AuthError({ message: 'x', status: 403, missingScopes: ['crm.objects.companies.write'] }))).toEqual({
      code: 'auth',
      message: expect.stringContaining('crm.objects.companies.write'),
      retryable: false,
    });
    expect(hubspotFailure(new DailyLimitError({ message: 'x' }))?.code).toBe('rate_limited_daily');
    expect(hubspotFailure(new HubSpotApiError({ kind: 'server', status: 502, retryable: true, message: 'x' }))).toMatchObject({ code: 'hubspot_unavailable', retryable: true });
    expect(hubspotFailure(new TypeError('bug'))).toBeNull();
  });
});

describe('errorKind', () => {
  it('names the kind and status of a HubSpot error, the class of anything else, never the message', () => {
    expect(errorKind(new HubSpotApiError({ kind: 'server', status: 502, retryable: true, message: 'secret detail' }))).toEqual({ kind: 'server', status: 502 });
    expect(errorKind(new TypeError('secret detail'))).toEqual({ kind: 'TypeError', status: null });
    expect(errorKind('boom')).toEqual({ kind: 'string', status: null });
    expect(JSON.stringify(errorKind(new Error('secret detail')))).not.toMatch(/secret/);
  });
});
