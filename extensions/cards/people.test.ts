import { instantOf, isPrimary, peopleFromAssociations, taskContactText, type AssociationRow } from './people';

const row = (id: number, props: AssociationRow['properties'], types: AssociationRow['associationTypes'] = [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }]): AssociationRow => ({
  toObjectId: id,
  associationTypes: types,
  properties: props,
});
const PRIMARY = { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' };

describe('isPrimary', () => {
  it("is HubSpot's company → contact Primary type (2), whatever its label; unlabeled (280) and custom labels are not", () => {
    expect(isPrimary([PRIMARY])).toBe(true);
    expect(isPrimary([{ category: 'HUBSPOT_DEFINED', typeId: 2, label: '' }])).toBe(true);
    expect(isPrimary([{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }])).toBe(false);
    expect(isPrimary([{ category: 'USER_DEFINED', typeId: 2, label: 'Decision maker' }])).toBe(false);
    expect(isPrimary([])).toBe(false);
  });
});

describe('instantOf', () => {
  it('reads milliseconds since the epoch and ISO strings; empty or garbage is null', () => {
    expect(instantOf(String(Date.UTC(2026, 10, 2, 10)))).toBe('2026-11-02T10:00:00.000Z');
    expect(instantOf('2026-11-02T10:00:00Z')).toBe('2026-11-02T10:00:00.000Z');
    for (const bad of [null, undefined, '', '  ', 'yesterday', '12', '99999999999999999999']) expect(instantOf(bad)).toBeNull();
  });
});

describe('peopleFromAssociations', () => {
  it('names each contact (name, else email, else its id), primary first, each once, HubSpot order otherwise', () => {
    const people = peopleFromAssociations([
      row(11, { firstname: ' ', lastname: null, email: 'it@x.example.com' }),
      row(12, { firstname: 'Ana', lastname: 'Costa', jobtitle: 'COO', notes_last_contacted: '', hs_last_sales_activity_timestamp: '2026-10-01T08:00:00Z' }, [PRIMARY]),
      row(13, {}),
      row(11, { firstname: 'Duplicate' }),
      row(14, { firstname: 'Bo' }, [PRIMARY]),
    ]);
    expect(people).toEqual([
      { id: '12', name: 'Ana Costa', role: 'COO', email: null, lastEngagedAt: '2026-10-01T08:00:00.000Z', primary: true },
      { id: '14', name: 'Bo', role: null, email: null, lastEngagedAt: null, primary: true },
      { id: '11', name: 'it@x.example.com', role: null, email: 'it@x.example.com', lastEngagedAt: null, primary: false },
      { id: '13', name: 'Contact 13', role: null, email: null, lastEngagedAt: null, primary: false },
    ]);
    expect(peopleFromAssociations([])).toEqual([]);
  });
});

describe('taskContactText', () => {
  const people = peopleFromAssociations([row(1, { firstname: 'Ana' }, [PRIMARY]), row(2, { firstname: 'Ben' })]);
  it('names linked contacts from the People read (an unknown one by id), else the primary contact, else nothing', () => {
    expect(taskContactText({ linkedContactIds: ['2', '9'] }, people)).toBe('Linked to: Ben, Contact 9');
    expect(taskContactText({ linkedContactIds: [] }, people)).toBe('About: Ana');
    expect(taskContactText({ linkedContactIds: [] }, people.filter((p) => !p.primary))).toBeNull();
    expect(taskContactText({ linkedContactIds: [] }, [])).toBeNull();
  });
  it('while the contacts load: counts linked contacts, says nothing about a primary one', () => {
    expect(taskContactText({ linkedContactIds: ['1', '2'] }, null)).toBe('Linked to 2 contacts');
    expect(taskContactText({ linkedContactIds: ['1'] }, null)).toBe('Linked to 1 contact');
    expect(taskContactText({ linkedContactIds: [] }, null)).toBeNull();
  });
});
