import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { INPUTS_DOC, inputsDoc } from '../../tools/inputs-doc.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ACTION_TEXT = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');

describe('docs/inputs.md (npm run docs)', () => {
  it('is what tools/inputs-doc.ts writes from action.yml now: run `npm run docs` after changing action.yml', async () => {
    expect(readFileSync(INPUTS_DOC, 'utf8')).toBe(await inputsDoc(ACTION_TEXT));
  });

  it('has a row for every input and output, with its default and its description', async () => {
    const action = parseYaml(ACTION_TEXT) as {
      inputs: Record<string, { default?: string; description: string }>;
      outputs: Record<string, { description: string }>;
    };
    const doc = await inputsDoc(ACTION_TEXT);
    const [inputs, outputs] = doc.split('## Outputs');
    for (const [name, input] of Object.entries(action.inputs)) {
      const line = inputs!.split('\n').find((l) => l.startsWith(`| \`${name}\` `));
      expect(line, name).toBeDefined();
      if (input.default !== undefined) expect(line, name).toContain(input.default);
      expect(line, name).toContain(input.description.split(/[|<\n]/)[0]!.trim());
    }
    for (const [name, output] of Object.entries(action.outputs)) {
      const line = outputs!.split('\n').find((l) => l.startsWith(`| \`${name}\` `));
      expect(line, name).toBeDefined();
      expect(line, name).toContain(output.description.split(/[|<\n]/)[0]!.trim());
    }
  });

  it('keeps a description with a | or a line break inside its one table row', async () => {
    const doc = await inputsDoc(`inputs:
  a:
    description: "one | two\\nthree <b>"
    default: x
outputs:
  b:
    description: out
`);
    const rows = doc.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| `a` +\| `x` +\| one \\\| two three &lt;b> +\|$/);
  });
});
