/**
 * In-memory state of the local CRM: objects (compact: one plain record of strings each),
 * property history (only for properties that changed), associations, property definitions,
 * owners and completed workflow callbacks. Serialisable to one JSON document.
 */
import {
  COMPUTED_PROPERTIES,
  OBJECT_TYPES,
  STANDARD_GROUPS,
  standardProperties,
  type ObjectType,
  type PropertyDefinition,
  type PropertyGroup,
} from './schemas';

export interface CrmObject {
  id: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  /** Stored property values (HubSpot style: strings; "" = cleared). Computed ones are not stored. */
  props: Record<string, string>;
  /**
   * When the current value of a property was set, for values inserted without a history (seeding:
   * a product sync's values carry the sync time, not the company's creation). Absent → createdAt.
   */
  setAt?: Record<string, number>;
}

export interface HistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId?: string;
}

export interface OwnerTeam {
  id: string;
  name: string;
  primary: boolean;
}

export interface OwnerRecord {
  id: string;
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  type: 'PERSON';
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  teams: OwnerTeam[];
}

/** A workflow created through the automation v4 flows API, as HubSpot returns it (`ApiFlow`). */
export interface StoredFlow extends Record<string, unknown> {
  id: string;
  name?: string;
  isEnabled: boolean;
  objectTypeId: string;
  flowType: string;
  revisionId: string;
  createdAt: string;
  updatedAt: string;
}

export interface CallbackCompletion {
  callbackId: string;
  outputFields: Record<string, unknown>;
  typedOutputs?: Record<string, unknown>;
  at: number;
}

interface PendingIndex {
  indexAt: number;
  /** What search saw before the write; null = not searchable yet (a new object). */
  snapshot: { props: Record<string, string>; updatedAt: number } | null;
}

const ID_BASE: Record<ObjectType, number> = { companies: 5_000_000_000, tasks: 7_000_000_000, tickets: 9_000_000_000, contacts: 3_000_000_000 };

export const STATE_FORMAT = 'local-crm-state/1';

/** The persisted form (one JSON document). Objects are tuples to keep the file small. */
export interface PersistedState {
  format: typeof STATE_FORMAT;
  savedAt: number;
  nextId: Record<ObjectType, number>;
  /** [id, createdAt, updatedAt, archived, props, setAt?] (setAt: see CrmObject; absent in older states). */
  objects: Record<ObjectType, Array<[number, number, number, 0 | 1, Record<string, string>, Record<string, number>?]>>;
  history: Array<[string, Record<string, HistoryEntry[]>]>;
  associations: Array<[string, Array<[number, number[]]>]>;
  /** Associations labelled "Primary" (`${from}>${to}:${fromId}:${toId}`, both directions); absent in older states. */
  primary?: string[];
  properties: Record<ObjectType, PropertyDefinition[]>;
  groups: Record<ObjectType, PropertyGroup[]>;
  owners: OwnerRecord[];
  callbacks: CallbackCompletion[];
  /** Absent in states saved before workflows existed. */
  flows?: StoredFlow[];
  meta: Record<string, unknown>;
}

