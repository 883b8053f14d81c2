import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { releaseNotes } from '../../tools/release-notes.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.1.0] - 2027-01-10

### Fixed

- A thing.

## [1.0.0] - 2026-12-04

- The first release.

## [0.9.0] - 2026-11-01

[1.1.0]: https://example.invalid/compare/v1.0.0...v1.1.0
`;

describe('release notes (tools/release-notes.ts, run by the release workflow)', () => {
  it("are the tag's section of the changelog, up to the next version", () => {
    expect(releaseNotes('v1.1.0', '1.1.0', CHANGELOG)).toBe('### Fixed\n\n- A thing.');
    expect(releaseNotes('v1.0.0', '1.0.0', CHANGELOG)).toBe('- The first release.');
    expect(releaseNotes('v1.0.0', '1.0.0', CHANGELOG.replace(/\n/g, '\r\n'))).toBe('- The first release.');
  });

  it("refuse a tag that is not package.json's version, or not a version at all", () => {
    expect(() => releaseNotes('v1.1.0', '1.0.0', CHANGELOG)).toThrow(
      "tag v1.1.0 does not match package.json's version 1.0.0",
    );
    expect(() => releaseNotes('v1', '1.0.0', CHANGELOG)).toThrow('tag "v1" is not vMAJOR.MINOR.PATCH');
    expect(() => releaseNotes('1.0.0', '1.0.0', CHANGELOG)).toThrow('is not vMAJOR.MINOR.PATCH');
  });

  it('refuse a version the changelog has no notes for', () => {
    expect(() => releaseNotes('v1.2.0', '1.2.0', CHANGELOG)).toThrow(
      'CHANGELOG.md has no "## [1.2.0]" section',
    );
    // A section ended at once by the link definitions is empty.
    expect(() => releaseNotes('v0.9.0', '0.9.0', CHANGELOG)).toThrow(
      "CHANGELOG.md's section for 0.9.0 is empty",
    );
  });

  it("this repository's version has its notes, so tagging it releases", () => {
    const { version } = JSON.parse(read('package.json')) as { version: string };
    expect(version).toMatch(/^[1-9]\d*\.\d+\.\d+$/);
    expect(releaseNotes(`v${version}`, version, read('CHANGELOG.md'))).toMatch(/\S/);
  });
});
