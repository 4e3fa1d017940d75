/**
 * Property definitions in HubSpot's shape (`GET /crm/v3/properties/{objectType}`), and the
 * standard properties each object type starts with in the local CRM.
 */
export const OBJECT_TYPES = ['companies', 'tasks', 'tickets', 'contacts'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

export function isObjectType(value: string): value is ObjectType {
  return (OBJECT_TYPES as readonly string[]).includes(value);
}

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  description: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined?: boolean;
  formField: boolean;
  referencedObjectType?: string;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  createdUserId?: string;
  updatedUserId?: string;
  dataSensitivity?: string;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

const EPOCH = '2019-08-06T02:43:01.000Z';

interface StdSpec {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  options?: string[];
  readOnly?: boolean;
  unique?: boolean;
  group?: string;
  referencedObjectType?: string;
  externalOptions?: boolean;
}

export function makeOptions(values: readonly string[]): PropertyOption[] {
  return values.map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false }));
}

function std(spec: StdSpec, groupName: string): PropertyDefinition {
  return {
    name: spec.name,
    label: spec.label,
    type: spec.type,
    fieldType: spec.fieldType,
    description: '',
    groupName: spec.group ?? groupName,
    options: makeOptions(spec.options ?? (spec.type === 'bool' ? ['true', 'false'] : [])),
    displayOrder: -1,
    calculated: false,
    externalOptions: spec.externalOptions ?? false,
    hasUniqueValue: spec.unique ?? false,
    hidden: false,
    hubspotDefined: true,
    formField: false,
    ...(spec.referencedObjectType ? { referencedObjectType: spec.referencedObjectType } : {}),
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: spec.readOnly ?? false },
    createdAt: EPOCH,
    updatedAt: EPOCH,
    archived: false,
  };
}

const owner = (name = 'hubspot_owner_id'): StdSpec => ({
  name,
  label: 'Owner',
  type: 'enumeration',
  fieldType: 'select',
  referencedObjectType: 'OWNER',
  externalOptions: true,
});

