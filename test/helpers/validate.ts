import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import type { ValidateOptions } from '../../src/data/validate.js';

/** validateFile's options for a supervised training file on a gpt-4o model, as the action would pass them. */
export const validateOptions = (overrides: Partial<ValidateOptions> = {}): ValidateOptions => ({
  method: 'supervised',
  role: 'training',
  count: o200k,
  tokenLimit: 65_536,
  strictLimit: true,
  graderFields: [],
  imagesPerExample: 10,
  ...overrides,
});
