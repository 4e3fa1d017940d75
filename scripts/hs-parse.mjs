// Runs HubSpot's own project parser (@hubspot/project-parsing-lib, offline: skipValidation) on a project
// folder and prints one JSON line: { ok, srcDir, platformVersion, components: [{ uid, type, metaFilePath }],
// skipped: [...], error? }. The library is ESM-only, so Jest and the CommonJS build call it through this script.
// Usage: node scripts/hs-parse.mjs <projectDir>
import process from 'node:process';
import path from 'node:path';
import { parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';

const projectDir = path.resolve(process.argv[2] ?? '.');
const out = (result) => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

try {
  const config = parseProjectConfig(projectDir);
  const projectSourceDir = path.resolve(projectDir, config.srcDir);
  const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
    { projectSourceDir, platformVersion: config.platformVersion },
    { skipValidation: true },
  );
  const components = Object.values(intermediateRepresentation.intermediateNodesIndexedByUid).map((node) => ({
    uid: node.uid,
    type: node.componentType,
    metaFilePath: node.metaFilePath,
  }));
  out({ ok: true, srcDir: config.srcDir, platformVersion: config.platformVersion, components, skipped: skippedHsMetaFiles });
} catch (e) {
  const message = e && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
  out({ ok: false, error: message });
}
