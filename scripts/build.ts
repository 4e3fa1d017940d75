/**
 * npm run build: writes the HubSpot 2026.03 project into hsproject.json's srcDir, checks it with our
 * schemas and with HubSpot's own parser, and prints what it wrote. Exits non-zero naming the file on any error.
 * Environment: CS_ACTION_BASE_URL = https base URL of the self-hosted workflow-action server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BuildError, buildProject } from '../src/build/build';
import { runHubSpotParser } from '../src/build/hubspot-parser';

async function main(): Promise<number> {
  const repoRoot = path.resolve(__dirname, '..');
  const config = JSON.parse(fs.readFileSync(path.join(repoRoot, 'hsproject.json'), 'utf8')) as { srcDir?: unknown };
  if (typeof config.srcDir !== 'string' || config.srcDir === '') {
    process.stderr.write('hsproject.json: srcDir: must be a folder name\n');
    return 1;
  }
  const outDir = path.resolve(repoRoot, config.srcDir);
  process.stdout.write(`Building HubSpot project into ${config.srcDir}/\n`);
  try {
    const result = await buildProject({ sourceRoot: repoRoot, outDir, log: (line) => process.stdout.write(`  ${line}\n`) });
    const parser = await runHubSpotParser(repoRoot);
    if (!parser.ok) {
      process.stderr.write(`HubSpot's project parser rejected the build:\n${parser.errors.map((e) => `  - ${e}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`OK: ${result.components.length} components; HubSpot's parser accepts ${parser.components.length} nodes (platform ${parser.platformVersion}).\n`);
    process.stdout.write('Next: hs project upload\n');
    return 0;
  } catch (e) {
    if (e instanceof BuildError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
