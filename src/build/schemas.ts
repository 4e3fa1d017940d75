/**
 * Our own schemas for HubSpot 2026.03 `*-hsmeta.json` files.
 *
 * HubSpot's offline parser (`@hubspot/project-parsing-lib`, `skipValidation: true`) does not check
 * component configs: the JSON schemas are downloaded with an account. These schemas are written from
 * HubSpot's 2026.03 templates (github.com/HubSpot/hubspot-project-components, folder `2026.03/`) and
 * the developer docs (app cards reference, custom workflow actions, app functions). Unknown keys
 * inside `config` are allowed (HubSpot has optional fields we do not use), known keys are checked.
 */
import { z } from 'zod';

/** HubSpot's uid rule (project-parsing-lib `validateUid`): 1–64 of letters, digits, `.`, `_`, `-`. */
export const MAX_UID_LENGTH = 64;
export const uidSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must be at least one character long' })
  .max(MAX_UID_LENGTH, { error: `must be ${MAX_UID_LENGTH} characters or less` })
  .regex(/^[A-Za-z0-9._-]*$/, { error: 'may use only letters, digits, ".", "_" and "-"' });

/** Component types we build, with the folder (relative to the project's srcDir) each must live in. */
export const COMPONENT_DIRS = {
  app: 'app',
  card: 'app/cards',
  'app-function': 'app/functions',
  'workflow-action': 'app/workflow-actions',
  page: 'app/pages',
  settings: 'app/settings',
} as const;
export type ComponentType = keyof typeof COMPONENT_DIRS;
export const COMPONENT_TYPES = Object.keys(COMPONENT_DIRS) as ComponentType[];

/** Only one of these per app (project-parsing-lib `singularComponent`). */
export const SINGULAR_TYPES: readonly ComponentType[] = ['app', 'page', 'settings'];

const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });
const httpsUrl = z
  .string({ error: 'must be a string' })
  .regex(/^https:\/\/[^\s/$.?#][^\s]*$/, { error: 'must be an https:// URL' });

/** HubSpot scope names: lower-case words separated by dots, `_` or `-` (e.g. `crm.objects.companies.read`). */
const scopeName = z.string().regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, { error: 'is not a HubSpot scope name' });

export const appConfigSchema = z.looseObject({
  name: nonEmpty.max(200, { error: 'must be 200 characters or less' }),
  description: z.string().optional(),
  distribution: z.enum(['private', 'marketplace']),
  auth: z.looseObject({
    type: z.enum(['static', 'oauth']),
    requiredScopes: z.array(scopeName).min(1, { error: 'must list at least one scope' }),
    optionalScopes: z.array(scopeName).optional(),
    conditionallyRequiredScopes: z.array(scopeName).optional(),
    redirectUrls: z.array(z.string()).optional(),
  }),
  permittedUrls: z
    .looseObject({
      fetch: z.array(httpsUrl).optional(),
      iframe: z.array(httpsUrl).optional(),
      img: z.array(httpsUrl).optional(),
    })
    .optional(),
  support: z.looseObject({}).optional(),
});

/** Card locations in the 2026.03 app cards reference. */
export const CARD_LOCATIONS = ['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar'] as const;

export const cardConfigSchema = z.looseObject({
  name: nonEmpty,
  description: z.string().optional(),
  entrypoint: nonEmpty,
  location: z.enum(CARD_LOCATIONS, { error: `must be one of ${CARD_LOCATIONS.join(', ')}` }),
  // The reference docs use lower-case plural object names ("contacts", "companies"); custom objects `p_<name>`.
  objectTypes: z
    .array(z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'must be a lower-case plural object name such as "companies"' }))
    .min(1, { error: 'must list at least one object type' }),
  previewImage: z.looseObject({ file: nonEmpty, altText: z.string().optional() }).optional(),
});

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const appFunctionConfigSchema = z.looseObject({
  entrypoint: nonEmpty,
  secretKeys: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' })).optional(),
  // 2026.03 template (functions-endpoint): `endpoint: { path, methods: [...] }`.
  endpoint: z
    .strictObject({
      path: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/, { error: 'must start with "/"' }),
      methods: z.array(z.enum(HTTP_METHODS)).min(1, { error: 'must list at least one method' }),
    })
    .optional(),
});

export const pageConfigSchema = z.looseObject({ entrypoint: nonEmpty });
export const settingsConfigSchema = z.looseObject({ entrypoint: nonEmpty });