function perType<T>(make: (t: ObjectType) => T): Record<ObjectType, T> {
  return { companies: make('companies'), tasks: make('tasks'), tickets: make('tickets'), contacts: make('contacts') };
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

export class CrmStore {
  readonly objects: Record<ObjectType, Map<number, CrmObject>> = perType(() => new Map());
  readonly nextId: Record<ObjectType, number> = perType((t) => ID_BASE[t] + 1);
  /** `${type}:${id}` → property → entries, oldest first. Only for properties written after creation. */
  readonly history = new Map<string, Record<string, HistoryEntry[]>>();
  /** `${from}>${to}` → from id → to ids. Both directions are stored. */
  readonly associations = new Map<string, Map<number, number[]>>();
  /** Primary-labelled associations (see markPrimary). */
  readonly primary = new Set<string>();
  readonly properties: Record<ObjectType, Map<string, PropertyDefinition>> = perType(
    (t) => new Map(standardProperties(t).map((p) => [p.name, p])),
  );
  readonly groups: Record<ObjectType, Map<string, PropertyGroup>> = perType(
    (t) => new Map(STANDARD_GROUPS[t].map((g) => [g.name, { ...g }])),
  );
  owners: OwnerRecord[] = [];
  readonly callbacks: CallbackCompletion[] = [];
  /** Workflows (automation v4 flows) by id, in creation order. */
  readonly flows = new Map<string, StoredFlow>();
  nextFlowId = 1_700_000_001;
  /** Free-form metadata (seed parameters, pool config) kept with the state. */
  meta: Record<string, unknown> = {};
  /** Search lag: writes become searchable this many ms after they happen (0 = at once). */
  searchLagMs = 0;
  private readonly pending = new Map<string, PendingIndex>();
  /** Bumped on every write; lets search cache results between pages. */
  version = 0;

  // ---------- objects ----------

  get(type: ObjectType, id: number): CrmObject | undefined {
    return this.objects[type].get(id);
  }

  count(type: ObjectType): number {
    return this.objects[type].size;
  }

  /**
   * Inserts an object as is (seeding, loading): no history, no search lag, no validation. `setAt`
   * dates values set after the object's creation (their property history timestamp).
   */
  insertRaw(type: ObjectType, props: Record<string, string>, createdAt: number, updatedAt = createdAt, setAt?: Record<string, number>): CrmObject {
    const id = this.nextId[type]++;
    const obj: CrmObject = setAt === undefined ? { id, createdAt, updatedAt, archived: false, props } : { id, createdAt, updatedAt, archived: false, props, setAt };
    this.objects[type].set(id, obj);
    this.version++;
    return obj;
  }

  create(type: ObjectType, props: Record<string, string>, now: number): CrmObject {
    const obj = this.insertRaw(type, { ...props }, now, now);
    this.markPending(type, obj, null);
    return obj;
  }

  /**
   * Applies `props` to an object. Unchanged values are not written (no history entry, no
   * modified-date bump). Returns the names that changed.
   */
  update(type: ObjectType, obj: CrmObject, props: Record<string, string>, now: number, sourceType = 'API'): string[] {
    const changed: string[] = [];
    const before = { props: { ...obj.props }, updatedAt: obj.updatedAt };
    for (const [name, value] of Object.entries(props)) {
      const old = obj.props[name];
      if (old === value) continue;
      const key = `${type}:${obj.id}`;
      let h = this.history.get(key);
      if (!h) {
        h = {};
        this.history.set(key, h);
      }
      let entries = h[name];
      if (!entries) {
        entries = old !== undefined ? [{ value: old, timestamp: this.valueSetAt(obj, name), sourceType: 'CRM_UI' }] : [];
        h[name] = entries;
      }
      entries.push({ value, timestamp: now, sourceType });
      obj.props[name] = value;
      changed.push(name);
    }
    if (changed.length > 0) {
      obj.updatedAt = Math.max(now, obj.updatedAt);
      this.version++;
      this.markPending(type, obj, before);
    }
    return changed;
  }

  /** Property history, newest first (HubSpot's order). */
  historyOf(type: ObjectType, obj: CrmObject, name: string): HistoryEntry[] {
    const entries = this.history.get(`${type}:${obj.id}`)?.[name];
    if (entries) return [...entries].reverse();
    const v = obj.props[name];
    return v === undefined ? [] : [{ value: v, timestamp: this.valueSetAt(obj, name), sourceType: 'CRM_UI' }];
  }

  /** When a value without history entries was set: its seeded time, else the object's creation. */
  private valueSetAt(obj: CrmObject, name: string): number {
    return obj.setAt?.[name] ?? obj.createdAt;
  }

  /** Seeds a history (oldest first) for a property, e.g. a score trend. */
  setHistory(type: ObjectType, obj: CrmObject, name: string, entries: HistoryEntry[]): void {
    const key = `${type}:${obj.id}`;
    const h = this.history.get(key) ?? {};
    h[name] = entries;
    this.history.set(key, h);
    const last = entries[entries.length - 1];
    if (last) obj.props[name] = last.value;
  }

  /** Value of a property, computed ones included (hs_object_id, create and modified dates). */
  valueOf(type: ObjectType, obj: Pick<CrmObject, 'id' | 'createdAt' | 'updatedAt' | 'props'>, name: string): string | undefined {
    if (name === 'hs_object_id') return String(obj.id);
    const c = COMPUTED_PROPERTIES[type];
    if (c.created.includes(name)) return isoOf(obj.createdAt);
    if (c.modified.includes(name)) return isoOf(obj.updatedAt);
    return obj.props[name];
  }

  // ---------- search lag ----------

  private markPending(type: ObjectType, obj: CrmObject, before: PendingIndex['snapshot']): void {
    if (this.searchLagMs <= 0) return;
    const key = `${type}:${obj.id}`;
    const p = this.pending.get(key);
    const indexAt = Math.max(obj.updatedAt, obj.createdAt) + this.searchLagMs;
    if (p) p.indexAt = indexAt;
    else this.pending.set(key, { indexAt, snapshot: before });
  }

  /** What search sees of an object at `now`: null when not yet indexed. */
  searchView(type: ObjectType, obj: CrmObject, now: number): { props: Record<string, string>; updatedAt: number } | null {
    if (this.pending.size === 0) return obj;
    const key = `${type}:${obj.id}`;
    const p = this.pending.get(key);
    if (!p) return obj;
    if (now >= p.indexAt) {
      this.pending.delete(key);
      return obj;
    }
    return p.snapshot;
  }

  hasPendingIndex(): boolean {
    return this.pending.size > 0;
  }

  // ---------- associations ----------

  private assocMap(from: ObjectType, to: ObjectType): Map<number, number[]> {
    const key = `${from}>${to}`;
    let m = this.associations.get(key);
    if (!m) {
      m = new Map();
      this.associations.set(key, m);
    }
    return m;
  }

  associate(from: ObjectType, fromId: number, to: ObjectType, toId: number): void {
    const add = (m: Map<number, number[]>, a: number, b: number): void => {
      const list = m.get(a);
      if (!list) m.set(a, [b]);
      else if (!list.includes(b)) list.push(b);
    };
    add(this.assocMap(from, to), fromId, toId);
    add(this.assocMap(to, from), toId, fromId);
    this.version++;
  }

  /** Marks an existing association as the "Primary" one (HubSpot's label, e.g. a contact's primary company). */
  markPrimary(from: ObjectType, fromId: number, to: ObjectType, toId: number): void {
    this.primary.add(`${from}>${to}:${fromId}:${toId}`);
    this.primary.add(`${to}>${from}:${toId}:${fromId}`);
  }

  isPrimary(from: ObjectType, fromId: number, to: ObjectType, toId: number): boolean {
    return this.primary.has(`${from}>${to}:${fromId}:${toId}`);
  }

  associated(from: ObjectType, fromId: number, to: ObjectType): number[] {
    return this.associations.get(`${from}>${to}`)?.get(fromId) ?? [];
  }

  // ---------- owners ----------

  ownerById(id: string): OwnerRecord | undefined {
    return this.owners.find((o) => o.id === id);
  }

  // ---------- persistence ----------

  toJSON(savedAt: number): PersistedState {
    return {
      format: STATE_FORMAT,
      savedAt,
      nextId: { ...this.nextId },
      objects: perType((t) =>
        Array.from(this.objects[t].values(), (o): PersistedState['objects'][ObjectType][number] =>
          o.setAt === undefined ? [o.id, o.createdAt, o.updatedAt, o.archived ? 1 : 0, o.props] : [o.id, o.createdAt, o.updatedAt, o.archived ? 1 : 0, o.props, o.setAt],
        ),
      ),
      history: Array.from(this.history.entries()),
      associations: Array.from(this.associations.entries(), ([k, m]) => [k, Array.from(m.entries())] as [string, Array<[number, number[]]>]),
      primary: Array.from(this.primary),
      properties: perType((t) => Array.from(this.properties[t].values())),
      groups: perType((t) => Array.from(this.groups[t].values())),
      owners: this.owners,
      callbacks: this.callbacks,
      flows: Array.from(this.flows.values()),
      meta: this.meta,
    };
  }

  static fromJSON(state: PersistedState): CrmStore {
    if (state.format !== STATE_FORMAT) throw new Error(`Unknown local CRM state format: ${String(state.format)}`);
    const s = new CrmStore();
    for (const t of OBJECT_TYPES) {
      // A state saved before an object type existed (contacts) keeps that type empty.
      if (state.objects[t] === undefined) continue;
      s.nextId[t] = state.nextId[t];
      const m = s.objects[t];
      for (const [id, createdAt, updatedAt, archived, props, setAt] of state.objects[t]) {
        m.set(id, setAt === undefined ? { id, createdAt, updatedAt, archived: archived === 1, props } : { id, createdAt, updatedAt, archived: archived === 1, props, setAt });
      }
      s.properties[t].clear();
      for (const p of state.properties[t]) s.properties[t].set(p.name, p);
      s.groups[t].clear();
      for (const g of state.groups[t]) s.groups[t].set(g.name, g);
    }
    for (const [k, h] of state.history) s.history.set(k, h);
    for (const [k, entries] of state.associations) s.associations.set(k, new Map(entries));
    for (const k of state.primary ?? []) s.primary.add(k);
    s.owners = state.owners;
    s.callbacks.push(...state.callbacks);
    for (const f of state.flows ?? []) {
      s.flows.set(f.id, f);
      s.nextFlowId = Math.max(s.nextFlowId, Number(f.id) + 1);
    }
    s.meta = state.meta;
    return s;
  }
}
