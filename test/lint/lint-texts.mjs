/**
 * Lints source texts as if they were files at the given paths, with the project's ESLint config
 * (ESLint's Node API), and prints each text's messages as JSON. Runs in its own Node process
 * because ESLint loads `eslint.config.mjs` as an ES module, which Jest's module system cannot.
 *
 * stdin: [{ "filePath": "<absolute path>", "code": "<source>" }]
 * stdout: [[{ "ruleId": "...", "message": "...", "line": 1 }], ...]
 */
import { Buffer } from 'node:buffer';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const inputs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..') });
const out = [];
for (const { filePath, code } of inputs) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push((result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message, line: m.line })));
}
process.stdout.write(JSON.stringify(out));
