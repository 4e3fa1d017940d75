/**
 * Installs the data contract on companies: the `customer_success` group and the properties.
 * Reads first (2 calls), then creates what is missing and PATCHes definitions that differ in
 * what we define. Never deletes. A second run sends no write at all.
 */
import { HubSpotApiError, UncertainWriteError } from './errors';
import type { HubSpotClient } from './client';
import type { InstallReport } from '../app/ports';
import { INPUT_PROPERTIES, type PropertyMap } from './company-properties';
import { PROPERTY_GROUP, definitionBody, propertyDefinitions, type PropertyDefinition } from './properties';
import { anyBodySchema, propertiesListSchema, propertyGroupsListSchema, propertySchema, type HubSpotProperty } from './schemas';

export interface InstallOptions {
  propertyMap?: PropertyMap;
  /** Options of `cs_required_skills`; omitted → its options are left as they are. */
  skills?: readonly string[];
}

const BASE = '/crm/v3/properties/companies';

function sameOptions(want: NonNullable<PropertyDefinition['options']>, have: HubSpotProperty['options']): boolean {
  const current = (have ?? []).filter((o) => o.hidden !== true);
  if (current.length !== want.length) return false;
  return want.every((o, i) => current[i]?.value === o.value && current[i]?.label === o.label);
}

/**
 * The fields of `want` that differ from `have` (only what we define). Empty = up to date.
 *
 * @example
 * definitionChanges(def, { ...def, label: 'Old label' }) // ['label']
 */
export function definitionChanges(want: PropertyDefinition, have: HubSpotProperty, opts: { compareOptions?: boolean } = {}): string[] {
  const changed: string[] = [];
  if (have.label !== want.label) changed.push('label');
  if ((have.description ?? '') !== want.description) changed.push('description');
  if (have.groupName !== want.groupName) changed.push('groupName');
  if (have.type !== want.type) changed.push('type');
  if (have.fieldType !== want.fieldType) changed.push('fieldType');
  if (want.options && opts.compareOptions !== false && !want.externalOptions && !sameOptions(want.options, have.options)) changed.push('options');
  if (want.externalOptions !== undefined && have.externalOptions !== undefined && have.externalOptions !== want.externalOptions) changed.push('externalOptions');
  if (want.referencedObjectType !== undefined && (have.referencedObjectType ?? undefined) !== want.referencedObjectType) changed.push('referencedObjectType');
  if (want.showCurrencySymbol !== undefined && have.showCurrencySymbol !== undefined && have.showCurrencySymbol !== want.showCurrencySymbol) changed.push('showCurrencySymbol');
  return changed;
}

function patchBody(want: PropertyDefinition, changed: string[], compareOptions: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    label: want.label,
    description: want.description,
    groupName: want.groupName,
    type: want.type,
    fieldType: want.fieldType,
  };
  if (want.options && compareOptions && !want.externalOptions) body.options = want.options;
  if (changed.includes('externalOptions') || changed.includes('referencedObjectType')) {
    body.externalOptions = want.externalOptions;
    body.referencedObjectType = want.referencedObjectType;
  }
  if (want.showCurrencySymbol !== undefined) body.showCurrencySymbol = want.showCurrencySymbol;
  return body;
}

/**
 * Installs the group and properties; idempotent.
 *
 * @example
 * const report = await installProperties(http, { propertyMap: { cs_acv: 'annualrevenue' } });
 * // report.created: names created this run; a second run: created = updated = []
 */
