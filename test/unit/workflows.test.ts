import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseBoolean, parseDuration } from '../../src/inputs/parse.js';
import { MODES as ACTION_MODES } from '../../src/inputs/types.js';
import { TAG_COUNT } from '../../src/jobs/tags.js';

// Every workflow a user may copy (examples/workflows/) and every workflow of this repository
// (.github/workflows/) goes through GitHub's own workflow parser, the one behind the Actions VS Code
// extension: parseWorkflow() checks the file against the workflow schema (keys, types, expression
// syntax, which contexts each place allows, cron), and convertWorkflowTemplate() then builds the
// jobs and events, reporting what only conversion sees (needs cycles, unknown needs, matrix...).
// The parser knows nothing about this action, so each step that uses it is checked here against
// action.yml: its `with:` keys, the literal values it passes, and every output an expression reads
// from it, directly (steps.<id>.outputs.<name>) or through a job output (needs.<job>.outputs.<name>).
// action.yml itself goes through the same package's parseAction(), which applies the runner's
// action.yml schema.

// @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which Node
// refuses (actions/languageservices#387). Until it is fixed, add the attribute when those files
// resolve; the hook is in this test process only.
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.includes('/@actions/workflow-parser/') && resolved.url.endsWith('.json')) {
      return { ...resolved, importAttributes: { ...context.importAttributes, type: 'json' } };
    }
    return resolved;
  },
});
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } =
  await import('@actions/workflow-parser');
const { parseAction, convertActionTemplate } = await import('@actions/workflow-parser/actions/index');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLES = path.join(ROOT, 'examples/workflows');
const REPO_WORKFLOWS = path.join(ROOT, '.github/workflows');
const ACTION_TEXT = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
// The contract shared by every worktree, beside the checkout (absent on a fresh clone).
const INTERFACE = path.join(ROOT, '../shared/interface.md');

const yamlFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
const EXAMPLE_FILES = yamlFiles(EXAMPLES);
const ALL_FILES = [...EXAMPLE_FILES, ...yamlFiles(REPO_WORKFLOWS)];
const rel = (file: string) => path.relative(ROOT, file);
const read = (file: string) => readFileSync(file, 'utf8');

// ---------------------------------------------------------------------------------------------
// GitHub's parser

/** Every error parseWorkflow and convertWorkflowTemplate report for a workflow text. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  if (parsed.value === undefined) {
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    return errors.length > 0 ? errors : [`${name}: nothing was parsed`];
  }
  // Conversion adds what it finds to the same context, and returns the whole list as template.errors.
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

async function convertedWorkflow(file: string) {
  const parsed = parseWorkflow({ name: rel(file), content: read(file) }, new NoOperationTraceWriter());
  if (parsed.value === undefined) throw new Error(`${rel(file)} did not parse`);
  return convertWorkflowTemplate(parsed.context, parsed.value);
}

// ---------------------------------------------------------------------------------------------
// action.yml

interface ActionMeta {
  inputs: Set<string>;
  outputs: Set<string>;
  defaults: Map<string, string>;
}

function actionMeta(text: string): ActionMeta {
  const doc = parseYaml(text) as { inputs?: Record<string, { default?: unknown }>; outputs?: object };
  const inputs = doc.inputs ?? {};
  return {
    inputs: new Set(Object.keys(inputs)),
    outputs: new Set(Object.keys(doc.outputs ?? {})),
    defaults: new Map(
      Object.entries(inputs)
        .filter(([, i]) => i?.default !== undefined)
        .map(([k, i]) => [k, String(i.default)]),
    ),
  };
}
const ACTION = actionMeta(ACTION_TEXT);

/** What the runner's schema says about an action.yml text (parseAction + convertActionTemplate). */
function actionSchemaErrors(text: string): string[] {
  const parsed = parseAction({ name: 'action.yml', content: text }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value !== undefined) convertActionTemplate(parsed.context, parsed.value);
  return [...new Set([...errors, ...parsed.context.errors.getErrors().map((e) => e.message)])];
}

