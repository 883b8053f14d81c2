import { describe, expect, it } from 'vitest';
import { protectSecret, redact } from '../../src/github/secrets.js';
import { captureStdout } from '../helpers/capture.js';

describe('secrets', () => {
  it('masks the key in the runner log and removes it from any text', () => {
    const stdout = captureStdout();
    try {
      protectSecret('sk-live-abcdefghijklmnop');
    } finally {
      stdout.restore();
    }
    expect(stdout.text()).toContain('::add-mask::sk-live-abcdefghijklmnop');
    expect(redact('key=sk-live-abcdefghijklmnop; again sk-live-abcdefghijklmnop')).toBe('key=***; again ***');
  });

  it('removes the masked echo of a key that API error messages carry', () => {
    expect(
      redact('Incorrect API key provided: sk-proj-********************abcd. You can find your API key at x'),
    ).toBe('Incorrect API key provided: [redacted key]. You can find your API key at x');
    expect(redact('Incorrect API key provided: sk-w*****key.')).toBe(
      'Incorrect API key provided: [redacted key].',
    );
  });

  it('leaves other text as it is', () => {
    expect(redact('ftjob-abc123 failed: [invalid_file] line 3 *** oops')).toBe(
      'ftjob-abc123 failed: [invalid_file] line 3 *** oops',
    );
  });
});