const FIELD_TYPES = ['string', 'number', 'bool', 'date', 'datetime', 'enumeration', 'phone_number'] as const;
const VALUE_TYPES = ['STATIC_VALUE', 'OBJECT_PROPERTY', 'FIELD_DATA', 'FETCHED_OPTIONS'] as const;

const typeDefinitionSchema = z.looseObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be a field name (letters, digits, "_")' }),
  type: z.enum(FIELD_TYPES),
  fieldType: z.string().optional(),
  options: z.array(z.looseObject({ value: z.string(), label: z.string() })).optional(),
  referencedObjectType: z.string().optional(),
});

const labelsSchema = z.looseObject({
  actionName: nonEmpty,
  actionDescription: z.string().optional(),
  actionCardContent: z.string().optional(),
  appDisplayName: z.string().optional(),
  inputFieldLabels: z.record(z.string(), z.string()).optional(),
  inputFieldDescriptions: z.record(z.string(), z.string()).optional(),
  outputFieldLabels: z.record(z.string(), z.string()).optional(),
  executionRules: z.record(z.string(), z.string()).optional(),
});

export const workflowActionConfigSchema = z
  .looseObject({
    actionUrl: httpsUrl,
    isPublished: z.boolean().optional(),
    supportedClients: z
      .array(z.strictObject({ client: z.enum(['WORKFLOWS', 'AGENTS']) }))
      .min(1, { error: 'must list at least one client' }),
    inputFields: z
      .array(
        z.looseObject({
          typeDefinition: typeDefinitionSchema,
          supportedValueTypes: z.array(z.enum(VALUE_TYPES)).min(1, { error: 'must list at least one value type' }),
          isRequired: z.boolean(),
        }),
      )
      .optional(),
    outputFields: z.array(z.looseObject({ typeDefinition: typeDefinitionSchema })).optional(),
    objectRequestOptions: z.looseObject({ properties: z.array(z.string()) }).optional(),
    labels: z.looseObject({ en: labelsSchema }),
    // Workflow actions use upper-case singular object types ("COMPANY"), or a custom object's id ("2-123").
    objectTypes: z
      .array(z.string().regex(/^([A-Z][A-Z0-9_]*|\d+-\d+)$/, { error: 'must be an upper-case object type such as "COMPANY"' }))
      .min(1, { error: 'must list at least one object type' }),
  })
  .superRefine((config, ctx) => {
    const fields = { input: config.inputFields ?? [], output: config.outputFields ?? [] };
    for (const [kind, list] of Object.entries(fields) as ['input' | 'output', { typeDefinition: { name: string } }[]][]) {
      const seen = new Set<string>();
      list.forEach((f, i) => {
        if (seen.has(f.typeDefinition.name)) {
          ctx.addIssue({ code: 'custom', path: [`${kind}Fields`, i, 'typeDefinition', 'name'], message: `duplicate ${kind} field "${f.typeDefinition.name}"` });
        }
        seen.add(f.typeDefinition.name);
      });
    }
    const labelKeys = [
      ['inputFieldLabels', 'input'],
      ['inputFieldDescriptions', 'input'],
      ['outputFieldLabels', 'output'],
    ] as const;
    for (const [labelKey, kind] of labelKeys) {
      const names = new Set(fields[kind].map((f) => f.typeDefinition.name));
      for (const key of Object.keys(config.labels.en[labelKey] ?? {})) {
        if (!names.has(key)) ctx.addIssue({ code: 'custom', path: ['labels', 'en', labelKey, key], message: `names no ${kind} field` });
      }
    }
  });

export const configSchemas: Record<ComponentType, z.ZodType> = {
  app: appConfigSchema,
  card: cardConfigSchema,
  'app-function': appFunctionConfigSchema,
  'workflow-action': workflowActionConfigSchema,
  page: pageConfigSchema,
  settings: settingsConfigSchema,
};

/**
 * Top level of any hsmeta file. project-parsing-lib allows uid, type, config, dependencies and
 * permissions; `permissions` needs platform 2026.09, so 2026.03 files may not carry it.
 */
export const hsmetaEnvelopeSchema = z.strictObject({
  uid: uidSchema,
  type: z.enum(COMPONENT_TYPES as [ComponentType, ...ComponentType[]], {
    error: `must be one of ${COMPONENT_TYPES.join(', ')}`,
  }),
  config: z.looseObject({}),
  dependencies: z.record(z.string(), z.unknown()).optional(),
});

export type HsmetaEnvelope = z.infer<typeof hsmetaEnvelopeSchema>;
export type AppConfig = z.infer<typeof appConfigSchema>;
