/**
 * HubSpot's own project parser (`@hubspot/project-parsing-lib` 0.23, the CLI's) in offline mode:
 * `parseProjectConfig(projectDir)` then `translate({ projectSourceDir, platformVersion }, { skipValidation: true })`.
 * Offline it catches: an unreadable/invalid hsproject.json or a srcDir outside the project, no hsmeta
 * files, duplicate uids, a missing `app/functions/package.json`; hsmeta files in folders it does not
 * know are skipped silently (we report them). The per-component schemas need an account, hence validate.ts.
 *
 * The library is ESM-only; it runs in a child Node process (scripts/hs-parse.mjs) so CommonJS callers
 * (Jest, the build script) can use it.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';

const PARSE_SCRIPT = path.resolve(__dirname, '../../scripts/hs-parse.mjs');

const parserOutputSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    srcDir: z.string(),
    platformVersion: z.string(),
    components: z.array(z.object({ uid: z.string(), type: z.string(), metaFilePath: z.string() })),
    skipped: z.array(z.string()),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export type HubSpotParserResult =
  | { ok: true; srcDir: string; platformVersion: string; components: { uid: string; type: string; metaFilePath: string }[] }
  | { ok: false; errors: string[] };

/** Runs HubSpot's parser on `projectDir` (the folder holding hsproject.json). */
export function runHubSpotParser(projectDir: string): Promise<HubSpotParserResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PARSE_SCRIPT, projectDir], { timeout: 60_000, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        resolve({ ok: false, errors: [`HubSpot parser did not answer (${error?.message ?? 'no output'}): ${stderr.trim()}`] });
        return;
      }
      const parsed = parserOutputSchema.safeParse(json);
      if (!parsed.success) {
        resolve({ ok: false, errors: [`unexpected HubSpot parser output: ${line}`] });
        return;
      }
      const out = parsed.data;
      if (!out.ok) {
        resolve({ ok: false, errors: [out.error] });
      } else if (out.skipped.length > 0) {
        resolve({
          ok: false,
          errors: out.skipped.map((f) => `${path.posix.join(out.srcDir, f.split(path.sep).join('/'))}: not in a folder HubSpot knows, so HubSpot would ignore it`),
        });
      } else {
        resolve({ ok: true, srcDir: out.srcDir, platformVersion: out.platformVersion, components: out.components });
      }
    });
  });
}
