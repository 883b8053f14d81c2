import { accessSync, constants, lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../facts/input-error.js';

// Every file an input names lies under the workspace or RUNNER_TEMP (where an earlier step's
// data often is), judged after symlinks are followed: a committed link to /proc/self/environ or
// the runner's credentials, or a path that climbs out with ../, would otherwise be read and
// uploaded. Each check runs while the inputs are read, before anything is read or sent.

/** The folders an input's file may lie in, real paths. */
function roots(env: NodeJS.ProcessEnv): string[] {
  const given = [env.GITHUB_WORKSPACE || process.cwd(), env.RUNNER_TEMP].filter((root): root is string =>
    Boolean(root),
  );
  return given.flatMap((root) => {
    try {
      return [realpathSync(root)];
    } catch {
      return [];
    }
  });
}

const within = (file: string, root: string): boolean => {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

function outside(name: string, given: string, where: string): InputError {
  return new InputError(
    name,
    `names '${given}', which ${where} outside the workspace and RUNNER_TEMP; files are read only from there`,
  );
}

/** The workspace, which relative paths start from. */
export const workspaceOf = (env: NodeJS.ProcessEnv): string => env.GITHUB_WORKSPACE || process.cwd();

/**
 * The real path of a file to read: a regular, readable file under the workspace or RUNNER_TEMP
 * once every symlink is followed; otherwise an InputError naming the input.
 */
export function fileToRead(name: string, given: string, env: NodeJS.ProcessEnv): string {
  const workspace = workspaceOf(env);
  const allowed = roots(env);
  let real: string;
  try {
    real = realpathSync(path.resolve(workspace, given));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(name, `names '${given}', which ${reason} (looked in ${workspace})`);
  }
  if (!allowed.some((root) => within(real, root))) throw outside(name, given, 'lies');
  let isFile: boolean;
  try {
    isFile = statSync(real).isFile();
    accessSync(real, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(name, `names '${given}', which cannot be read (${code ?? String(error)})`);
  }
  if (!isFile) throw new InputError(name, `names '${given}', which is not a regular file`);
  return real;
}

/**
 * The path of a file to write: its folder, symlinks followed, lies under the workspace or
 * RUNNER_TEMP, and the file itself, if it is there already, is a regular file and not a symlink
 * (which would send the writing elsewhere).
 */
export function fileToWrite(name: string, given: string, env: NodeJS.ProcessEnv): string {
  const workspace = workspaceOf(env);
  const resolved = path.resolve(workspace, given);
  let folder: string;
  try {
    folder = realpathSync(path.dirname(resolved));
  } catch {
    throw new InputError(name, `names '${given}', whose folder does not exist (looked in ${workspace})`);
  }
  if (!roots(env).some((root) => within(folder, root) || folder === root)) {
    throw outside(name, given, 'would be written');
  }
  const target = path.join(folder, path.basename(resolved));
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(target);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isFile()) {
    throw new InputError(
      name,
      `names '${given}', which is ${existing.isSymbolicLink() ? 'a symlink' : 'not a regular file'}: it is not written through`,
    );
  }
  return target;
}
