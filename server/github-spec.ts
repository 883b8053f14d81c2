// GitHub's own description of the endpoints the GitHub stand-in plays, from the @octokit/openapi
// package, as a contract the stand-in checks every request and answer against. The description
// covers all of api.github.com (13 MB): it is read once, on first use, and only the stand-in's
// operations and the components they reach are kept, so the schemas compiled stay few.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Contract } from './contract.ts';

type Json = Record<string, unknown>;

/** The operations the stand-in answers, as GitHub's description names their paths. */
const GITHUB_OPERATIONS: ReadonlyArray<readonly [path: string, method: string]> = [
  ['/repos/{owner}/{repo}/issues/{issue_number}/comments', 'get'],
  ['/repos/{owner}/{repo}/issues/{issue_number}/comments', 'post'],
  ['/repos/{owner}/{repo}/issues/comments/{comment_id}', 'patch'],
  ['/repos/{owner}/{repo}/pulls/{pull_number}/files', 'get'],
];

let contract: Contract | undefined;

/** GitHub's contract for the stand-in's operations; errors it does not describe are `basic-error`s. */
export function loadGithubContract(): Contract {
  if (!contract) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    const spec = JSON.parse(readFileSync(file, 'utf8')) as Json;
    contract = new Contract(pick(spec, GITHUB_OPERATIONS), 'basic-error', []);
  }
  return contract;
}

/** The part of a description that the given operations reach through their `$ref`s. */
function pick(spec: Json, operations: typeof GITHUB_OPERATIONS): Json {
  const paths: Record<string, Json> = {};
  for (const [path, method] of operations) {
    paths[path] ??= {};
    paths[path][method] = ((spec.paths as Json)[path] as Json)[method];
  }
  const all = spec.components as Record<string, Json>;
  const components: Record<string, Json> = {};
  const reach = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(reach);
    if (!node || typeof node !== 'object') return;
    const { $ref } = node as Json;
    if (typeof $ref === 'string') {
      // Every reference in GitHub's description is local: #/components/<section>/<name>.
      const [, , section, name] = $ref.split('/');
      components[section] ??= {};
      if (!(name in components[section])) {
        components[section][name] = all[section][name];
        reach(all[section][name]);
      }
    }
    // Examples are documentation the checks never read; following them would copy in far more.
    for (const [key, value] of Object.entries(node))
      if (key !== 'examples' && key !== 'example') reach(value);
  };
  reach(paths);
  return { openapi: spec.openapi, info: spec.info, paths, components };
}
