import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The folders of src/ import one way, and facts/ is the leaf every other folder may read. Read from
// the import statements themselves (type-only ones too: a type is a dependency of the design, even
// where the bundle drops it).

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file names: static imports, re-exports and dynamic import() of a literal. */
function specifiers(text: string): string[] {
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((match) => match[1]);
}

/** The folder of src/ a file is in; a file directly in src/ is its own entry ("main.ts"). */
const folderOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0];

interface Edge {
  from: string;
  to: string;
  file: string;
}

/** The edges between folders (or to a file of src/ directly); imports within a folder are left out. */
function folderEdges(): Edge[] {
  return sourceFiles(SRC).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => ({ from: folderOf(file), to: folderOf(path.resolve(path.dirname(file), spec)), file }))
      .filter((edge) => edge.from !== edge.to),
  );
}

describe('the import graph of src/', () => {
  const edges = folderEdges();

  it('has no two folders that import each other', () => {
    const pairs = new Set(edges.map(({ from, to }) => `${from} -> ${to}`));
    const both = [...pairs].filter((pair) => {
      const [from, to] = pair.split(' -> ');
      return pairs.has(`${to} -> ${from}`);
    });
    const where = edges.filter(({ from, to }) => both.includes(`${from} -> ${to}`));
    expect(where.map(({ file, to }) => `${path.relative(SRC, file)} imports ${to}/`)).toEqual([]);
  });

  it('has no cycle through several folders either', () => {
    const next = new Map<string, Set<string>>();
    for (const { from, to } of edges) next.set(from, (next.get(from) ?? new Set()).add(to));
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]): void => {
      if (trail.includes(node)) {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' -> '));
        return;
      }
      for (const to of next.get(node) ?? []) visit(to, [...trail, node]);
    };
    for (const start of next.keys()) visit(start, []);
    expect(cycles).toEqual([]);
  });

  it('reaches nothing outside src/: the local API, tools and bench are fenced off', () => {
    const outside = sourceFiles(SRC).flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.'))
        .filter((spec) => path.relative(SRC, path.resolve(path.dirname(file), spec)).startsWith('..'))
        .map((spec) => `${path.relative(SRC, file)} imports ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it('keeps facts/ a leaf that imports nothing of ours', () => {
    expect(edges.filter(({ from }) => from === 'facts').map(({ file }) => path.relative(SRC, file))).toEqual(
      [],
    );
  });

  it('keeps data/ off the input reader', () => {
    expect(edges.filter(({ from, to }) => from === 'data' && to === 'inputs')).toEqual([]);
  });

  it('keeps inputs/types.ts to types: it imports nothing of ours but types', () => {
    const text = readFileSync(path.join(SRC, 'inputs', 'types.ts'), 'utf8');
    const valueImports = [...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+['"](\.[^'"]+)['"]/gms)];
    expect(valueImports.map((match) => match[1])).toEqual([]);
  });

  it('finds the imports it reads (the check itself works)', () => {
    expect(edges.some(({ from, to }) => from === 'modes' && to === 'api')).toBe(true);
    expect(
      specifiers("import type { A } from './a.js';\nexport { B } from '../b.js';\nawait import('../c.js');"),
    ).toEqual(['./a.js', '../b.js', '../c.js']);
  });
});

/** The files of src/ a bundle of `entry` holds: value imports followed, type-only ones dropped. */
function reached(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const values = [
      ...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+['"](\.[^'"]+)['"]/gms),
      ...text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g),
    ];
    for (const [, spec] of values) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
  };
  visit(path.join(SRC, entry));
  return [...seen].map((file) => path.relative(SRC, file));
}

describe('the bundle of the command-line validator (dist/validate)', () => {
  const files = reached('validate-cli.ts');

  it('holds neither the input reader nor Azure Resource Manager code', () => {
    expect(
      files.filter((file) => file.startsWith('azure') || file === path.join('inputs', 'config.ts')),
    ).toEqual([]);
  });

  it('is followed through its imports (the check itself works)', () => {
    expect(files).toContain(path.join('data', 'preflight.ts'));
    expect(reached('main.ts')).toContain(path.join('azure', 'deployment.ts'));
  });
});

describe('the exports of src/', () => {
  it('are each used by another file (an export used only where it is made is not one)', () => {
    const ROOT = path.resolve(SRC, '..');
    const readers = ['src', 'test', 'server', 'tools', 'bench'].flatMap((dir) =>
      sourceFiles(path.join(ROOT, dir)),
    );
    const texts = new Map(readers.map((file) => [file, readFileSync(file, 'utf8')]));
    const unused = sourceFiles(SRC).flatMap((file) =>
      [
        ...texts
          .get(file)!
          .matchAll(/^export (?:async )?(?:function|const|class|interface|type|let)\s+(\w+)/gm),
      ]
        .map((match) => match[1])
        .filter((name) => {
          const word = new RegExp(`\\b${name}\\b`);
          return ![...texts].some(([other, text]) => other !== file && word.test(text));
        })
        .map((name) => `${path.relative(SRC, file)}: ${name}`),
    );
    expect(unused).toEqual([]);
  });
});

describe('the files of src/', () => {
  it('are each at most 400 lines', () => {
    const long = sourceFiles(SRC)
      .map((file) => ({
        file: path.relative(SRC, file),
        lines: readFileSync(file, 'utf8').split('\n').length - 1,
      }))
      .filter(({ lines }) => lines > 400);
    expect(long).toEqual([]);
  });
});
