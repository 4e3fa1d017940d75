import { createHubSpotCrm } from './crm';
import { propertyMapFromConfig } from './property-map';

describe('createHubSpotCrm: names and links in domain words', () => {
  const crm = createHubSpotCrm({ accessToken: 't', basePath: 'http://127.0.0.1:1', propertyMap: propertyMapFromConfig({ cs_nps_score: 'survey_nps' }) });

  it('names the portal property an input is kept in, after the mapping', () => {
    expect(crm.inputName('npsScore')).toBe('survey_nps');
    expect(crm.inputName('npsDate')).toBe('cs_nps_date');
    expect(crm.inputName('lastContactedAt')).toBe('notes_last_contacted');
  });

  it('links a company record, and none without valid ids', () => {
    expect(crm.companyRecordUrl('42', { portalId: '123' })).toBe('https://app.hubspot.com/contacts/123/record/0-2/42');
    expect(crm.companyRecordUrl('42', { portalId: null })).toBeNull();
    expect(crm.companyRecordUrl('4"2', { portalId: '123' })).toBeNull();
  });
});
