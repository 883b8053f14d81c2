import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { INPUTS } from '../../src/inputs/table.js';

// The input table in src/inputs/table.ts against action.yml: the same names, and the same defaults,
// so that a run outside the runner (which sees '' for an unset input) behaves as one inside it.

const declared = (
  parseYaml(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>;
  }
).inputs;
const table: Record<string, { kind: string; default?: string; values?: readonly string[] }> = INPUTS;

describe('the input table', () => {
  it('names exactly the inputs action.yml declares', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(declared).sort());
  });

  it("holds action.yml's literal defaults; an expression default is the runner's alone", () => {
    for (const [name, spec] of Object.entries(declared)) {
      const given = spec.default === undefined ? undefined : String(spec.default);
      const expected = given?.includes('${{') ? undefined : given;
      expect(table[name]?.default, name).toBe(expected);
    }
  });

  it('gives each choice its values, its default among them', () => {
    for (const [name, spec] of Object.entries(table)) {
      if (spec.kind !== 'choice') continue;
      expect(spec.values?.length, name).toBeGreaterThan(1);
      if (spec.default !== undefined) expect(spec.values, name).toContain(spec.default);
    }
  });
});
