import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// contract/ is a copy of ../shared/contract/ so a fresh clone (and GitHub's runner) can run the
// local server and the demo. Where the shared original is beside the checkout, the copy must match it.
const shared = new URL('../../../shared/contract/', import.meta.url);
const copy = new URL('../../contract/', import.meta.url);
const files = [
  'openai-fine-tuning.openapi.json',
  'openai-fine-tuning.normalized.openapi.json',
  'LICENSE.openai-openapi',
  'PROVENANCE.md',
  'azure-openai-v1.yaml',
  'PROVENANCE-azure.md',
];

describe.skipIf(!existsSync(shared))(
  'contract/ copy (skipped: ../shared/contract is not beside this checkout)',
  () => {
    it.each(files)('%s is identical to ../shared/contract', (name) => {
      expect(readFileSync(new URL(name, copy), 'utf8')).toBe(readFileSync(new URL(name, shared), 'utf8'));
    });
  },
);
