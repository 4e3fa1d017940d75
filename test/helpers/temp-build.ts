import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProject, writeProjectConfig, type BuildOptions, type BuildResult } from '../../src/build/build';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const FIXTURE_ROOT = path.join(REPO_ROOT, 'test/fixtures/project');
export const SRC_DIR = 'hubspot-project';

export interface TempProject {
  /** Folder holding hsproject.json (outside the repo, so bundles cannot reach its node_modules). */
  projectDir: string;
  /** The built srcDir. */
  srcDir: string;
  result: BuildResult;
}

const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pcs-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Builds `sourceRoot` with the real build code into a fresh temp project. */
export async function buildIntoTemp(sourceRoot: string, options: Partial<BuildOptions> = {}): Promise<TempProject> {
  const projectDir = tempDir('build');
  const srcDir = path.join(projectDir, SRC_DIR);
  const result = await buildProject({ sourceRoot, outDir: srcDir, env: {}, ...options });
  writeProjectConfig(projectDir, SRC_DIR);
  return { projectDir, srcDir, result };
}

/** Copies a built project to a new temp folder, to break it without touching the original. */
export function copyProject(project: TempProject): { projectDir: string; srcDir: string } {
  const projectDir = tempDir('copy');
  fs.cpSync(project.projectDir, projectDir, { recursive: true });
  return { projectDir, srcDir: path.join(projectDir, SRC_DIR) };
}

export function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
