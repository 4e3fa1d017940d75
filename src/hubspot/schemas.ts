/**
 * zod schemas of the HubSpot responses the adapter reads (checked against HubSpot's public
 * OpenAPI specs: CRM objects v3, associations v4, owners v3, properties v3). Unknown fields are
 * allowed; fields the adapter uses are checked.
 */
import { z } from 'zod';

const propertyValues = z.record(z.string(), z.string().nullable().optional());

export const simpleObjectSchema = z
  .object({
    id: z.string(),
    properties: propertyValues.default({}),
    propertiesWithHistory: z
      .record(
        z.string(),
        z.array(z.object({ value: z.string().nullable().optional(), timestamp: z.string() }).loose()),
      )
      .optional(),
    archived: z.boolean().optional(),
  })
  .loose();
export type SimpleObject = z.infer<typeof simpleObjectSchema>;

export const pagingSchema = z
  .object({ next: z.object({ after: z.string() }).loose().optional() })
  .loose()
  .optional();

export const searchPageSchema = z
  .object({
    total: z.number().optional(),
    results: z.array(simpleObjectSchema),
    paging: pagingSchema,
  })
  .loose();

/** HubSpot's StandardError inside batch responses (`status` is the string "error"). */
export const standardErrorSchema = z
  .object({
    status: z.string().optional(),
    category: z.string().optional(),
    subCategory: z.unknown().optional(),
    message: z.string().optional(),
    context: z.record(z.string(), z.array(z.string())).optional(),
  })
  .loose();
export type StandardError = z.infer<typeof standardErrorSchema>;

export const batchObjectsSchema = z
  .object({
    status: z.string().optional(),
    results: z.array(simpleObjectSchema).default([]),
    errors: z.array(standardErrorSchema).optional(),
    numErrors: z.number().optional(),
  })
  .loose();

export const associationBatchSchema = z
  .object({
    status: z.string().optional(),
    results: z
      .array(
        z
          .object({
            from: z.object({ id: z.string() }).loose(),
            to: z.array(
              z
                .object({
                  toObjectId: z.union([z.number(), z.string()]).transform((v) => String(v)),
                  associationTypes: z.array(z.object({ typeId: z.number().optional(), category: z.string().optional(), label: z.string().nullable().optional() }).loose()).optional(),
                })
                .loose(),
            ),
            paging: pagingSchema,
          })
          .loose(),
      )
      .default([]),
    errors: z.array(standardErrorSchema).optional(),
  })
  .loose();

export const ownerSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable().optional(),
    firstName: z.string().nullable().optional(),
    lastName: z.string().nullable().optional(),
    userId: z.number().nullable().optional(),
    userIdIncludingInactive: z.number().nullable().optional(),
    archived: z.boolean().optional(),
    teams: z
      .array(z.object({ id: z.string(), name: z.string(), primary: z.boolean().optional() }).loose())
      .optional(),
  })
  .loose();

export const ownersPageSchema = z.object({ results: z.array(ownerSchema), paging: pagingSchema }).loose();

export const propertyOptionSchema = z
  .object({
    label: z.string(),
    value: z.string(),
    displayOrder: z.number().optional(),
    hidden: z.boolean().optional(),
    description: z.string().optional(),
  })
  .loose();

export const propertySchema = z
  .object({
    name: z.string(),
    label: z.string(),
    type: z.string(),
    fieldType: z.string(),
    description: z.string().optional(),
    groupName: z.string().optional(),
    options: z.array(propertyOptionSchema).optional(),
    externalOptions: z.boolean().optional(),
    referencedObjectType: z.string().nullable().optional(),
    showCurrencySymbol: z.boolean().optional(),
    formField: z.boolean().optional(),
    hubspotDefined: z.boolean().optional(),
    archived: z.boolean().optional(),
  })
  .loose();
export type HubSpotProperty = z.infer<typeof propertySchema>;

export const propertiesListSchema = z.object({ results: z.array(propertySchema) }).loose();

export const propertyGroupSchema = z
  .object({ name: z.string(), label: z.string(), displayOrder: z.number().optional(), archived: z.boolean().optional() })
  .loose();
export const propertyGroupsListSchema = z.object({ results: z.array(propertyGroupSchema) }).loose();

/** For 204 / ignored bodies. */
export const anyBodySchema = z.unknown();

/**
 * The body of `POST /automation/v4/actions/callbacks/{callbackId}/complete` (`CallbackCompletionRequest`).
 * HubSpot's v4 and 2026-03 Automation Actions specs (HubSpot/HubSpot-public-api-spec-collection,
 * PublicApiSpecs/Automation/Actions V4) mark `outputFields` (a map of strings) and `typedOutputs`
 * (an object) required; `failureReasonType` and `requestContext` are optional.
 */
export const callbackCompletionRequestSchema = z
  .object({
    outputFields: z.record(z.string(), z.string()),
    typedOutputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    failureReasonType: z.string().optional(),
  })
  .strict();
export type CallbackCompletionRequest = z.infer<typeof callbackCompletionRequestSchema>;

/**
 * Builds the callback body: the same outputs as strings (`outputFields`) and with their types
 * (`typedOutputs`: numbers stay numbers).
 *
 * @example callbackCompletionBody({ hs_execution_state: 'SUCCESS', tasks_created: 2 })
 * // { outputFields: { hs_execution_state: 'SUCCESS', tasks_created: '2' }, typedOutputs: { hs_execution_state: 'SUCCESS', tasks_created: 2 } }
 */
export function callbackCompletionBody(outputs: Record<string, string | number>): CallbackCompletionRequest {
  const outputFields: Record<string, string> = {};
  const typedOutputs: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(outputs)) {
    outputFields[key] = String(value);
    typedOutputs[key] = typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  }
  return { outputFields, typedOutputs };
}
