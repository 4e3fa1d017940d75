/**
 * The HubSpot endpoints the adapter uses, as pure handlers over the store:
 * route resolution (with the scope each route needs) and HubSpot-shaped replies.
 */
import { z } from 'zod';
import { failsPartially } from './faults';
import { FlowsApi } from './flows';
import { errorReply, missingScopes, notFound, parseBody, validationError, type Reply } from './http-util';
import { ASSOCIATION_TYPES, DEFAULT_PROPERTIES, isObjectType, OBJECT_SCOPES, OBJECT_SINGULAR, makeOptions, type ObjectType, type PropertyDefinition, type PropertyGroup } from './schemas';
import { SearchEngine, SearchRequestSchema, validateSearch } from './search';
import { isoOf, type CrmObject, type CrmStore } from './store';
import { normaliseValue, type InvalidValue } from './values';

export const BATCH_LIMIT = 100;
export const LIST_LIMIT = 100;
export const ASSOC_BATCH_LIMIT = 1000;
/** Batch reads with propertiesWithHistory: HubSpot answers 400 above 50 inputs. */
export const HISTORY_BATCH_LIMIT = 50;
const ASSOC_PAGE = 500;

export interface PartialSpec {
  failIds?: string[];
  failIndexes?: number[];
  failEvery?: number;
  category?: string;
  message?: string;
}

export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  now: number;
  baseUrl: string;
  partial?: PartialSpec;
}

export interface Route {
  /** Method + path template, for counters: `POST /crm/v3/objects/companies/search`. */
  key: string;
  scopes: string[];
  isSearch: boolean;
  handle(ctx: RequestContext): Reply;
}

// ---------------- request schemas ----------------

const PropValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const BatchReadSchema = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});
const BatchUpdateSchema = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), properties: PropValues, idProperty: z.string().optional() })),
});
const AssocInputSchema = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })),
});
const CreateInputSchema = z.object({
  properties: PropValues,
  associations: z.array(AssocInputSchema).optional(),
  objectWriteTraceId: z.string().optional(),
});
const BatchCreateSchema = z.object({ inputs: z.array(CreateInputSchema) });
const UpdateSchema = z.object({ properties: PropValues });
const AssocBatchReadSchema = z.object({ inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), after: z.string().optional() })) });
const OptionSchema = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().int().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});
const PropertyCreateSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'Property names must be lower case letters, digits and underscores, starting with a letter'),
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool', 'phone_number']),
  fieldType: z.enum(['text', 'textarea', 'html', 'number', 'date', 'select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation', 'phonenumber', 'file']),
  groupName: z.string().min(1),
  description: z.string().optional(),
  options: z.array(OptionSchema).optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
  referencedObjectType: z.string().optional(),
  dataSensitivity: z.string().optional(),
  calculationFormula: z.string().optional(),
});
const PropertyUpdateSchema = PropertyCreateSchema.omit({ name: true, hasUniqueValue: true }).partial();
const GroupCreateSchema = z.object({ name: z.string().regex(/^[a-z][a-z0-9_]*$/), label: z.string().min(1), displayOrder: z.number().int().optional() });
const GroupUpdateSchema = GroupCreateSchema.omit({ name: true }).partial();
// HubSpot's CallbackCompletionRequest: outputFields is a map of strings; typedOutputs (an object)
// is in the v4 / 2026-03 specs (the SDK 14 client does not send it, so it is accepted when absent).
const CallbackSchema = z.object({
  outputFields: z.record(z.string(), z.string()),
  typedOutputs: z.record(z.string(), z.unknown()).optional(),
  failureReasonType: z.string().optional(),
});
const CallbackBatchSchema = z.object({ inputs: z.array(z.object({ callbackId: z.string(), outputFields: z.record(z.string(), z.string()), typedOutputs: z.record(z.string(), z.unknown()).optional() })) });

// ---------------- object serialisation ----------------

