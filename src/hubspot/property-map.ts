/**
 * The config's `propertyMapping` as the adapter's property map.
 */
import { INPUT_PROPERTIES, type PropertyMap } from './company-properties';

/**
 * The config may key a signal by its domain name (`acv`) or by our property name (`cs_acv`); both
 * map to `cs_acv → <portal property>`.
 *
 * @example
 * propertyMapFromConfig({ acv: 'annualrevenue' }) // { cs_acv: 'annualrevenue' }
 */
export function propertyMapFromConfig(mapping: Readonly<Record<string, string>>): PropertyMap {
  const names: Readonly<Record<string, string>> = INPUT_PROPERTIES;
  const out: Record<string, string> = {};
  for (const [key, target] of Object.entries(mapping)) out[names[key] ?? key] = target;
  return out;
}
