/**
 * Command-line flags: `--name value`, `--name=value`, `--flag`. Parsed with zod per command, so
 * a wrong or unknown flag is an error naming it, never ignored.
 */
import { z } from 'zod';

export type RawArgs = Record<string, string | boolean>;

/**
 * Splits argv into flags. Positional arguments are refused (commands take flags only).
 *
 * @example
 * splitArgs(['--companies', '500', '--dry-run']) // { ok: true, args: { companies: '500', 'dry-run': true } }
 */
export function splitArgs(argv: readonly string[]): { ok: true; args: RawArgs } | { ok: false; message: string } {
  const args: RawArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--') || a === '--') return { ok: false, message: `Unexpected argument "${a}" (flags look like --name value)` };
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) {
      args[name] = a.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      args[name] = next;
      i++;
    } else args[name] = true;
  }
  return { ok: true, args };
}

/**
 * Parses flags with a strict zod schema; the error names the flag.
 *
 * @example
 * parseFlags(z.object({ companies: z.coerce.number() }).strict(), { companies: '12' })
 */
export function parseFlags<S extends z.ZodType>(schema: S, args: RawArgs): { ok: true; flags: z.infer<S> } | { ok: false; message: string } {
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, flags: parsed.data };
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') return { ok: false, message: `Unknown flag: ${issue.keys.map((k) => `--${k}`).join(', ')}` };
  const flag = issue?.path.length ? `--${issue.path.join('.')}` : 'flags';
  return { ok: false, message: `Bad ${flag}: ${issue?.message ?? 'invalid'}` };
}

/** A boolean flag: present (`--x`) or `--x=true|false`. */
export const boolFlag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true')
  .default(false);
