import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledPackages, licensesText, unbundledDependencies } from '../../tools/licenses.ts';

// A made-up node_modules and the stats ncc would write for a bundle of it: the notices file must
// name each bundled package once with its texts, in the same bytes whatever order ncc lists them,
// and the build must stop when a bundled package has no licence.
let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'licenses-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function pkg(dir: string, manifest: object, files: Record<string, string>): string {
  const at = path.join(root, dir);
  mkdirSync(at, { recursive: true });
  writeFileSync(path.join(at, 'package.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(at, name), text);
  return at;
}

function fixture() {
  const a = pkg(
    'node_modules/alpha',
    { name: 'alpha', version: '1.0.0', license: 'MIT' },
    {
      'LICENSE.md': 'MIT text\r\n',
    },
  );
  const b = pkg(
    'node_modules/@scope/beta',
    { name: '@scope/beta', version: '2.1.0', license: 'Apache-2.0' },
    {
      LICENSE: 'Apache text',
      NOTICE: 'Beta notice',
    },
  );
  const nested = pkg(
    'node_modules/alpha/node_modules/@scope/beta',
    { name: '@scope/beta', version: '1.9.0', license: 'Apache-2.0' },
    { LICENCE: 'Old Apache text' },
  );
  const main = {
    modules: [
      { nameForCondition: path.join(root, 'src/index.ts') },
      {
        nameForCondition: path.join(b, 'dist/index.mjs'),
        // webpack's concatenated modules list the files they hold inside.
        modules: [{ nameForCondition: path.join(a, 'lib/x.js') }, { nameForCondition: path.join(b, 'y.js') }],
      },
      { nameForCondition: path.join(nested, 'index.js') },
      { name: 'webpack/runtime/define property getters' },
    ],
  };
  const validate = { modules: [{ nameForCondition: path.join(a, 'index.js') }] };
  return { a, b, nested, main, validate };
}

describe('dist/licenses.txt', () => {
  it('lists every bundled package once, sorted, with its licence and notice texts and the bundles holding it', () => {
    const { main, validate } = fixture();
    const packages = bundledPackages([
      { name: 'dist/index.js', stats: main },
      { name: 'dist/validate/index.js', stats: validate },
    ]);
    expect(packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      '@scope/beta@1.9.0',
      '@scope/beta@2.1.0',
      'alpha@1.0.0',
    ]);
    const text = licensesText(packages);
    expect(text).toContain(
      'alpha 1.0.0\nLicense: MIT\nBundled in: dist/index.js, dist/validate/index.js\n\n--- LICENSE.md ---\n\nMIT text\n',
    );
    expect(text).toContain('--- LICENSE ---\n\nApache text\n\n--- NOTICE ---\n\nBeta notice\n');
    expect(text).toContain('Old Apache text');
    // Nothing of this machine: no path, so another checkout writes the same bytes.
    expect(text).not.toContain(root);
    expect(text).not.toContain('\r');
  });

  it('writes the same bytes whatever order the stats list the modules in', () => {
    const { main, validate } = fixture();
    const once = licensesText(
      bundledPackages([
        { name: 'dist/index.js', stats: main },
        { name: 'dist/validate/index.js', stats: validate },
      ]),
    );
    const reversed = licensesText(
      bundledPackages([
        { name: 'dist/validate/index.js', stats: validate },
        { name: 'dist/index.js', stats: { modules: [...main.modules].reverse() } },
      ]),
    );
    expect(reversed).toBe(once);
  });

  it('fails, naming the package, when a bundled package has no licence file (a NOTICE alone is not one)', () => {
    const { main } = fixture();
    const bare = pkg(
      'node_modules/gamma',
      { name: 'gamma', version: '0.1.0', license: 'Apache-2.0' },
      {
        NOTICE: 'only a notice',
      },
    );
    const stats = { modules: [...main.modules, { nameForCondition: path.join(bare, 'index.js') }] };
    expect(() => bundledPackages([{ name: 'dist/index.js', stats }])).toThrow(
      /no licence file .* gamma@0\.1\.0 in /,
    );
  });

  it('gives a package that declares MIT but ships no licence file the MIT text, and fails for any other licence', () => {
    const { main } = fixture();
    const mit = pkg(
      'node_modules/delta',
      { name: 'delta', version: '3.0.0', license: 'MIT', author: 'Dee Author' },
      {},
    );
    const apache = pkg(
      'node_modules/epsilon',
      { name: 'epsilon', version: '1.0.0', license: 'Apache-2.0' },
      {},
    );
    const withMit = { modules: [...main.modules, { nameForCondition: path.join(mit, 'index.js') }] };
    const text = licensesText(bundledPackages([{ name: 'dist/index.js', stats: withMit }]));
    expect(text).toContain('delta 3.0.0\nLicense: MIT');
    expect(text).toContain('Copyright (c) Dee Author\n\nPermission is hereby granted');
    const withApache = { modules: [...main.modules, { nameForCondition: path.join(apache, 'index.js') }] };
    expect(() => bundledPackages([{ name: 'dist/index.js', stats: withApache }])).toThrow(/epsilon@1\.0\.0/);
  });

  it('fails when the stats name no package at all, rather than writing an empty list', () => {
    expect(() => bundledPackages([{ name: 'dist/index.js', stats: { modules: [] } }])).toThrow(
      "dist/index.js: ncc's stats name no file under node_modules",
    );
  });

  it('names a production dependency that no bundle holds', () => {
    const { main } = fixture();
    const packages = bundledPackages([{ name: 'dist/index.js', stats: main }]);
    expect(unbundledDependencies(packages, ['alpha', 'zeta', '@scope/beta'])).toEqual(['zeta']);
  });
});
