// docs/inputs.md, the full reference of the action's inputs and outputs, written from action.yml:
// `npm run docs`. action.yml is what the runner reads and what the Marketplace shows, so its
// descriptions are the one place each input is described; this page only lays them out, and
// test/unit/inputs-doc.test.ts fails when the page is older than action.yml.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse as parseYaml } from 'yaml';

interface ActionYml {
  inputs?: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const INPUTS_DOC = path.join(ROOT, 'docs/inputs.md');

/** A description as one table cell: on one line, and no `|` or `<` read as table or HTML syntax. */
function cell(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .trim();
}

const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** The page for an action.yml text, formatted as prettier formats the repository's Markdown. */
export async function inputsDoc(actionText: string): Promise<string> {
  const action = parseYaml(actionText) as ActionYml;
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, input]) =>
      `| ${code(name)} | ${input.default === undefined ? '' : cell(code(String(input.default)))} | ${cell(input.description ?? '')} |`,
  );
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| ${code(name)} | ${cell(output.description ?? '')} |`,
  );
  const text = [
    '# Inputs and outputs',
    '',
    '<!-- Written by `npm run docs` (tools/inputs-doc.ts) from action.yml: edit action.yml, then run it. -->',
    '',
    'Every input is a string and optional unless its mode needs it; an input left empty takes its',
    'default. A description that starts with modes (`fine-tune, plan: ...`) applies only there. Bad',
    'input fails the step with one error naming the input, before anything is uploaded or created.',
    'Hyperparameter ranges and the methods each model trains with: [models.md](models.md).',
    '',
    '## Inputs',
    '',
    '| input | default | description |',
    '| --- | --- | --- |',
    ...inputs,
    '',
    '## Outputs',
    '',
    'Read them as `steps.<id>.outputs.<name>`, and pass them to a script through `env:`.',
    '',
    '| output | description |',
    '| --- | --- |',
    ...outputs,
    '',
  ].join('\n');
  const config = (await resolveConfig(INPUTS_DOC)) ?? {};
  return format(text, { ...config, filepath: INPUTS_DOC });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(INPUTS_DOC, await inputsDoc(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')));
  console.log(`Wrote ${path.relative(ROOT, INPUTS_DOC)} from action.yml`);
}
