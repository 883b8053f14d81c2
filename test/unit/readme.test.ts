import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The README is the front door: workflows to copy, pinning, security and troubleshooting. Reference
// tables live in docs/ (docs/inputs.md is written from action.yml), so the front page stays short.
const README = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
const MAX_LINES = 450;

const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;

describe('README.md', () => {
  it(`is at most ${MAX_LINES} lines`, () => {
    expect(lineCount(README)).toBeLessThanOrEqual(MAX_LINES);
  });

  it('counts lines as an editor shows them', () => {
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount(`${'x\n'.repeat(MAX_LINES + 1)}`)).toBeGreaterThan(MAX_LINES);
  });

  // A CI hook greps for these two commands, and a newcomer runs them first.
  it('shows the demo and the test commands', () => {
    expect(README).toContain('npm run demo');
    expect(README).toContain('npm test');
  });

  it('links only to its own headings, as GitHub names their anchors', () => {
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-');
    const anchors = new Set([...README.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!)));
    const links = [...README.matchAll(/\]\(#([\w-]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  // The action's own messages send people to README sections by name.
  it("has every section the action's messages send people to", () => {
    const src = path.resolve(import.meta.dirname, '../../src');
    const named = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [
        ...readFileSync(path.join(src, file), 'utf8').matchAll(/see "([^"]+)" in the README/g),
      ])
      .map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    const headings = [...README.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!);
    expect(named.filter((name) => !headings.includes(name))).toEqual([]);
  });

  it('links every docs/ page it names, and each exists', () => {
    const links = [...README.matchAll(/\]\((docs\/[\w./-]+?)(#[\w-]+)?\)/g)].map((m) => m[1]!);
    expect(links).toContain('docs/inputs.md');
    for (const link of links) {
      expect(() => readFileSync(path.resolve(import.meta.dirname, '../..', link)), link).not.toThrow();
    }
  });
});
