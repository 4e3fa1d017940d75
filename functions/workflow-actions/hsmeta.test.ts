import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { WORKFLOW_ACTION_NAMES } from '../../src/server/workflow-action';

/** Our own check of the 2026.03 workflow-action component (HubSpot's schema needs an account). */
const TypeDefinition = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  type: z.enum(['string', 'number', 'bool', 'datetime', 'enumeration', 'date', 'phone_number', 'currency_number', 'json', 'object_coordinates']),
  fieldType: z.enum(['booleancheckbox', 'checkbox', 'date', 'file', 'number', 'phonenumber', 'radio', 'select', 'text', 'textarea']),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  referencedObjectType: z.literal('OWNER').optional(),
});
const Definition = z
  .object({
    uid: z.string().regex(/^[A-Za-z0-9._-]+$/),
    type: z.literal('workflow-action'),
    config: z
      .object({
        actionUrl: z.string().regex(/^\{\{ACTION_BASE_URL\}\}\/actions\/[a-z-]+$/),
        isPublished: z.boolean(),
        supportedClients: z.array(z.object({ client: z.literal('WORKFLOWS') })).min(1),
        objectTypes: z.tuple([z.literal('COMPANY')]),
        inputFields: z.array(
          z.object({ typeDefinition: TypeDefinition, supportedValueTypes: z.array(z.enum(['STATIC_VALUE', 'OBJECT_PROPERTY'])).min(1), isRequired: z.boolean() }).strict(),
        ),
        outputFields: z.array(z.object({ typeDefinition: TypeDefinition }).strict()),
        labels: z.object({
          en: z.object({
            actionName: z.string().min(1),
            actionDescription: z.string().min(1),
            appDisplayName: z.string().optional(),
            actionCardContent: z.string().optional(),
            inputFieldLabels: z.record(z.string(), z.string()).optional(),
            inputFieldDescriptions: z.record(z.string(), z.string()).optional(),
            outputFieldLabels: z.record(z.string(), z.string()),
          }).strict(),
        }),
      })
      .strict(),
  })
  .strict();

const dir = __dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('-hsmeta.json'));

/** What the handler can answer per action (besides hs_execution_state). */
const produced: Record<string, string[]> = {
  'recompute-health': ['score', 'band', 'segment', 'error_code'],
  'assign-onboarding-csm': ['assigned_owner_id', 'assignment_reason', 'error_code'],
  'run-playbooks': ['tasks_created', 'error_code'],
};

describe('workflow-action definitions', () => {
  it('one definition per action the server handles', () => {
    expect(files.map((f) => f.replace('-hsmeta.json', '')).sort()).toEqual([...WORKFLOW_ACTION_NAMES].sort());
  });

  it.each(files)('%s is a valid COMPANY workflow action whose URL, outputs and labels match the handler', (file) => {
    const name = file.replace('-hsmeta.json', '');
    const def = Definition.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    expect(def.config.actionUrl).toBe(`{{ACTION_BASE_URL}}/actions/${name}`);
    // Unpublished actions are only visible in the app's developer account (HubSpot's custom-action
    // guide), so a portal that installs the app would not see them.
    expect(def.config.isPublished).toBe(true);
    const outputs = def.config.outputFields.map((o) => o.typeDefinition.name);
    expect(outputs.sort()).toEqual([...(produced[name] ?? [])].sort());
    expect(Object.keys(def.config.labels.en.outputFieldLabels).sort()).toEqual(outputs.sort());
    for (const input of def.config.inputFields) expect(def.config.labels.en.inputFieldLabels?.[input.typeDefinition.name]).toBeTruthy();
  });

  it('uids are unique', () => {
    const uids = files.map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { uid: string }).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});