const COMPANY: StdSpec[] = [
  { name: 'name', label: 'Company name', type: 'string', fieldType: 'text' },
  { name: 'domain', label: 'Company Domain Name', type: 'string', fieldType: 'text' },
  { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnly: true, unique: true },
  { name: 'annualrevenue', label: 'Annual Revenue', type: 'number', fieldType: 'number' },
  { name: 'num_associated_contacts', label: 'Number of Associated Contacts', type: 'number', fieldType: 'number', readOnly: true },
  { name: 'notes_last_contacted', label: 'Last Contacted', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_last_sales_activity_timestamp', label: 'Last Engagement Date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'notes_last_updated', label: 'Last Activity Date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'industry', label: 'Industry', type: 'string', fieldType: 'text' },
  { name: 'country', label: 'Country/Region', type: 'string', fieldType: 'text' },
  { name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', options: ['lead', 'opportunity', 'customer', 'evangelist', 'other'] },
  owner(),
];

const TASK: StdSpec[] = [
  { name: 'hs_task_subject', label: 'Task Title', type: 'string', fieldType: 'text' },
  { name: 'hs_task_body', label: 'Notes', type: 'string', fieldType: 'html' },
  { name: 'hs_timestamp', label: 'Due date', type: 'datetime', fieldType: 'date' },
  { name: 'hs_task_status', label: 'Task Status', type: 'enumeration', fieldType: 'select', options: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'] },
  { name: 'hs_task_priority', label: 'Priority', type: 'enumeration', fieldType: 'select', options: ['NONE', 'LOW', 'MEDIUM', 'HIGH'] },
  { name: 'hs_task_type', label: 'Task Type', type: 'enumeration', fieldType: 'select', options: ['TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING'] },
  { name: 'hs_task_completion_date', label: 'Completed at', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_queue_membership_ids', label: 'Queue', type: 'enumeration', fieldType: 'checkbox', externalOptions: true },
  { name: 'hs_createdate', label: 'Create date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_lastmodifieddate', label: 'Last modified date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnly: true, unique: true },
  owner(),
];

const TICKET: StdSpec[] = [
  { name: 'subject', label: 'Ticket name', type: 'string', fieldType: 'text' },
  { name: 'content', label: 'Ticket description', type: 'string', fieldType: 'textarea' },
  { name: 'hs_pipeline', label: 'Pipeline', type: 'enumeration', fieldType: 'select', options: ['0'] },
  { name: 'hs_pipeline_stage', label: 'Ticket status', type: 'enumeration', fieldType: 'select', options: ['1', '2', '3', '4'] },
  { name: 'hs_ticket_priority', label: 'Priority', type: 'enumeration', fieldType: 'select', options: ['LOW', 'MEDIUM', 'HIGH', 'URGENT'] },
  { name: 'hs_ticket_category', label: 'Category', type: 'enumeration', fieldType: 'select', options: ['PRODUCT_ISSUE', 'BILLING_ISSUE', 'FEATURE_REQUEST', 'GENERAL_INQUIRY'] },
  { name: 'closed_date', label: 'Close date', type: 'datetime', fieldType: 'date' },
  { name: 'createdate', label: 'Create date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_lastmodifieddate', label: 'Last modified date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnly: true, unique: true },
  owner(),
];
const CONTACT: StdSpec[] = [
  { name: 'firstname', label: 'First Name', type: 'string', fieldType: 'text' },
  { name: 'lastname', label: 'Last Name', type: 'string', fieldType: 'text' },
  { name: 'email', label: 'Email', type: 'string', fieldType: 'text' },
  { name: 'jobtitle', label: 'Job Title', type: 'string', fieldType: 'text' },
  { name: 'notes_last_contacted', label: 'Last Contacted', type: 'datetime', fieldType: 'date' },
  { name: 'hs_last_sales_activity_timestamp', label: 'Last Engagement Date', type: 'datetime', fieldType: 'date' },
  { name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date', readOnly: true },
  { name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnly: true, unique: true },
  owner(),
];

export const STANDARD_GROUPS: Record<ObjectType, PropertyGroup[]> = {
  companies: [
    { name: 'companyinformation', label: 'Company information', displayOrder: -1, archived: false },
    { name: 'company_activity', label: 'Company activity', displayOrder: -1, archived: false },
  ],
  tasks: [{ name: 'task', label: 'Task information', displayOrder: -1, archived: false }],
  tickets: [{ name: 'ticketinformation', label: 'Ticket information', displayOrder: -1, archived: false }],
  contacts: [{ name: 'contactinformation', label: 'Contact information', displayOrder: -1, archived: false }],
};

export function standardProperties(type: ObjectType): PropertyDefinition[] {
  switch (type) {
    case 'companies':
      return COMPANY.map((s) => std(s, 'companyinformation'));
    case 'tasks':
      return TASK.map((s) => std(s, 'task'));
    case 'tickets':
      return TICKET.map((s) => std(s, 'ticketinformation'));
    case 'contacts':
      return CONTACT.map((s) => std(s, 'contactinformation'));
  }
}

/** Properties computed from the object record rather than stored. */
export const COMPUTED_PROPERTIES: Record<ObjectType, { created: string[]; modified: string[] }> = {
  companies: { created: ['createdate'], modified: ['hs_lastmodifieddate'] },
  tasks: { created: ['hs_createdate'], modified: ['hs_lastmodifieddate'] },
  tickets: { created: ['createdate'], modified: ['hs_lastmodifieddate'] },
  contacts: { created: ['createdate'], modified: ['lastmodifieddate'] },
};

/** Properties returned when a request names none (HubSpot's defaults). */
export const DEFAULT_PROPERTIES: Record<ObjectType, string[]> = {
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tickets: ['content', 'createdate', 'hs_lastmodifieddate', 'hs_object_id', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_category', 'hs_ticket_priority', 'subject'],
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
};

/** HubSpot's singular object names, used in messages ("COMPANY"). */
export const OBJECT_SINGULAR: Record<ObjectType, string> = { companies: 'COMPANY', tasks: 'TASK', tickets: 'TICKET', contacts: 'CONTACT' };

/** Association type ids (HUBSPOT_DEFINED). */
export const ASSOCIATION_TYPES = {
  taskToCompany: 192,
  companyToTask: 191,
  ticketToCompany: 339,
  companyToTicket: 340,
  /** Primary company of a contact (HubSpot's "Primary" label, ids 1 / 2); unlabeled is 279 / 280. */
  contactToCompanyPrimary: 1,
  companyToContactPrimary: 2,
  contactToCompany: 279,
  companyToContact: 280,
  /** Task ↔ contact (HubSpot's association type table: task to contact 204, contact to task 203). */
  taskToContact: 204,
  contactToTask: 203,
} as const;

/** Scopes a request needs, keyed by object type and access. */
export const OBJECT_SCOPES: Record<ObjectType, { read: string; write: string }> = {
  companies: { read: 'crm.objects.companies.read', write: 'crm.objects.companies.write' },
  // Tasks (engagements) are gated by the contacts scopes in HubSpot's spec.
  tasks: { read: 'crm.objects.contacts.read', write: 'crm.objects.contacts.write' },
  tickets: { read: 'tickets', write: 'tickets' },
  contacts: { read: 'crm.objects.contacts.read', write: 'crm.objects.contacts.write' },
};

export const DEFAULT_SCOPES: string[] = [
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'tickets',
  'crm.objects.owners.read',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'automation',
];