export async function installProperties(http: HubSpotClient, options: InstallOptions = {}): Promise<InstallReport> {
  const map = options.propertyMap ?? {};
  const report: InstallReport = { groupCreated: false, created: [], updated: [], unchanged: [] };

  const groups = await http.request({ method: 'GET', path: `${BASE}/groups`, kind: 'properties', intent: 'read', schema: propertyGroupsListSchema });
  if (!groups.data.results.some((g) => g.name === PROPERTY_GROUP.name)) {
    try {
      await http.request({ method: 'POST', path: `${BASE}/groups`, kind: 'properties', intent: 'create', schema: anyBodySchema, body: { ...PROPERTY_GROUP } });
    } catch (error) {
      // 409: created meanwhile; uncertain: re-read below decides nothing more is needed (a group POST is cheap to check).
      if (!(error instanceof HubSpotApiError && (error.status === 409 || error instanceof UncertainWriteError))) throw error;
      if (error instanceof UncertainWriteError) {
        const again = await http.request({ method: 'GET', path: `${BASE}/groups`, kind: 'properties', intent: 'read', schema: propertyGroupsListSchema });
        if (!again.data.results.some((g) => g.name === PROPERTY_GROUP.name)) throw error;
      }
    }
    report.groupCreated = true;
  }

  const existing = await http.request({ method: 'GET', path: BASE, kind: 'properties', intent: 'read', schema: propertiesListSchema });
  const byName = new Map(existing.data.results.map((p) => [p.name, p]));

  for (const want of propertyDefinitions({ skills: options.skills })) {
    const have = byName.get(want.name);
    if (want.input) {
      // Mapped to another property, or the portal already has it outside our group: not ours to touch.
      if (map[want.name] !== undefined && map[want.name] !== want.name) {
        report.unchanged.push(want.name);
        continue;
      }
      if (have && have.groupName !== PROPERTY_GROUP.name) {
        report.unchanged.push(want.name);
        continue;
      }
    }
    if (!have) {
      await createProperty(http, want);
      report.created.push(want.name);
      continue;
    }
    const compareOptions = !(want.name === INPUT_PROPERTIES.requiredSkills && options.skills === undefined);
    const changed = definitionChanges(want, have, { compareOptions });
    if (changed.length === 0) {
      report.unchanged.push(want.name);
      continue;
    }
    await http.request({
      method: 'PATCH',
      path: `${BASE}/${encodeURIComponent(want.name)}`,
      kind: 'properties',
      intent: 'idempotent-write',
      schema: anyBodySchema,
      body: patchBody(want, changed, compareOptions),
    });
    report.updated.push(want.name);
  }
  return report;
}

let written: Map<string, PropertyDefinition> | null = null;
function writtenDefinitions(): Map<string, PropertyDefinition> {
  written ??= new Map(propertyDefinitions().filter((d) => d.input !== true).map((d) => [d.name, d]));
  return written;
}

/**
 * Whether the app writes this property (one of the contract's, not an input the portal may map).
 *
 * @example
 * isWrittenProperty('cs_health_score') // true
 * isWrittenProperty('cs_acv') // false
 */
export function isWrittenProperty(name: string): boolean {
  return writtenDefinitions().has(name);
}

/**
 * Creates properties of the contract the app writes (not the inputs, which may be mapped to the
 * portal's own) that a write found missing: a version that added some, running before `setup`.
 * False, and nothing created, when a name is not one of them. The group must exist (`setup` ran
 * once); a refusal (no schema scope, no group) is thrown.
 *
 * @example
 * await createWrittenProperties(http, ['cs_health_drop_from']) // true
 */
export async function createWrittenProperties(http: HubSpotClient, names: readonly string[]): Promise<boolean> {
  const defs = writtenDefinitions();
  const wanted = names.map((n) => defs.get(n));
  if (wanted.length === 0 || wanted.some((d) => d === undefined)) return false;
  for (const want of wanted as PropertyDefinition[]) await createProperty(http, want);
  return true;
}

async function createProperty(http: HubSpotClient, want: PropertyDefinition): Promise<void> {
  try {
    await http.request({ method: 'POST', path: BASE, kind: 'properties', intent: 'create', schema: anyBodySchema, body: definitionBody(want) });
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 409) return; // already exists
    if (!(error instanceof UncertainWriteError)) throw error;
    // Reconcile: was it created? Only then is a second POST safe.
    try {
      await http.request({ method: 'GET', path: `${BASE}/${encodeURIComponent(want.name)}`, kind: 'properties', intent: 'read', schema: propertySchema });
      return;
    } catch (readError) {
      if (!(readError instanceof HubSpotApiError && readError.status === 404)) throw readError;
    }
    await http.request({ method: 'POST', path: BASE, kind: 'properties', intent: 'create', schema: anyBodySchema, body: definitionBody(want) });
  }
}
