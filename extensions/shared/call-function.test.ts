import { callFunction } from './call-function';
import { mockServerless } from '../test-utils';

describe('callFunction', () => {
  afterEach(() => jest.restoreAllMocks());

  it("asks HubSpot for the card's own record id on card functions, so the function can refuse another company", async () => {
    const mock = mockServerless(() => ({ ok: true, data: null }));
    await callFunction('card-data', { companyId: '42' });
    expect(mock.spy.mock.calls[0]?.[1]).toEqual({ propertiesToSend: ['hs_object_id'], parameters: { companyId: '42' } });
  });

  it('sends no record properties for portfolio functions', async () => {
    const mock = mockServerless(() => ({ ok: true, data: null }));
    await callFunction('settings-data', {});
    expect(mock.spy.mock.calls[0]?.[1]).not.toHaveProperty('propertiesToSend');
  });

  it('refuses bad parameters before any call, and reports an unexpected answer', async () => {
    const mock = mockServerless(() => 'not an envelope');
    const bad = await callFunction('card-data', { companyId: '' });
    expect(bad.ok).toBe(false);
    expect(mock.spy).not.toHaveBeenCalled();
    const odd = await callFunction('card-data', { companyId: '7' });
    expect(odd).toEqual({ ok: false, error: { code: 'bad_response', message: expect.stringContaining('card-data') } });
  });
});
