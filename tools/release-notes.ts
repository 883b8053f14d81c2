// The release workflow's gate and notes: `node tools/release-notes.ts v1.2.3` prints the section of
// CHANGELOG.md for 1.2.3, and fails when the tag is not `v` + package.json's version or the
// changelog has nothing for it, so a release is never published with a version the code does not
// carry or with empty notes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TAG = /^v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/;

/** The body of a version's section in a Keep a Changelog file: its lines up to the next version. */
function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n');
  const heading = (line: string) => /^## \[([^\]]+)\]/.exec(line)?.[1];
  const start = lines.findIndex((line) => heading(line) === version);
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  // A section ends at the next version, or at the link definitions ([1.0.0]: https://...) at the end.
  const end = rest.findIndex((line) => /^## /.test(line) || /^\[[^\]]+\]:\s/.test(line));
  return (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
}

/** The release notes for a pushed tag; throws a sentence saying what to fix. */
export function releaseNotes(tag: string, packageVersion: string, changelog: string): string {
  if (!TAG.test(tag)) throw new Error(`tag ${JSON.stringify(tag)} is not vMAJOR.MINOR.PATCH`);
  if (tag !== `v${packageVersion}`) {
    throw new Error(`tag ${tag} does not match package.json's version ${packageVersion}`);
  }
  const notes = changelogSection(changelog, packageVersion);
  if (notes === undefined) throw new Error(`CHANGELOG.md has no "## [${packageVersion}]" section`);
  if (notes === '') throw new Error(`CHANGELOG.md's section for ${packageVersion} is empty`);
  return notes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  try {
    const notes = releaseNotes(
      process.argv[2] ?? '',
      version,
      readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'),
    );
    process.stdout.write(`${notes}\n`);
  } catch (err) {
    console.error(`release: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
