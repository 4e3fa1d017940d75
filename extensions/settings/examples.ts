/**
 * The config changes the settings page offers as examples. Each is a valid (partial) config: a
 * test parses every one with the config schema, so an example can never be refused.
 */
export interface SettingsExample {
  label: string;
  json: string;
}

export const SETTINGS_EXAMPLES: readonly SettingsExample[] = [
  { label: 'Healthy from 75 instead of 70', json: '{"health": {"bands": {"healthy": 75}}}' },
  { label: 'Pooled below $30,000 ACV', json: '{"segments": {"pooledBelow": 30000}}' },
  { label: 'Check in after 30 days without a touch', json: '{"playbooks": {"rules": {"no_touch": {"days": 30}}}}' },
  { label: 'At most 5 open CS tasks per company', json: '{"playbooks": {"openTaskCap": 5}}' },
];

/** The example quoted in messages. */
export const FIRST_EXAMPLE = SETTINGS_EXAMPLES[0]?.json ?? '{}';
