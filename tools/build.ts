// `npm run build`: bundle the action (dist/index.js) and the command-line validator
// (dist/validate/index.js) with ncc, then write dist/licenses.txt from what the two bundles hold.
// Fails when a bundled package has no licence text, or when a production dependency is in neither
// bundle (a dependency nobody imports, or stats this script no longer reads right).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledPackages, licensesText, unbundledDependencies, type Bundle } from './licenses.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NCC = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js');
const TARGETS = [
  { entry: 'src/index.ts', out: 'dist' },
  { entry: 'src/validate-cli.ts', out: 'dist/validate' },
];

rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
// The stats are large and say where this machine keeps node_modules: kept out of dist/.
const scratch = mkdtempSync(path.join(tmpdir(), 'build-stats-'));
try {
  const bundles: Bundle[] = TARGETS.map(({ entry, out }, i) => {
    const statsFile = path.join(scratch, `${i}.json`);
    const args = [NCC, 'build', entry, '-o', out, '--target', 'es2023', '--stats-out', statsFile];
    const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`ncc build ${entry} failed`);
    return { name: `${out}/index.js`, stats: JSON.parse(readFileSync(statsFile, 'utf8')) };
  });

  const packages = bundledPackages(bundles);
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const unbundled = unbundledDependencies(packages, Object.keys(manifest.dependencies ?? {}));
  if (unbundled.length > 0) {
    throw new Error(`dependencies in no bundle: ${unbundled.join(', ')}; move them to devDependencies`);
  }
  writeFileSync(path.join(ROOT, 'dist/licenses.txt'), licensesText(packages));
  console.log(`dist/licenses.txt: ${packages.length} bundled packages`);
} catch (err) {
  console.error(`build: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