/** The checks the schema does not make: the runtime, the entry files, descriptions, string defaults. */
function actionMetadataProblems(text: string, root: string): string[] {
  const problems: string[] = [];
  const doc = parseYaml(text) as Record<string, any>;
  for (const key of ['name', 'description']) {
    if (typeof doc?.[key] !== 'string' || doc[key].trim() === '') problems.push(`${key} is missing`);
  }
  const runs = doc?.runs ?? {};
  if (runs.using !== 'node24') problems.push(`runs.using is ${JSON.stringify(runs.using)}, not node24`);
  for (const key of ['main', 'post']) {
    const entry = runs[key];
    if (typeof entry !== 'string' || !/^dist\//.test(path.posix.normalize(entry))) {
      problems.push(`runs.${key} is ${JSON.stringify(entry)}, not a file under dist/`);
    } else if (!existsSync(path.join(root, entry))) {
      problems.push(`runs.${key}: ${entry} does not exist`);
    }
  }
  for (const [id, input] of Object.entries<any>(doc?.inputs ?? {})) {
    if (typeof input?.description !== 'string' || input.description.trim() === '') {
      problems.push(`input ${id} has no description`);
    }
    if (input && 'default' in input && typeof input.default !== 'string') {
      problems.push(`input ${id}: default ${JSON.stringify(input.default)} is not a string`);
    }
  }
  for (const [id, output] of Object.entries<any>(doc?.outputs ?? {})) {
    if (typeof output?.description !== 'string' || output.description.trim() === '') {
      problems.push(`output ${id} has no description`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Steps that use this action

const isThisAction = (uses: unknown): boolean =>
  typeof uses === 'string' && (uses === './' || /^your-org\/openai-fine-tune-action@\S+$/.test(uses));

// The modes the action takes, from its own list, so that a new mode needs no second edit here.
const MODES: string[] = [...ACTION_MODES];
const REQUIRED_BY_MODE: Record<string, string[]> = {
  'fine-tune': ['model', 'training-file'],
  wait: ['job-id'],
  cancel: ['job-id'],
  pause: ['job-id'],
  resume: ['job-id'],
  plan: ['model', 'training-file'],
};
const CHOICES: Record<string, string[]> = {
  mode: MODES,
  method: ['supervised', 'dpo', 'reinforcement'],
  'on-timeout': ['fail', 'cancel', 'continue'],
};
const BOOLEANS = ['validate', 'skip-if-unchanged', 'wait', 'cancel-on-abort'];
const DURATIONS = ['wait-timeout', 'poll-interval', 'max-poll-interval'];
const HOSTED_JOB_LIMIT_MINUTES = 360;

const isExpression = (value: string) => value.includes('${{');

/** The expressions in a value: `${{ ... }}` anywhere, and the whole of an `if:` (implicit `${{ }}`). */
function expressionsIn(value: unknown, key?: string): string[] {
  if (typeof value === 'string') {
    if (key === 'if') return [value.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1')];
    return [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
  }
  if (Array.isArray(value)) return value.flatMap((v) => expressionsIn(v));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => expressionsIn(v, k));
  return [];
}
const refs = (expression: string, context: 'steps' | 'needs') =>
  [
    ...expression.matchAll(
      new RegExp(`(?<![\\w.-])${context}\\.([A-Za-z_][\\w-]*)\\.outputs\\.([A-Za-z_][\\w-]*)`, 'g'),
    ),
  ].map((m) => ({ id: m[1]!, output: m[2]! }));

/** The modes a step can run in: its literal mode, or the options of the dispatch input it names. */
function modesOf(mode: unknown, workflow: Record<string, any>): string[] | undefined {
  if (mode === undefined) return ['fine-tune'];
  const text = String(mode);
  if (!isExpression(text)) return [text];
  const input = /^\s*\$\{\{\s*(?:github\.event\.)?inputs\.([\w-]+)\s*\}\}\s*$/.exec(text)?.[1];
  const options = input ? workflow?.on?.workflow_dispatch?.inputs?.[input]?.options : undefined;
  return Array.isArray(options) ? options.map(String) : undefined;
}

/**
 * Problems in how a workflow uses this action, each naming its place: `with:` keys not in
 * action.yml, missing inputs a mode needs, literal values the action would reject, outputs that
 * action.yml does not declare, references to steps and jobs that are not there, and jobs whose
 * timeout-minutes would kill the runner before the action's own wait-timeout.
 */
function usageProblems(name: string, content: string, action: ActionMeta = ACTION): string[] {
  const problems: string[] = [];
  const workflow = parseYaml(content) as Record<string, any>;
  const jobs: Record<string, any> = workflow?.jobs ?? {};

  for (const [jobId, job] of Object.entries(jobs)) {
    const steps: any[] = Array.isArray(job?.steps) ? job.steps : [];
    const here = (i: number) =>
      `${name}: jobs.${jobId}.steps[${i}]${steps[i]?.id ? ` (${steps[i].id})` : ''}`;
    const stepIndex = new Map<string, number>();
    steps.forEach((s, i) => s?.id !== undefined && stepIndex.set(String(s.id), i));
    const ours = (id: string) => isThisAction(steps[stepIndex.get(id)!]?.uses);

    const checkStepRef = (where: string, ref: { id: string; output: string }, before: number) => {
      const index = stepIndex.get(ref.id);
      if (index === undefined || index >= before) {
        problems.push(`${where}: steps.${ref.id} is not an earlier step of job ${jobId}`);
      } else if (ours(ref.id) && !action.outputs.has(ref.output)) {
        problems.push(`${where}: steps.${ref.id}.outputs.${ref.output} is not an output in action.yml`);
      }
    };

    let waitMs = 0;
    steps.forEach((step, i) => {
      for (const expression of expressionsIn(step)) {
        for (const ref of refs(expression, 'steps')) checkStepRef(here(i), ref, i);
      }
      if (!isThisAction(step?.uses)) return;

      const withs: Record<string, unknown> = step.with ?? {};
      for (const key of Object.keys(withs)) {
        if (!action.inputs.has(key)) problems.push(`${here(i)}: with.${key} is not an input in action.yml`);
      }
      for (const [key, raw] of Object.entries(withs)) {
        const value = String(raw);
        if (isExpression(value)) continue;
        if (CHOICES[key] && !CHOICES[key].includes(value)) {
          problems.push(`${here(i)}: ${key} '${value}' is not one of ${CHOICES[key].join(', ')}`);
        }
        try {
          if (BOOLEANS.includes(key)) parseBoolean(value);
          if (DURATIONS.includes(key)) parseDuration(value);
        } catch (err) {
          problems.push(`${here(i)}: ${key} ${(err as Error).message}`);
        }
      }
      const modes = modesOf(withs.mode, workflow);
      for (const mode of modes ?? []) {
        for (const required of REQUIRED_BY_MODE[mode] ?? []) {
          if (withs[required] === undefined || String(withs[required]).trim() === '') {
            problems.push(`${here(i)}: mode ${mode} needs with.${required}`);
          }
        }
      }
      const waits =
        modes?.includes('wait') || (modes?.includes('fine-tune') && String(withs.wait ?? 'true') !== 'false');
      const timeout = String(withs['wait-timeout'] ?? action.defaults.get('wait-timeout') ?? '');
      if (waits && timeout && !isExpression(timeout)) {
        try {
          waitMs += parseDuration(timeout);
        } catch {
          // reported above
        }
      }
    });

    for (const [output, value] of Object.entries<unknown>(job?.outputs ?? {})) {
      for (const expression of expressionsIn(value)) {
        for (const ref of refs(expression, 'steps')) {
          checkStepRef(`${name}: jobs.${jobId}.outputs.${output}`, ref, steps.length);
        }
      }
    }

    const needs = new Set<string>([job?.needs ?? []].flat().map(String));
    for (const expression of expressionsIn(job)) {
      for (const ref of refs(expression, 'needs')) {
        if (!needs.has(ref.id)) {
          problems.push(`${name}: jobs.${jobId} reads needs.${ref.id} but does not need job ${ref.id}`);
        } else if (!Object.hasOwn(jobs[ref.id]?.outputs ?? {}, ref.output)) {
          problems.push(
            `${name}: jobs.${jobId} reads needs.${ref.id}.outputs.${ref.output}, not an output of job ${ref.id}`,
          );
        }
      }
    }

    const minutes = job?.['timeout-minutes'] ?? HOSTED_JOB_LIMIT_MINUTES;
    if (waitMs > 0 && typeof minutes === 'number' && minutes * 60_000 <= waitMs) {
      problems.push(
        `${name}: jobs.${jobId} timeout-minutes ${minutes} is not above its wait-timeout (${waitMs / 60_000} minutes): the runner would be killed before the action's own deadline`,
      );
    }
  }
  return problems;
}

/** Every step of a workflow text that uses this action, with its job. */
function actionSteps(content: string): { job: string; step: Record<string, any> }[] {
  const jobs: Record<string, any> = (parseYaml(content) as any)?.jobs ?? {};
  return Object.entries(jobs).flatMap(([job, j]) =>
    (Array.isArray(j?.steps) ? j.steps : [])
      .filter((s: any) => isThisAction(s?.uses))
      .map((step: any) => ({ job, step })),
  );
}

/** The modes in the contract's "Modes" table: every `name` in each row's first cell. */
function contractModes(text: string): string[] {
  const section = /^## Modes\b[\s\S]*?(?=^## )/m.exec(text)?.[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\|\s*`/.test(line))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

/** Whether a text names a word on its own (not inside another word or a hyphenated one). */
const namesWord = (text: string, word: string) =>
  new RegExp(`(^|[^\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`, 'i').test(text);

// ---------------------------------------------------------------------------------------------
// Pins: a tag can be moved to other code, a commit cannot. Every third-party action is pinned to
// the full commit SHA of a release, with that release in a comment (Dependabot updates both).

/**
 * Third-party actions whose release commit nobody could confirm against the action's own
 * repository: these stay on a tag, and the README says so. Empty while every pin is confirmed.
 */
const UNCONFIRMED_PINS = new Set<string>();

/** Each third-party `uses:` line not pinned to a full commit SHA with `# vX.Y.Z` after it. */
function unpinnedUses(name: string, text: string, unconfirmed: Set<string> = UNCONFIRMED_PINS): string[] {
  return text.split('\n').flatMap((line, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*(['"]?)([^\s'"#]+)\1(.*)$/.exec(line);
    if (!m) return [];
    const [, , ref, rest] = m as unknown as [string, string, string, string];
    if (isThisAction(ref) || ref.startsWith('./') || ref.startsWith('docker://')) return [];
    const [action, version = ''] = ref.split('@');
    if (unconfirmed.has(action!)) return [];
    return /^[0-9a-f]{40}$/.test(version) && /^\s+# v\d+\.\d+\.\d+\s*$/.test(rest)
      ? []
      : [`${name}:${i + 1}: ${ref} is not pinned to a full commit SHA with its version in a comment`];
  });
}

/**
 * Checkouts that leave the token in .git/config although no step of their job pushes: any later
 * step (a dependency's install script, say) could read it there.
 */
function persistedCredentials(name: string, content: string): string[] {
  const jobs: Record<string, any> = (parseYaml(content) as any)?.jobs ?? {};
  return Object.entries(jobs).flatMap(([jobId, job]) => {
    const steps: any[] = Array.isArray(job?.steps) ? job.steps : [];
    if (steps.some((s) => /\bgit\s+push\b/.test(String(s?.run ?? '')))) return [];
    return steps.flatMap((s, i) =>
      String(s?.uses ?? '').startsWith('actions/checkout@') && s.with?.['persist-credentials'] !== false
        ? [
            `${name}: jobs.${jobId}.steps[${i}] checks out without persist-credentials: false and pushes nothing`,
          ]
        : [],
    );
  });
}

/** Inputs of a workflow run by hand that the Actions tab would show with no words beside them. */
function undescribedInputs(name: string, content: string): string[] {
  const inputs: Record<string, any> = (parseYaml(content) as any)?.on?.workflow_dispatch?.inputs ?? {};
  return Object.entries(inputs)
    .filter(([, input]) => typeof input?.description !== 'string' || input.description.trim() === '')
    .map(([id]) => `${name}: workflow_dispatch input ${id} has no description`);
}

// ---------------------------------------------------------------------------------------------

describe('workflows', () => {
  it('the five examples are there', () => {
    expect(EXAMPLE_FILES.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining([
        'detach-and-collect.yml',
        'fine-tune.yml',
        'manage-job.yml',
        'matrix.yml',
        'nightly-retrain.yml',
      ]),
    );
  });

  describe.each(ALL_FILES.map((f) => [rel(f), f]))('%s', (name, file) => {
    it("GitHub's workflow parser parses and converts it with no errors", async () => {
      expect(await workflowErrors(name, read(file))).toEqual([]);
    });

    it('uses only inputs and outputs that action.yml declares, with values the action accepts', () => {
      expect(usageProblems(name, read(file))).toEqual([]);
    });

    it('pins every third-party action to a commit SHA with its version, and keeps no token it does not push with', () => {
      expect(unpinnedUses(name, read(file))).toEqual([]);
      expect(persistedCredentials(name, read(file))).toEqual([]);
    });

    it('describes every input a person fills in to run it by hand', () => {
      expect(undescribedInputs(name, read(file))).toEqual([]);
    });
  });

  describe.each(EXAMPLE_FILES.map((f) => [rel(f), f]))('%s, as a copy-paste example', (_name, file) => {
    const content = read(file);
    const workflow = parseYaml(content) as Record<string, any>;

    it('uses the action as your-org/openai-fine-tune-action@v1, signed in with a secret key or without one', () => {
      const steps = actionSteps(content);
      expect(steps.length).toBeGreaterThan(0);
      for (const { step } of steps) {
        expect(step.uses).toBe('your-org/openai-fine-tune-action@v1');
        const keyless = step.with?.['azure-client-id'] ?? step.with?.['workload-identity-provider-id'];
        // A key only ever from a secret; a keyless sign-in's ids are not secrets.
        if (keyless === undefined) expect(step.with?.['api-key']).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
        else expect(step.with?.['api-key']).toBeUndefined();
      }
    });

    it('sets permissions for the token, writing only where the example needs to', () => {
      const jobs = Object.values<any>(workflow.jobs);
      const scopes = [workflow.permissions, ...jobs.map((j) => j.permissions)].filter((p) => p !== undefined);
      expect(workflow.permissions !== undefined || jobs.every((j) => j.permissions !== undefined)).toBe(true);
      const writes = scopes.flatMap((p) =>
        typeof p === 'string'
          ? [p]
          : Object.entries(p).flatMap(([scope, level]) => (level === 'write' ? [scope] : [])),
      );
      // Only the nightly example commits the model name it records; a keyless sign-in needs the
      // workflow's OIDC token, and only such an example asks for one.
      const keyless = actionSteps(read(file)).some(
        ({ step }) =>
          step.with?.['azure-client-id'] !== undefined ||
          step.with?.['workload-identity-provider-id'] !== undefined,
      );
      const expected = [
        ...(path.basename(file) === 'nightly-retrain.yml' ? ['contents'] : []),
        // The plan writes its comment on the pull request.
        ...(path.basename(file) === 'plan-and-train.yml' ? ['pull-requests'] : []),
        ...(keyless ? ['id-token'] : []),
      ];
      expect(writes).toEqual(expected);
    });
  });
});

describe('what each example shows', () => {
  const example = (file: string) => {
    const full = path.join(EXAMPLES, file);
    const content = read(full);
    return {
      full,
      content,
      workflow: parseYaml(content) as Record<string, any>,
      steps: actionSteps(content),
    };
  };

  it('fine-tune.yml: runs on a push to the data folder and reads the outputs in a later step', async () => {
    const { full, workflow } = example('fine-tune.yml');
    const { events } = await convertedWorkflow(full);
    expect(events.push?.paths?.some((p) => p.startsWith('data/'))).toBe(true);
    const steps: any[] = workflow.jobs['fine-tune'].steps;
    const at = steps.findIndex((s) => isThisAction(s.uses));
    const later = expressionsIn(steps.slice(at + 1)).flatMap((e) => refs(e, 'steps'));
    expect(later).toContainEqual({ id: steps[at].id, output: 'fine-tuned-model' });
  });

  it('nightly-retrain.yml: schedule and dispatch, skip-if-unchanged, records only a new model, cancels on timeout', async () => {
    const { full, workflow, steps } = example('nightly-retrain.yml');
    const { events } = await convertedWorkflow(full);
    expect(events.schedule?.length).toBeGreaterThan(0);
    expect(events.workflow_dispatch).toBeDefined();
    expect(steps).toHaveLength(1);
    const { job, step } = steps[0]!;
    expect(String(step.with['skip-if-unchanged'])).toBe('true');
    expect(step.with['on-timeout']).toBe('cancel');
    // The steps that read the new model: at least one (the one that records it) runs only when reused is false.
    const readers = workflow.jobs[job].steps.filter((s: any) =>
      expressionsIn(s).some((e) =>
        refs(e, 'steps').some((r) => r.id === step.id && r.output === 'fine-tuned-model'),
      ),
    );
    expect(readers.map((s: any) => s.if)).toContainEqual(
      expect.stringMatching(new RegExp(`^steps\\.${step.id}\\.outputs\\.reused == 'false'`)),
    );
    expect(workflow.jobs[job]['timeout-minutes'] * 60_000).toBeGreaterThan(
      parseDuration(step.with['wait-timeout']),
    );
    expect(workflow.jobs[job]['timeout-minutes']).toBeLessThanOrEqual(HOSTED_JOB_LIMIT_MINUTES);
  });

  it('detach-and-collect.yml: starts with wait: false, passes job-id as a job output, a needing job waits for it', async () => {
    const { full, workflow, steps } = example('detach-and-collect.yml');
    const start = steps.find((s) => String(s.step.with?.wait) === 'false')!;
    expect(start).toBeDefined();
    expect(workflow.jobs[start.job].outputs['job-id']).toBe(`\${{ steps.${start.step.id}.outputs.job-id }}`);
    const collect = steps.find((s) => s.step.with?.mode === 'wait')!;
    expect(collect.step.with['job-id']).toBe(`\${{ needs.${start.job}.outputs.job-id }}`);
    const { jobs } = await convertedWorkflow(full);
    const collectJob = jobs.find((j) => j.id.value === collect.job)!;
    expect(collectJob.needs?.map((n) => n.value)).toContain(start.job);
    expect(workflow.jobs[collect.job].outputs['fine-tuned-model']).toBe(
      `\${{ steps.${collect.step.id}.outputs.fine-tuned-model }}`,
    );
  });

  it('manage-job.yml: a dispatch with job-id and a cancel/pause/resume choice, used as the mode', async () => {
    const { full, steps } = example('manage-job.yml');
    const { events } = await convertedWorkflow(full);
    const inputs = events.workflow_dispatch?.inputs ?? {};
    expect(inputs['job-id']).toMatchObject({ type: 'string', required: true });
    expect(inputs['action']).toMatchObject({ type: 'choice', options: ['cancel', 'pause', 'resume'] });
    expect(steps).toHaveLength(1);
    expect(steps[0]!.step.with.mode).toBe('${{ inputs.action }}');
    const printed = expressionsIn(read(full)).flatMap((e) => refs(e, 'steps').map((r) => r.output));
    expect(printed).toEqual(expect.arrayContaining(['initial-status', 'final-status']));
  });

  it('plan-and-train.yml: plans on a pull request with the comment permission, trains on a push to main with the same settings', () => {
    const workflow = parseYaml(read(path.join(EXAMPLES, 'plan-and-train.yml'))) as Record<string, any>;
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push']);
    const plan = workflow.jobs.plan;
    const train = workflow.jobs.train;
    expect(plan.if).toBe("github.event_name == 'pull_request'");
    expect(plan.permissions['pull-requests']).toBe('write');
    expect(train.if).toBe("github.event_name == 'push'");
    const planStep = plan.steps.find((s: any) => isThisAction(s.uses));
    const trainStep = train.steps.find((s: any) => isThisAction(s.uses));
    expect(planStep.with.mode).toBe('plan');
    expect(trainStep.with.mode ?? 'fine-tune').toBe('fine-tune');
    // The plan compares with the models the training step makes only if both train the same way.
    for (const key of ['model', 'training-file', 'hyperparameters', 'skip-if-unchanged']) {
      expect(planStep.with[key], key).toBe(trainStep.with[key]);
    }
  });

  it('matrix.yml: fine-tunes a matrix of models and gathers every leg into one summary table', () => {
    const { workflow, steps, content } = example('matrix.yml');
    const [leg] = steps;
    const legJob = workflow.jobs[leg!.job];
    expect(legJob.strategy['fail-fast']).toBe(false);
    expect(legJob.strategy.matrix.model.length).toBeGreaterThan(1);
    expect(leg!.step.with.model).toBe('${{ matrix.model }}');
    expect(legJob.steps.some((s: any) => String(s.uses).startsWith('actions/upload-artifact@'))).toBe(true);
    const gather = Object.values<any>(workflow.jobs).find((j) => [j.needs].flat().includes(leg!.job));
    const download = gather.steps.find((s: any) => String(s.uses).startsWith('actions/download-artifact@'));
    expect(download.with['merge-multiple']).toBe(true);
    expect(content).toContain('$GITHUB_STEP_SUMMARY');
  });
});

describe('action.yml', () => {
  it("passes the runner's action.yml schema (GitHub's parseAction)", () => {
    expect(actionSchemaErrors(ACTION_TEXT)).toEqual([]);
    const parsed = parseAction({ name: 'action.yml', content: ACTION_TEXT }, new NoOperationTraceWriter());
    const action = convertActionTemplate(parsed.context, parsed.value!);
    expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' });
    expect(new Set(action.inputs?.map((i) => i.id))).toEqual(ACTION.inputs);
    expect(new Set(action.outputs?.map((o) => o.id))).toEqual(ACTION.outputs);
  });

  it('runs on node24 from files under dist/, describes every input and output, and has string defaults', () => {
    expect(actionMetadataProblems(ACTION_TEXT, ROOT)).toEqual([]);
  });

  // The Marketplace shows the description and cuts it at 125 characters.
  it('its description fits the Marketplace and names every mode the action takes', () => {
    const { description } = parseYaml(ACTION_TEXT) as { description: string };
    expect(description.length).toBeLessThanOrEqual(125);
    const modes = new Set([
      ...ACTION_MODES,
      ...(existsSync(INTERFACE) ? contractModes(read(INTERFACE)) : []),
    ]);
    expect([...modes].filter((mode) => !namesWord(description, mode))).toEqual([]);
  });

  it.skipIf(!existsSync(INTERFACE))(
    "reads the modes from the contract's table (../shared/interface.md)",
    () => {
      expect(contractModes(read(INTERFACE))).toEqual(expect.arrayContaining([...ACTION_MODES]));
    },
  );

  it("the metadata input counts the pairs left beside the action's own tags, as the code does", () => {
    const { inputs } = parseYaml(ACTION_TEXT) as { inputs: Record<string, { description: string }> };
    const text = inputs.metadata!.description;
    // The API holds 16 pairs per job; src/inputs/config.ts allows 16 - TAG_COUNT of the user's.
    expect(text).toContain(`at most ${16 - TAG_COUNT} pairs`);
    expect(text).toContain(`${TAG_COUNT} tags`);
  });
});

// ---------------------------------------------------------------------------------------------
// The checks above can fail: each mistake below is reported, and the same text without it is not.

describe('the checks catch mistakes', () => {
  const GOOD = `name: t
on:
  workflow_dispatch:
    inputs:
      what:
        type: choice
        options: [cancel, pause]
permissions: {}
jobs:
  start:
    runs-on: ubuntu-latest
    timeout-minutes: 360
    outputs:
      job-id: \${{ steps.ft.outputs.job-id }}
    steps:
      - uses: your-org/openai-fine-tune-action@v1
        id: ft
        with:
          model: gpt-4o-mini-2024-07-18
          training-file: data/train.jsonl
          wait-timeout: 1h30m
          on-timeout: cancel
      - if: steps.ft.outputs.reused == 'false'
        run: echo "\${{ steps.ft.outputs.fine-tuned-model }}"
  manage:
    needs: start
    runs-on: ubuntu-latest
    steps:
      - uses: ./
        with:
          mode: \${{ inputs.what }}
          job-id: \${{ needs.start.outputs.job-id }}
`;
  const swap = (from: string, to: string) => {
    expect(GOOD).toContain(from);
    return GOOD.replace(from, to);
  };

  it('the unchanged text passes every check', async () => {
    expect(await workflowErrors('good.yml', GOOD)).toEqual([]);
    expect(usageProblems('good.yml', GOOD)).toEqual([]);
  });

  it('reports a workflow_dispatch input without a description', () => {
    expect(undescribedInputs('w.yml', GOOD)).toEqual([
      'w.yml: workflow_dispatch input what has no description',
    ]);
    expect(
      undescribedInputs('w.yml', swap('      what:\n', '      what:\n        description: What to do\n')),
    ).toEqual([]);
  });

  it("GitHub's parser reports a misspelled key, a broken expression, an unknown context and a bad cron", async () => {
    expect(await workflowErrors('w.yml', swap('timeout-minutes: 360', 'timeout-minute: 360'))).toEqual([
      expect.stringContaining("Unexpected value 'timeout-minute'"),
    ]);
    expect(await workflowErrors('w.yml', swap("reused == 'false'", 'reused =='))).toEqual([
      expect.stringContaining('Unexpected end of expression'),
    ]);
    expect(
      await workflowErrors('w.yml', swap('${{ steps.ft.outputs.job-id }}', '${{ step.ft.outputs.job-id }}')),
    ).toEqual([expect.stringContaining("Unrecognized named-value: 'step'")]);
    expect(
      await workflowErrors(
        'w.yml',
        swap('  workflow_dispatch:\n', "  schedule:\n    - cron: '0 3 * *'\n  workflow_dispatch:\n"),
      ),
    ).toEqual([expect.stringContaining('Invalid cron expression')]);
    expect(await workflowErrors('w.yml', swap('needs: start', 'needs: strat'))).not.toEqual([]);
  });

  it('reports an input that action.yml does not declare', () => {
    expect(usageProblems('w.yml', swap('training-file:', 'trainig-file:'))).toEqual([
      'w.yml: jobs.start.steps[0] (ft): with.trainig-file is not an input in action.yml',
      'w.yml: jobs.start.steps[0] (ft): mode fine-tune needs with.training-file',
    ]);
  });

  it('reports an output that action.yml does not declare, read from a step or through a job output', () => {
    expect(usageProblems('w.yml', swap('outputs.fine-tuned-model', 'outputs.fine-tuned-modle'))).toEqual([
      'w.yml: jobs.start.steps[1]: steps.ft.outputs.fine-tuned-modle is not an output in action.yml',
    ]);
    expect(
      usageProblems('w.yml', swap('${{ steps.ft.outputs.job-id }}', '${{ steps.ft.outputs.jobid }}')),
    ).toEqual(['w.yml: jobs.start.outputs.job-id: steps.ft.outputs.jobid is not an output in action.yml']);
    expect(usageProblems('w.yml', swap('needs.start.outputs.job-id', 'needs.start.outputs.id'))).toEqual([
      'w.yml: jobs.manage reads needs.start.outputs.id, not an output of job start',
    ]);
  });

  it('reports a step read before it runs, and a job read without needs', () => {
    expect(
      usageProblems('w.yml', swap('- if: steps.ft.outputs.reused', '- if: steps.later.outputs.reused')),
    ).toEqual(['w.yml: jobs.start.steps[1]: steps.later is not an earlier step of job start']);
    expect(usageProblems('w.yml', swap('    needs: start\n', ''))).toEqual([
      'w.yml: jobs.manage reads needs.start but does not need job start',
    ]);
  });

  it('reports a missing job-id, a value the action rejects, and a job that times out before the action does', () => {
    expect(usageProblems('w.yml', swap('          job-id: ${{ needs.start.outputs.job-id }}\n', ''))).toEqual(
      [
        'w.yml: jobs.manage.steps[0]: mode cancel needs with.job-id',
        'w.yml: jobs.manage.steps[0]: mode pause needs with.job-id',
      ],
    );
    expect(usageProblems('w.yml', swap('on-timeout: cancel', 'on-timeout: abort'))).toEqual([
      "w.yml: jobs.start.steps[0] (ft): on-timeout 'abort' is not one of fail, cancel, continue",
    ]);
    expect(usageProblems('w.yml', swap('wait-timeout: 1h30m', 'wait-timeout: 90 minutes'))).toEqual([
      expect.stringMatching(/^w\.yml: jobs\.start\.steps\[0\] \(ft\): wait-timeout must be a duration/),
    ]);
    expect(usageProblems('w.yml', swap('timeout-minutes: 360', 'timeout-minutes: 60'))).toEqual([
      expect.stringContaining('jobs.start timeout-minutes 60 is not above its wait-timeout (90 minutes)'),
    ]);
    // The default wait-timeout (5h50m) counts when none is given.
    expect(
      usageProblems(
        'w.yml',
        swap('timeout-minutes: 360', 'timeout-minutes: 300').replace('wait-timeout: 1h30m', 'suffix: x'),
      ),
    ).toEqual([
      expect.stringContaining('jobs.start timeout-minutes 300 is not above its wait-timeout (350 minutes)'),
    ]);
  });

  it('reports a third-party action on a tag, a short SHA, or a SHA without its version', () => {
    const PINNED = `jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
      - uses: ./
      - uses: your-org/openai-fine-tune-action@v1
`;
    const pinned = (from: string, to: string) => {
      expect(PINNED).toContain(from);
      return PINNED.replace(from, to);
    };
    expect(unpinnedUses('w.yml', PINNED)).toEqual([]);
    expect(persistedCredentials('w.yml', PINNED)).toEqual([]);
    expect(
      unpinnedUses('w.yml', pinned('@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0', '@v5')),
    ).toEqual([
      'w.yml:5: actions/checkout@v5 is not pinned to a full commit SHA with its version in a comment',
    ]);
    expect(unpinnedUses('w.yml', pinned('08c6903cd8c0fde910a37f88322edcfb5dd907a8', '08c6903'))).toEqual([
      'w.yml:5: actions/checkout@08c6903 is not pinned to a full commit SHA with its version in a comment',
    ]);
    expect(unpinnedUses('w.yml', pinned(' # v5.0.0', ''))).toHaveLength(1);
    // An action on the allow-list of unconfirmed pins may keep its tag.
    expect(
      unpinnedUses(
        'w.yml',
        pinned('@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0', '@v5'),
        new Set(['actions/checkout']),
      ),
    ).toEqual([]);
    // The token stays in .git/config unless the checkout says otherwise; a job that pushes needs it.
    expect(
      persistedCredentials('w.yml', pinned('        with:\n          persist-credentials: false\n', '')),
    ).toEqual(['w.yml: jobs.a.steps[0] checks out without persist-credentials: false and pushes nothing']);
    expect(
      persistedCredentials(
        'w.yml',
        pinned('        with:\n          persist-credentials: false\n', '') + '      - run: git push\n',
      ),
    ).toEqual([]);
  });

  it('reports an action.yml the runner would refuse to load, or with broken metadata', () => {
    const good = `name: t
description: d
inputs:
  key:
    description: The API key; pass a secret.
    default: 'true'
outputs:
  id:
    description: The id.
runs:
  using: node24
  main: dist/index.js
  post: dist/index.js
`;
    expect(actionSchemaErrors(good)).toEqual([]);
    expect(actionMetadataProblems(good, ROOT)).toEqual([]);
    // The runner evaluates ${{ }} in a description and fails to load the action.
    expect(actionSchemaErrors(good.replace('pass a secret.', 'pass ${{ secrets.OPENAI_API_KEY }}.'))).toEqual(
      [expect.stringContaining("Unrecognized named-value: 'secrets'")],
    );
    expect(actionSchemaErrors(good.replace('using: node24', 'using: node99'))).toEqual([
      expect.stringContaining("Unexpected value 'node99'"),
    ]);
    expect(actionSchemaErrors(good.replace('description: d\n', ''))).toEqual([
      expect.stringContaining('Required property is missing: description'),
    ]);
    expect(actionMetadataProblems(good.replace("default: 'true'", 'default: true'), ROOT)).toEqual([
      'input key: default true is not a string',
    ]);
    expect(actionMetadataProblems(good.replace('using: node24', 'using: node20'), ROOT)).toEqual([
      'runs.using is "node20", not node24',
    ]);
    expect(actionMetadataProblems(good.replace('post: dist/index.js', 'post: dist/post.js'), ROOT)).toEqual([
      'runs.post: dist/post.js does not exist',
    ]);
    expect(
      actionMetadataProblems(good.replace('    description: The API key; pass a secret.\n', ''), ROOT),
    ).toEqual(['input key has no description']);
  });
});

describe("the README's workflow snippets", () => {
  // A reader copies these first: each must parse as GitHub would read it, and use only what
  // action.yml declares. A snippet of bare steps is checked inside a one-job workflow.
  const blocks = [...read(path.join(ROOT, 'README.md')).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const workflows = blocks.map((block) =>
    /^jobs:/m.test(block)
      ? block
      : `on: push\njobs:\n  train:\n    runs-on: ubuntu-latest\n    steps:\n${block.replace(/^/gm, '      ')}`,
  );

  it('there are snippets to check', () => expect(workflows.length).toBeGreaterThanOrEqual(3));

  it.each(workflows.map((content, i) => [i + 1, content]))(
    'snippet %i parses, and uses only declared inputs and outputs',
    async (i, content) => {
      expect(await workflowErrors(`README snippet ${i}`, content)).toEqual([]);
      expect(usageProblems(`README snippet ${i}`, content)).toEqual([]);
      expect(unpinnedUses(`README snippet ${i}`, content)).toEqual([]);
      expect(persistedCredentials(`README snippet ${i}`, content)).toEqual([]);
      expect(undescribedInputs(`README snippet ${i}`, content)).toEqual([]);
    },
  );
});
