// dist/licenses.txt: every third-party package that ends up in a bundle, with its licence text.
// The list comes from what ncc actually bundled (its webpack stats), not from package.json, so a
// package pulled in by a dependency is covered and a package only used for types is not. ncc's own
// `--license` option missed packages (openai, @actions/core, undici) and left texts out, and a
// licence missing from a file we ship is the kind of gap nobody sees, so this fails the build
// instead.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Bundle {
  /** Where the bundle lands, as shipped: `dist/index.js`. */
  name: string;
  /** ncc's `--stats-out` JSON for that build. */
  stats: unknown;
}

export interface BundledPackage {
  name: string;
  version: string;
  license: string;
  /** The package's own directory on this machine (never printed: it differs between machines). */
  dir: string;
  bundles: string[];
  /** Each licence, copying or notice file: its name and its text. */
  texts: { file: string; text: string }[];
}

interface StatsModule {
  nameForCondition?: string;
  modules?: StatsModule[];
}

// NOTICE files too: Apache-2.0 (openai, before-after-hook) asks that they travel with the code.
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-][\w.-]*)?$/i;

/** The package directory a bundled file belongs to: the path up to its last node_modules/name. */
function packageDir(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  const length = parts[at + 1]!.startsWith('@') ? 3 : 2;
  return parts.slice(0, at + length).join(path.sep);
}

/** Every file ncc put in the bundle, also those inside modules webpack concatenated into one. */
function bundledFiles(stats: unknown): string[] {
  const files: string[] = [];
  const walk = (modules: StatsModule[] | undefined) => {
    for (const m of modules ?? []) {
      if (typeof m.nameForCondition === 'string') files.push(m.nameForCondition);
      walk(m.modules);
    }
  };
  const root = stats as { modules?: StatsModule[]; children?: { modules?: StatsModule[] }[] };
  walk(root.modules);
  for (const child of root.children ?? []) walk(child.modules);
  return files;
}

/**
 * MIT asks that its notice travel with the code. A package that declares MIT but ships no licence
 * file (`@nodable/entities`, under the Azure SDK that @actions/cache uses) gets the MIT text with
 * its author as the holder, labelled as written here rather than taken from the package.
 */
function mitText(author: unknown): { file: string; text: string } {
  const holder =
    typeof author === 'string'
      ? author
      : typeof (author as { name?: unknown } | undefined)?.name === 'string'
        ? (author as { name: string }).name
        : 'the package authors';
  return {
    file: 'MIT licence text (the package declares MIT and ships no licence file)',
    text: `Copyright (c) ${holder}

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`,
  };
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The packages in the bundles, each with its licence texts. Throws, naming every package, when
 * one has no licence file, or when a bundle holds no package at all (ncc's stats changed shape).
 */
export function bundledPackages(bundles: Bundle[]): BundledPackage[] {
  const found = new Map<string, BundledPackage>();
  for (const bundle of bundles) {
    const dirs = new Set(bundledFiles(bundle.stats).flatMap((f) => packageDir(f) ?? []));
    if (dirs.size === 0) {
      throw new Error(`${bundle.name}: ncc's stats name no file under node_modules; cannot list licences`);
    }
    for (const dir of dirs) {
      const known = found.get(dir);
      if (known) {
        known.bundles.push(bundle.name);
        continue;
      }
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
        license?: unknown;
        author?: unknown;
      };
      const texts = readdirSync(dir)
        .filter((f) => LICENCE_FILE.test(f))
        .sort(byCodePoint)
        .map((file) => ({ file, text: readFileSync(path.join(dir, file), 'utf8') }));
      const licence = texts.some((t) => !/^notice/i.test(t.file));
      if (!licence && manifest.license === 'MIT') texts.push(mitText(manifest.author));
      found.set(dir, {
        name: manifest.name ?? path.basename(dir),
        version: manifest.version ?? '',
        license: typeof manifest.license === 'string' ? manifest.license : 'UNKNOWN',
        dir,
        bundles: [bundle.name],
        texts,
      });
    }
  }
  const packages = [...found.values()].sort(
    (a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.version, b.version),
  );
  const missing = packages.filter((p) => !p.texts.some((t) => !/^notice/i.test(t.file)));
  if (missing.length > 0) {
    throw new Error(
      `no licence file (LICENSE, LICENCE or COPYING) for bundled package(s): ${missing
        .map((p) => `${p.name}@${p.version} in ${p.dir}`)
        .join(', ')}`,
    );
  }
  return packages;
}

/** The package.json dependencies that no bundle holds: each is either unused or missed here. */
export function unbundledDependencies(packages: BundledPackage[], dependencies: string[]): string[] {
  const names = new Set(packages.map((p) => p.name));
  return dependencies.filter((d) => !names.has(d)).sort(byCodePoint);
}

const RULE = '='.repeat(80);

/** The notices file: sorted, with no date or machine path, so two builds write the same bytes. */
export function licensesText(packages: BundledPackage[]): string {
  const head = [
    'Third-party software bundled in dist/, each package with its licence.',
    'Generated by tools/licenses.ts during `npm run build`; do not edit.',
  ];
  const sections = packages.map((p) =>
    [
      RULE,
      `${p.name} ${p.version}`,
      `License: ${p.license}`,
      `Bundled in: ${[...new Set(p.bundles)].sort(byCodePoint).join(', ')}`,
      ...p.texts.flatMap((t) => ['', `--- ${t.file} ---`, '', t.text.replace(/\r\n?/g, '\n').trimEnd()]),
    ].join('\n'),
  );
  return `${[head.join('\n'), ...sections].join('\n\n')}\n`;
}