function listParam(q: URLSearchParams, name: string): string[] | null {
  const all = q.getAll(name);
  if (all.length === 0) return null;
  return all.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

const ALWAYS: Record<ObjectType, string[]> = {
  companies: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tickets: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['createdate', 'lastmodifieddate', 'hs_object_id'],
};

export class Api {
  readonly search: SearchEngine;

  constructor(private readonly store: CrmStore) {
    this.search = new SearchEngine(store);
  }

  /** `SimplePublicObject` / `SimplePublicObjectWithAssociations` shape. */
  publicObject(
    type: ObjectType,
    obj: CrmObject,
    names: string[] | null,
    historyNames: string[] | null,
    view: { props: Record<string, string>; updatedAt: number } = obj,
  ): Record<string, unknown> {
    const defs = this.store.properties[type];
    const wanted = names && names.length > 0 ? [...names, ...ALWAYS[type]] : DEFAULT_PROPERTIES[type];
    const properties: Record<string, string | null> = {};
    const src = { id: obj.id, createdAt: obj.createdAt, updatedAt: view.updatedAt, props: view.props };
    for (const n of wanted) {
      if (!defs.has(n)) continue;
      properties[n] = this.store.valueOf(type, src, n) ?? null;
    }
    const out: Record<string, unknown> = {
      id: String(obj.id),
      properties,
      createdAt: isoOf(obj.createdAt),
      updatedAt: isoOf(view.updatedAt),
      archived: obj.archived,
    };
    if (historyNames && historyNames.length > 0) {
      const h: Record<string, unknown[]> = {};
      for (const n of historyNames) {
        if (!defs.has(n)) continue;
        h[n] = this.store.historyOf(type, obj, n).map((e) => ({
          value: e.value,
          timestamp: isoOf(e.timestamp),
          sourceType: e.sourceType,
          ...(e.sourceId ? { sourceId: e.sourceId } : {}),
        }));
      }
      out.propertiesWithHistory = h;
    }
    return out;
  }

  /** Validates property writes; returns stored strings or the 400 reply. */
  private validateWrites(type: ObjectType, inputs: Array<Record<string, string | number | boolean | null>>, creating: boolean): { ok: true; values: Array<Record<string, string>> } | { ok: false; reply: Reply } {
    const defs = this.store.properties[type];
    const invalid: InvalidValue[] = [];
    const values = inputs.map((props) => {
      const out: Record<string, string> = {};
      for (const [name, raw] of Object.entries(props)) {
        const def = defs.get(name);
        if (!def) {
          invalid.push({ name, value: String(raw), error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
          continue;
        }
        if (def.modificationMetadata.readOnlyValue) {
          invalid.push({ name, value: String(raw), error: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
          continue;
        }
        const r = normaliseValue(def, raw);
        if (!r.ok) invalid.push(r.error);
        else if (!(creating && r.value === '')) out[name] = r.value;
      }
      return out;
    });
    if (invalid.length > 0) {
      const detail = invalid.map((e) => ({ isValid: false, message: e.message, error: e.error, name: e.name, localizedErrorMessage: e.message }));
      return {
        ok: false,
        reply: validationError(`Property values were not valid: ${JSON.stringify(detail)}`, {
          errors: invalid.map((e) => ({ message: e.message, code: e.error, context: { propertyName: [e.name] } })),
        }),
      };
    }
    return { ok: true, values };
  }

  private findBy(type: ObjectType, id: string, idProperty: string | undefined): CrmObject | undefined {
    if (!idProperty || idProperty === 'hs_object_id') {
      const n = Number(id);
      const o = Number.isSafeInteger(n) ? this.store.get(type, n) : undefined;
      return o && !o.archived ? o : undefined;
    }
    for (const o of this.store.objects[type].values()) if (!o.archived && o.props[idProperty] === id) return o;
    return undefined;
  }

  private batchReply(ctx: RequestContext, okStatus: number, results: unknown[], errors: unknown[]): Reply {
    const stamp = isoOf(ctx.now);
    if (errors.length === 0) return { status: okStatus, body: { status: 'COMPLETE', results, startedAt: stamp, completedAt: stamp } };
    return { status: 207, body: { status: 'COMPLETE', results, numErrors: errors.length, errors, startedAt: stamp, completedAt: stamp } };
  }

  private partialError(ctx: RequestContext, context: Record<string, string[]>): Record<string, unknown> {
    return {
      status: 'error',
      category: ctx.partial?.category ?? 'VALIDATION_ERROR',
      message: ctx.partial?.message ?? 'Injected failure for this input.',
      context,
      errors: [],
      links: {},
    };
  }

  private notFoundError(type: ObjectType, ids: string[]): Record<string, unknown> {
    return {
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: `Could not get some ${OBJECT_SINGULAR[type]} objects, they may be deleted or not exist. Check that ids are valid.`,
      context: { ids },
      errors: [],
      links: {},
    };
  }

  private tooMany(n: number, max = BATCH_LIMIT): Reply {
    return validationError(`Too many inputs: ${n}. The maximum number of inputs in a batch is ${max}.`, {
      errors: [{ message: `size must be between 0 and ${max}`, code: 'INVALID_SIZE', context: { field: ['inputs'] } }],
    });
  }

  // ---------------- objects ----------------

  doSearch(type: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(SearchRequestSchema, ctx.body ?? {});
    if (!p.ok) return p.reply;
    const req = p.value;
    const invalid = validateSearch(this.store, type, req);
    if (invalid) return validationError(invalid.message);
    const r = this.search.run(type, req, ctx.now);
    if ('status' in r) return validationError(r.message);
    const body: Record<string, unknown> = {
      total: r.total,
      results: r.hits.map((h) => this.publicObject(type, h.obj, req.properties ?? null, null, h.view)),
    };
    if (r.nextAfter !== null) body.paging = { next: { after: r.nextAfter, link: `${ctx.baseUrl}/crm/v3/objects/${type}/search?after=${r.nextAfter}` } };
    return { status: 200, body };
  }

  list(type: ObjectType, ctx: RequestContext): Reply {
    const limit = Number(ctx.query.get('limit') ?? '10');
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT) return validationError(`limit must be between 1 and ${LIST_LIMIT}.`);
    const afterRaw = ctx.query.get('after');
    const after = afterRaw ? Number(afterRaw) : 0;
    if (!Number.isFinite(after)) return validationError(`Invalid after: ${afterRaw ?? ''}`);
    const archived = ctx.query.get('archived') === 'true';
    const names = listParam(ctx.query, 'properties');
    const hist = listParam(ctx.query, 'propertiesWithHistory');
    const assocTypes = (listParam(ctx.query, 'associations') ?? []).filter(isObjectType);
    const results: unknown[] = [];
    let last: CrmObject | undefined;
    let more = false;
    for (const o of this.store.objects[type].values()) {
      if (o.id <= after || o.archived !== archived) continue;
      if (results.length === limit) {
        more = true;
        break;
      }
      const item = this.publicObject(type, o, names, hist);
      if (assocTypes.length > 0) {
        // SimplePublicObjectWithAssociations: only the types with at least one association appear.
        const associations: Record<string, { results: { id: string; type: string }[] }> = {};
        for (const to of assocTypes) {
          const ids = this.store.associated(type, o.id, to);
          if (ids.length > 0) associations[to] = { results: ids.map((id) => ({ id: String(id), type: `${OBJECT_SINGULAR[type].toLowerCase()}_to_${OBJECT_SINGULAR[to].toLowerCase()}` })) };
        }
        if (Object.keys(associations).length > 0) item.associations = associations;
      }
      results.push(item);
      last = o;
    }
    const body: Record<string, unknown> = { results };
    if (more && last) body.paging = { next: { after: String(last.id), link: `${ctx.baseUrl}/crm/v3/objects/${type}?after=${last.id}` } };
    return { status: 200, body };
  }

  getById(type: ObjectType, id: string, ctx: RequestContext): Reply {
    const o = this.findBy(type, id, ctx.query.get('idProperty') ?? undefined);
    if (!o) return notFound();
    const body = this.publicObject(type, o, listParam(ctx.query, 'properties'), listParam(ctx.query, 'propertiesWithHistory'));
    // `associations=tasks,tickets,contacts`: the associated ids per type, `{ results: [{ id, type }] }`;
    // unknown types are ignored, as HubSpot does.
    const wanted = listParam(ctx.query, 'associations');
    if (wanted !== null) {
      const assoc: Record<string, unknown> = {};
      for (const to of wanted) {
        if (!isObjectType(to) || associationTypeId(type, to) === null) continue;
        const ids = this.store.associated(type, o.id, to).filter((x) => this.store.get(to, x)?.archived === false);
        if (ids.length === 0) continue;
        // Primary: marked with markPrimary, else (contacts) the first one associated.
        const marked = this.store.associated(type, o.id, to).filter((x) => this.store.isPrimary(type, o.id, to, x));
        const primary = new Set(marked.length > 0 ? marked : ids.slice(0, 1));
        const label = `${OBJECT_SINGULAR[type].toLowerCase()}_to_${OBJECT_SINGULAR[to].toLowerCase()}`;
        assoc[to] = { results: ids.map((x) => ({ id: String(x), type: primary.has(x) || to !== 'contacts' ? label : `${label}_unlabeled` })) };
      }
      if (Object.keys(assoc).length > 0) (body as Record<string, unknown>).associations = assoc;
    }
    return { status: 200, body };
  }

  createOne(type: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(CreateInputSchema, ctx.body);
    if (!p.ok) return p.reply;
    const r = this.createMany(type, [p.value], ctx);
    if (!r.ok) return r.reply;
    const first = r.created[0];
    return first ? { status: 201, body: this.publicObject(type, first, Object.keys(p.value.properties), null) } : errorReply(500, 'internal error', 'INTERNAL_ERROR');
  }

  updateOne(type: ObjectType, id: string, ctx: RequestContext): Reply {
    const p = parseBody(UpdateSchema, ctx.body);
    if (!p.ok) return p.reply;
    const o = this.findBy(type, id, ctx.query.get('idProperty') ?? undefined);
    if (!o) return notFound();
    const v = this.validateWrites(type, [p.value.properties], false);
    if (!v.ok) return v.reply;
    this.store.update(type, o, v.values[0] ?? {}, ctx.now);
    return { status: 200, body: this.publicObject(type, o, Object.keys(p.value.properties), null) };
  }

  batchRead(type: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(BatchReadSchema, ctx.body);
    if (!p.ok) return p.reply;
    const { inputs, properties, propertiesWithHistory, idProperty } = p.value;
    if (inputs.length > BATCH_LIMIT) return this.tooMany(inputs.length);
    if (inputs.length > HISTORY_BATCH_LIMIT && (propertiesWithHistory ?? []).length > 0) {
      return validationError(`The maximum number of inputs supported in a batch request for property histories is ${HISTORY_BATCH_LIMIT}. Please reduce the number of items and try again`);
    }
    const results: unknown[] = [];
    const missing: string[] = [];
    const errors: unknown[] = [];
    const seen = new Set<string>();
    inputs.forEach((input, i) => {
      if (seen.has(input.id)) return;
      seen.add(input.id);
      if (ctx.partial && failsPartially(ctx.partial, i, input.id)) {
        errors.push(this.partialError(ctx, { ids: [input.id] }));
        return;
      }
      const o = this.findBy(type, input.id, idProperty);
      if (!o) missing.push(input.id);
      else results.push(this.publicObject(type, o, properties ?? null, propertiesWithHistory ?? null));
    });
    if (missing.length > 0) errors.push(this.notFoundError(type, missing));
    return this.batchReply(ctx, 200, results, errors);
  }

  batchUpdate(type: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(BatchUpdateSchema, ctx.body);
    if (!p.ok) return p.reply;
    const { inputs } = p.value;
    if (inputs.length > BATCH_LIMIT) return this.tooMany(inputs.length);
    const ids = inputs.map((i) => i.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) return validationError(`Duplicate IDs found in batch input: [${dup}]. IDs must be unique`);
    const v = this.validateWrites(type, inputs.map((i) => i.properties), false);
    if (!v.ok) return v.reply;
    const results: unknown[] = [];
    const missing: string[] = [];
    const errors: unknown[] = [];
    inputs.forEach((input, i) => {
      if (ctx.partial && failsPartially(ctx.partial, i, input.id)) {
        errors.push(this.partialError(ctx, { ids: [input.id] }));
        return;
      }
      const o = this.findBy(type, input.id, input.idProperty);
      if (!o) {
        missing.push(input.id);
        return;
      }
      this.store.update(type, o, v.values[i] ?? {}, ctx.now);
      results.push(this.publicObject(type, o, Object.keys(input.properties), null));
    });
    if (missing.length > 0) errors.push(this.notFoundError(type, missing));
    return this.batchReply(ctx, 200, results, errors);
  }

  private createMany(
    type: ObjectType,
    inputs: Array<z.infer<typeof CreateInputSchema>>,
    ctx: RequestContext,
  ): { ok: true; created: CrmObject[]; errors: unknown[] } | { ok: false; reply: Reply } {
    const v = this.validateWrites(type, inputs.map((i) => i.properties), true);
    if (!v.ok) return v;
    // Associations are validated for the whole batch first (HubSpot rejects the batch).
    for (const input of inputs) {
      for (const a of input.associations ?? []) {
        for (const t of a.types) {
          const target = associationTarget(type, t.associationTypeId);
          if (!target) return { ok: false, reply: validationError(`${t.associationTypeId} is not a valid association type id for ${type}.`) };
          const to = this.findBy(target, a.to.id, undefined);
          if (!to) return { ok: false, reply: validationError(`One or more associations are invalid: ${OBJECT_SINGULAR[target]} ${a.to.id} does not exist.`) };
        }
      }
    }
    const created: CrmObject[] = [];
    const errors: unknown[] = [];
    inputs.forEach((input, i) => {
      if (ctx.partial && failsPartially(ctx.partial, i, undefined)) {
        errors.push(this.partialError(ctx, { inputIndex: [String(i)] }));
        return;
      }
      const o = this.store.create(type, v.values[i] ?? {}, ctx.now);
      for (const a of input.associations ?? []) {
        for (const t of a.types) {
          const target = associationTarget(type, t.associationTypeId);
          if (target) this.store.associate(type, o.id, target, Number(a.to.id));
        }
      }
      created.push(o);
    });
    return { ok: true, created, errors };
  }

  batchCreate(type: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(BatchCreateSchema, ctx.body);
    if (!p.ok) return p.reply;
    if (p.value.inputs.length > BATCH_LIMIT) return this.tooMany(p.value.inputs.length);
    const r = this.createMany(type, p.value.inputs, ctx);
    if (!r.ok) return r.reply;
    const results = r.created.map((o) => this.publicObject(type, o, Object.keys(o.props), null));
    return this.batchReply(ctx, 201, results, r.errors);
  }

  // ---------------- associations v4 ----------------

  assocBatchRead(from: ObjectType, to: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(AssocBatchReadSchema, ctx.body);
    if (!p.ok) return p.reply;
    if (p.value.inputs.length > ASSOC_BATCH_LIMIT) return this.tooMany(p.value.inputs.length, ASSOC_BATCH_LIMIT);
    const typeId = associationTypeId(from, to);
    if (typeId === null) return validationError(`No association is defined from ${from} to ${to}.`);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    p.value.inputs.forEach((input, i) => {
      if (ctx.partial && failsPartially(ctx.partial, i, input.id)) {
        errors.push(this.partialError(ctx, { fromObjectId: [input.id] }));
        return;
      }
      const n = Number(input.id);
      const ids = Number.isSafeInteger(n) ? this.store.associated(from, n, to).filter((id) => this.store.get(to, id)?.archived === false) : [];
      if (ids.length === 0) {
        // HubSpot's shape for "nothing associated": OBJECT_NOT_FOUND with singular, upper-case
        // object types in the context (not VALIDATION_ERROR, not the plural path names).
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${OBJECT_SINGULAR[to].toLowerCase()} is associated to ${OBJECT_SINGULAR[from].toLowerCase()} ${input.id}.`,
          context: { fromObjectId: [input.id], fromObjectType: [OBJECT_SINGULAR[from]], toObjectType: [OBJECT_SINGULAR[to]] },
          errors: [],
          links: {},
        });
        return;
      }
      const offset = input.after ? Number(input.after) || 0 : 0;
      const page = ids.slice(offset, offset + ASSOC_PAGE);
      // A primary company ↔ contact link also carries HubSpot's "Primary" type (1 / 2) with its label;
      // primary: marked with markPrimary, else (as on the record GET) the first contact associated.
      const primaryType = from === 'companies' && to === 'contacts' ? ASSOCIATION_TYPES.companyToContactPrimary : from === 'contacts' && to === 'companies' ? ASSOCIATION_TYPES.contactToCompanyPrimary : null;
      const marked = primaryType === null ? [] : ids.filter((x) => this.store.isPrimary(from, n, to, x));
      const primary = new Set(primaryType === null ? [] : marked.length > 0 ? marked : from === 'companies' ? ids.slice(0, 1) : []);
      const result: Record<string, unknown> = {
        from: { id: input.id },
        to: page.map((toId) => ({
          toObjectId: toId,
          associationTypes: [
            { category: 'HUBSPOT_DEFINED', typeId, label: null },
            ...(primary.has(toId) && primaryType !== null ? [{ category: 'HUBSPOT_DEFINED', typeId: primaryType, label: 'Primary' }] : []),
          ],
        })),
      };
      if (offset + ASSOC_PAGE < ids.length) result.paging = { next: { after: String(offset + ASSOC_PAGE), link: null } };
      results.push(result);
    });
    return this.batchReply(ctx, 200, results, errors);
  }

  // ---------------- properties ----------------

  private publicGroup(g: PropertyGroup): PropertyGroup {
    return { ...g };
  }

  listProperties(type: ObjectType, ctx: RequestContext): Reply {
    const archived = ctx.query.get('archived') === 'true';
    return { status: 200, body: { results: Array.from(this.store.properties[type].values()).filter((p) => p.archived === archived) } };
  }

  getProperty(type: ObjectType, name: string): Reply {
    const p = this.store.properties[type].get(name);
    return p && !p.archived ? { status: 200, body: p } : errorReply(404, `Unable to find property named ${name} for object type ${OBJECT_SINGULAR[type]}.`, 'OBJECT_NOT_FOUND');
  }

  private checkPropertyShape(type: ObjectType, p: Pick<PropertyDefinition, 'type' | 'fieldType' | 'groupName' | 'externalOptions' | 'options'>): Reply | null {
    if (!this.store.groups[type].has(p.groupName)) return validationError(`Property group ${p.groupName} does not exist.`);
    if (p.type === 'enumeration' && !['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'].includes(p.fieldType)) {
      return validationError(`fieldType ${p.fieldType} is not valid for type enumeration.`);
    }
    if (p.type === 'bool' && p.fieldType !== 'booleancheckbox') return validationError('Properties of type bool must use fieldType booleancheckbox.');
    if (p.type === 'enumeration' && !p.externalOptions && p.fieldType !== 'booleancheckbox' && p.options.length === 0) {
      return validationError('Enumeration properties need at least one option.');
    }
    return null;
  }

  createProperty(type: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(PropertyCreateSchema, ctx.body);
    if (!p.ok) return p.reply;
    const b = p.value;
    if (this.store.properties[type].has(b.name)) {
      return errorReply(409, `Property named '${b.name}' already exists.`, 'OBJECT_ALREADY_EXISTS', { context: { name: [b.name] } });
    }
    const now = isoOf(ctx.now);
    const def: PropertyDefinition = {
      name: b.name,
      label: b.label,
      type: b.type,
      fieldType: b.fieldType,
      description: b.description ?? '',
      groupName: b.groupName,
      options: (b.options ?? (b.type === 'bool' ? makeOptions(['true', 'false']) : [])).map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false, ...(o.description ? { description: o.description } : {}) })),
      displayOrder: b.displayOrder ?? -1,
      calculated: false,
      externalOptions: b.externalOptions ?? false,
      hasUniqueValue: b.hasUniqueValue ?? false,
      hidden: b.hidden ?? false,
      formField: b.formField ?? false,
      ...(b.referencedObjectType ? { referencedObjectType: b.referencedObjectType } : {}),
      ...(b.dataSensitivity ? { dataSensitivity: b.dataSensitivity } : {}),
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    const bad = this.checkPropertyShape(type, def);
    if (bad) return bad;
    this.store.properties[type].set(def.name, def);
    this.store.version++;
    return { status: 201, body: def };
  }

  updateProperty(type: ObjectType, name: string, ctx: RequestContext): Reply {
    const existing = this.store.properties[type].get(name);
    if (!existing || existing.archived) return this.getProperty(type, name);
    const p = parseBody(PropertyUpdateSchema, ctx.body);
    if (!p.ok) return p.reply;
    if (existing.modificationMetadata.readOnlyDefinition) return validationError(`The definition of ${name} is read only.`);
    const b = p.value;
    const next: PropertyDefinition = {
      ...existing,
      ...(b.label !== undefined ? { label: b.label } : {}),
      ...(b.type !== undefined ? { type: b.type } : {}),
      ...(b.fieldType !== undefined ? { fieldType: b.fieldType } : {}),
      ...(b.groupName !== undefined ? { groupName: b.groupName } : {}),
      ...(b.description !== undefined ? { description: b.description } : {}),
      ...(b.displayOrder !== undefined ? { displayOrder: b.displayOrder } : {}),
      ...(b.hidden !== undefined ? { hidden: b.hidden } : {}),
      ...(b.formField !== undefined ? { formField: b.formField } : {}),
      ...(b.externalOptions !== undefined ? { externalOptions: b.externalOptions } : {}),
      ...(b.referencedObjectType !== undefined ? { referencedObjectType: b.referencedObjectType } : {}),
      ...(b.options !== undefined
        ? { options: b.options.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false, ...(o.description ? { description: o.description } : {}) })) }
        : {}),
      updatedAt: isoOf(ctx.now),
    };
    const bad = this.checkPropertyShape(type, next);
    if (bad) return bad;
    this.store.properties[type].set(name, next);
    this.store.version++;
    return { status: 200, body: next };
  }

  listGroups(type: ObjectType): Reply {
    return { status: 200, body: { results: Array.from(this.store.groups[type].values()).filter((g) => !g.archived).map((g) => this.publicGroup(g)) } };
  }

  getGroup(type: ObjectType, name: string): Reply {
    const g = this.store.groups[type].get(name);
    return g && !g.archived ? { status: 200, body: this.publicGroup(g) } : errorReply(404, `Unable to find property group named ${name} for object type ${OBJECT_SINGULAR[type]}.`, 'OBJECT_NOT_FOUND');
  }

  createGroup(type: ObjectType, ctx: RequestContext): Reply {
    const p = parseBody(GroupCreateSchema, ctx.body);
    if (!p.ok) return p.reply;
    if (this.store.groups[type].has(p.value.name)) {
      return errorReply(409, `Property group named '${p.value.name}' already exists.`, 'OBJECT_ALREADY_EXISTS', { context: { name: [p.value.name] } });
    }
    const g: PropertyGroup = { name: p.value.name, label: p.value.label, displayOrder: p.value.displayOrder ?? -1, archived: false };
    this.store.groups[type].set(g.name, g);
    this.store.version++;
    return { status: 201, body: this.publicGroup(g) };
  }

  updateGroup(type: ObjectType, name: string, ctx: RequestContext): Reply {
    const g = this.store.groups[type].get(name);
    if (!g || g.archived) return this.getGroup(type, name);
    const p = parseBody(GroupUpdateSchema, ctx.body);
    if (!p.ok) return p.reply;
    if (p.value.label !== undefined) g.label = p.value.label;
    if (p.value.displayOrder !== undefined) g.displayOrder = p.value.displayOrder;
    this.store.version++;
    return { status: 200, body: this.publicGroup(g) };
  }

  // ---------------- owners ----------------

  listOwners(ctx: RequestContext): Reply {
    const limit = Number(ctx.query.get('limit') ?? '100');
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) return validationError('limit must be between 1 and 500.');
    const archived = ctx.query.get('archived') === 'true';
    const email = ctx.query.get('email');
    const all = this.store.owners.filter((o) => o.archived === archived && (!email || o.email === email));
    const offset = Number(ctx.query.get('after') ?? '0') || 0;
    const page = all.slice(offset, offset + limit);
    const body: Record<string, unknown> = { results: page };
    if (offset + limit < all.length) body.paging = { next: { after: String(offset + limit), link: `${ctx.baseUrl}/crm/v3/owners/?after=${offset + limit}` } };
    return { status: 200, body };
  }

  getOwner(id: string, ctx: RequestContext): Reply {
    const byUser = ctx.query.get('idProperty') === 'userId';
    const archived = ctx.query.get('archived') === 'true';
    const o = this.store.owners.find((x) => (byUser ? String(x.userId) === id : x.id === id) && x.archived === archived);
    return o ? { status: 200, body: o } : notFound(`Owner ${id} not found`);
  }

  // ---------------- workflow callbacks ----------------

  completeCallback(callbackId: string, ctx: RequestContext): Reply {
    const p = parseBody(CallbackSchema, ctx.body ?? {});
    if (!p.ok) return p.reply;
    this.store.callbacks.push({ callbackId, outputFields: p.value.outputFields, ...(p.value.typedOutputs ? { typedOutputs: p.value.typedOutputs } : {}), at: ctx.now });
    return { status: 204 };
  }

  completeCallbacks(ctx: RequestContext): Reply {
    const p = parseBody(CallbackBatchSchema, ctx.body);
    if (!p.ok) return p.reply;
    for (const i of p.value.inputs) this.store.callbacks.push({ callbackId: i.callbackId, outputFields: i.outputFields, at: ctx.now });
    return { status: 204 };
  }

  // ---------------- routing ----------------

  route(method: string, path: string): Route | null {
    const seg = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
    const r = (key: string, scopes: string[], handle: (ctx: RequestContext) => Reply, isSearch = false): Route => ({ key: `${method} ${key}`, scopes, isSearch, handle });
    const [a, b, c, d, e, f, g, h] = seg;
    if (a === 'crm' && b === 'v3' && c === 'objects' && d !== undefined && isObjectType(d)) {
      const type = d;
      const sc = OBJECT_SCOPES[type];
      if (seg.length === 4) {
        if (method === 'GET') return r(`/crm/v3/objects/${type}`, [sc.read], (ctx) => this.list(type, ctx));
        if (method === 'POST') return r(`/crm/v3/objects/${type}`, [sc.write], (ctx) => this.createOne(type, ctx));
      }
      if (seg.length === 5 && e === 'search' && method === 'POST') return r(`/crm/v3/objects/${type}/search`, [sc.read], (ctx) => this.doSearch(type, ctx), true);
      if (seg.length === 5 && e !== undefined && e !== 'search' && e !== 'batch') {
        if (method === 'GET') return r(`/crm/v3/objects/${type}/{id}`, [sc.read], (ctx) => this.getById(type, e, ctx));
        if (method === 'PATCH') return r(`/crm/v3/objects/${type}/{id}`, [sc.write], (ctx) => this.updateOne(type, e, ctx));
      }
      if (seg.length === 6 && e === 'batch' && method === 'POST') {
        if (f === 'read') return r(`/crm/v3/objects/${type}/batch/read`, [sc.read], (ctx) => this.batchRead(type, ctx));
        if (f === 'update') return r(`/crm/v3/objects/${type}/batch/update`, [sc.write], (ctx) => this.batchUpdate(type, ctx));
        if (f === 'create') return r(`/crm/v3/objects/${type}/batch/create`, [sc.write], (ctx) => this.batchCreate(type, ctx));
      }
      return null;
    }
    if (a === 'crm' && b === 'v4' && c === 'associations' && d && e && isObjectType(d) && isObjectType(e) && f === 'batch' && g === 'read' && seg.length === 7 && method === 'POST') {
      const from = d;
      const to = e;
      return r(`/crm/v4/associations/${from}/${to}/batch/read`, [OBJECT_SCOPES[from].read], (ctx) => this.assocBatchRead(from, to, ctx));
    }
    if (a === 'crm' && b === 'v3' && c === 'properties' && d && isObjectType(d)) {
      const type = d;
      const read = `crm.schemas.${type}.read`;
      const write = `crm.schemas.${type}.write`;
      if (e === 'groups') {
        if (seg.length === 5 && method === 'GET') return r(`/crm/v3/properties/${type}/groups`, [read], () => this.listGroups(type));
        if (seg.length === 5 && method === 'POST') return r(`/crm/v3/properties/${type}/groups`, [write], (ctx) => this.createGroup(type, ctx));
        if (seg.length === 6 && f && method === 'GET') return r(`/crm/v3/properties/${type}/groups/{name}`, [read], () => this.getGroup(type, f));
        if (seg.length === 6 && f && method === 'PATCH') return r(`/crm/v3/properties/${type}/groups/{name}`, [write], (ctx) => this.updateGroup(type, f, ctx));
        return null;
      }
      if (seg.length === 4 && method === 'GET') return r(`/crm/v3/properties/${type}`, [read], (ctx) => this.listProperties(type, ctx));
      if (seg.length === 4 && method === 'POST') return r(`/crm/v3/properties/${type}`, [write], (ctx) => this.createProperty(type, ctx));
      if (seg.length === 5 && e && method === 'GET') return r(`/crm/v3/properties/${type}/{name}`, [read], () => this.getProperty(type, e));
      if (seg.length === 5 && e && method === 'PATCH') return r(`/crm/v3/properties/${type}/{name}`, [write], (ctx) => this.updateProperty(type, e, ctx));
      return null;
    }
    if (a === 'crm' && b === 'v3' && c === 'owners' && method === 'GET') {
      if (seg.length === 3) return r('/crm/v3/owners', ['crm.objects.owners.read'], (ctx) => this.listOwners(ctx));
      if (seg.length === 4 && d) return r('/crm/v3/owners/{id}', ['crm.objects.owners.read'], (ctx) => this.getOwner(d, ctx));
    }
    if (a === 'automation' && b === 'v4' && c === 'flows') {
      const flows = new FlowsApi(this.store);
      if (seg.length === 3 && method === 'GET') return r('/automation/v4/flows', ['automation'], (ctx) => flows.list(ctx.query, ctx.baseUrl));
      if (seg.length === 3 && method === 'POST') return r('/automation/v4/flows', ['automation'], (ctx) => flows.create(ctx.body, ctx.now));
      if (seg.length === 5 && d === 'batch' && e === 'read' && method === 'POST') return r('/automation/v4/flows/batch/read', ['automation'], (ctx) => flows.batchRead(ctx.body, ctx.now));
      if (seg.length === 4 && d && d !== 'batch' && method === 'GET') return r('/automation/v4/flows/{flowId}', ['automation'], () => flows.get(d));
      return null;
    }
    if (a === 'automation' && b === 'v4' && c === 'actions' && d === 'callbacks' && method === 'POST') {
      if (seg.length === 6 && e && f === 'complete') return r('/automation/v4/actions/callbacks/{callbackId}/complete', ['automation'], (ctx) => this.completeCallback(e, ctx));
      if (seg.length === 5 && e === 'complete') return r('/automation/v4/actions/callbacks/complete', ['automation'], (ctx) => this.completeCallbacks(ctx));
    }
    void h;
    return null;
  }
}

/** The object type an association type id points to, from `from`. */
export function associationTarget(from: ObjectType, typeId: number): ObjectType | null {
  if (from === 'tasks' && typeId === ASSOCIATION_TYPES.taskToCompany) return 'companies';
  if (from === 'tickets' && typeId === ASSOCIATION_TYPES.ticketToCompany) return 'companies';
  if (from === 'companies' && typeId === ASSOCIATION_TYPES.companyToTask) return 'tasks';
  if (from === 'companies' && typeId === ASSOCIATION_TYPES.companyToTicket) return 'tickets';
  if (from === 'contacts' && (typeId === ASSOCIATION_TYPES.contactToCompany || typeId === ASSOCIATION_TYPES.contactToCompanyPrimary)) return 'companies';
  if (from === 'companies' && (typeId === ASSOCIATION_TYPES.companyToContact || typeId === ASSOCIATION_TYPES.companyToContactPrimary)) return 'contacts';
  if (from === 'tasks' && typeId === ASSOCIATION_TYPES.taskToContact) return 'contacts';
  if (from === 'contacts' && typeId === ASSOCIATION_TYPES.contactToTask) return 'tasks';
  return null;
}

export function associationTypeId(from: ObjectType, to: ObjectType): number | null {
  if (from === 'companies' && to === 'tasks') return ASSOCIATION_TYPES.companyToTask;
  if (from === 'companies' && to === 'tickets') return ASSOCIATION_TYPES.companyToTicket;
  if (from === 'tasks' && to === 'companies') return ASSOCIATION_TYPES.taskToCompany;
  if (from === 'tickets' && to === 'companies') return ASSOCIATION_TYPES.ticketToCompany;
  if (from === 'companies' && to === 'contacts') return ASSOCIATION_TYPES.companyToContact;
  if (from === 'contacts' && to === 'companies') return ASSOCIATION_TYPES.contactToCompany;
  if (from === 'tasks' && to === 'contacts') return ASSOCIATION_TYPES.taskToContact;
  if (from === 'contacts' && to === 'tasks') return ASSOCIATION_TYPES.contactToTask;
  return null;
}

export { missingScopes };
