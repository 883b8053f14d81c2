import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { startGithubServer, type GithubServer } from '../../server/github.ts';
import { runAction, type ActionRun } from '../../tools/run-action.ts';
import { commitFiles, git, newRepository, shallowClone } from '../helpers/git.ts';
import { closeLocalApi, connect, EXAMPLE, startLocalApi } from './local-api.ts';

// mode: plan end to end through the bundle, against the local API (with another team's jobs
// beside ours) and a stand-in for GitHub's issue-comment endpoints checked against GitHub's own
// OpenAPI description. The data lives in a git repository, and each run gets a checkout of one
// commit, as actions/checkout makes by default: the plan reads the last model's data from history.

let api: LocalApi;
let github: GithubServer;
/** The repository on GitHub: main's commits and the pull request's. */
let origin: string;
beforeEach(async () => {
  api = await startLocalApi({}, {}, {});
  github = await startGithubServer();
  origin = newRepository('origin-');
});
afterEach(async () => {
  await closeLocalApi(api);
  await github.close();
  expect(github.violations).toEqual([]);
});

const PULL = 7;
const TRAIN = EXAMPLE('train.jsonl').trim().split('\n');

/** The event a pull_request workflow run gets, as a file the runner would write. */
function pullRequestEvent(): Record<string, string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'event-')), 'event.json');
  writeFileSync(file, JSON.stringify({ pull_request: { number: PULL }, number: PULL }));
  return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: file, GITHUB_API_URL: github.url };
}

/** Requests for the content of the training file a run uploaded (the result file's are the chart's). */
const downloads = (trained: ActionRun) =>
  api.requests.filter(
    (r) => r.method === 'GET' && r.path === `/files/${trained.outputs['training-file-id']}/content`,
  );

/** A new commit of the data in the repository, checked out alone as actions/checkout does. */
function checkout(lines: string[]): string {
  commitFiles(origin, { 'data/train.jsonl': lines.join('\n') + '\n' });
  return shallowClone(origin);
}

/** Trains the first model of the lineage, as the fine-tune step on main would have. */
async function trainOnMain(lines: string[]) {
  const run = await runAction({
    workspace: checkout(lines),
    inputs: {
      ...connect(api),
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      hyperparameters: '{n_epochs: 2}',
      'poll-interval': '100ms',
    },
  });
  expect(run.code).toBe(0);
  expect(run.outputs.commit).toBe(git(origin, 'rev-parse', 'HEAD'));
  return run;
}

function plan(lines: string[], inputs: Record<string, string> = {}, credentials = true) {
  return runAction({
    workspace: checkout(lines),
    inputs: {
      ...(credentials ? connect(api) : { 'base-url': api.url, provider: api.profile }),
      mode: 'plan',
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      hyperparameters: '{n_epochs: 2}',
      'github-token': github.token,
      ...inputs,
    },
    env: { ...pullRequestEvent(), GITHUB_WORKFLOW: 'data', GITHUB_JOB: 'plan', GITHUB_ACTION: 'plan' },
  });
}

/** A pull request's data: the first example's answer changed, the second removed, two new ones. */
function proposed(): string[] {
  const changed = JSON.parse(TRAIN[0]) as { messages: Array<{ role: string; content: string }> };
  changed.messages[changed.messages.length - 1].content = 'A different answer.';
  const added = (n: number) =>
    JSON.stringify({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: `New question ${n}?` },
        { role: 'assistant', content: `New answer ${n}.` },
      ],
    });
  return [JSON.stringify(changed), ...TRAIN.slice(2), added(1), added(2)];
}

describe('plan on a pull request', () => {
  it('creates one comment on the first run, updates it on the next, and compares by example', async () => {
    const trained = await trainOnMain(TRAIN);
    const before = api.requests.length;

    const first = await plan(proposed());
    expect(first.code).toBe(0);
    expect(first.outputs.plan).toBe('train');
    const comments = github.comments();
    expect(comments).toHaveLength(1);
    expect(first.outputs['comment-url']).toBe(comments[0].html_url);
    const body = comments[0].body ?? '';
    expect(body).toContain('### Fine-tuning plan: train');
    expect(body).toContain(`Compared with \`${trained.outputs['job-id']}\``);
    // The last model's data came from its commit, read from history into a checkout that lacked it.
    const sha = trained.outputs.commit;
    expect(trained.summary).toContain(
      `| Data from commit | [\`${sha.slice(0, 12)}\`](https://github.com/octo-org/models/commit/${sha}) |`,
    );
    expect(body).toContain(
      `from commit [\`${sha.slice(0, 12)}\`](https://github.com/octo-org/models/commit/${sha}) ` +
        '(trained by [this run](https://github.com/octo-org/models/actions/runs/424242/attempts/1))',
    );
    expect(body).toContain(
      'Examples: **2 added**, **1 removed**, **1 changed** (the same prompt, another answer)',
    );
    expect(body).toContain(
      `| billed tokens | ${Number(trained.outputs['trained-tokens']).toLocaleString('en-US')} (trained) |`,
    );
    expect(body).toContain(
      `**${Number(first.outputs['estimated-billed-tokens']).toLocaleString('en-US')}** billed tokens`,
    );
    expect(body).toContain(`**$${first.outputs['estimated-cost']}** at $3.00 per million tokens`);
    expect(body).toContain('**train**: the fine-tune step will train a new `gpt-4o-mini-2024-07-18` model');
    // gpt-4o-mini on OpenAI: the same day for both models, and a warning, on every day from now on.
    expect(body).toMatch(
      /The model a merge trains stops serving on 2027-01-14 .*\. The last model, `ft:gpt-4o-mini-2024-07-18:[^`]+`, stops serving on 2027-01-14 /,
    );
    expect(body).toContain('> [!WARNING]\n> gpt-4o-mini-2024-07-18 ');
    // The summary says the same, and where the comment is.
    expect(first.summary).toContain(body.slice(body.indexOf('### Fine-tuning plan')));
    expect(first.summary).toContain(`On the pull request: ${comments[0].html_url}`);

    // Reads only: not one request that creates or changes anything, and no file downloaded.
    expect(api.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(downloads(trained)).toEqual([]);

    const second = await plan(proposed());
    expect(second.code).toBe(0);
    expect(github.comments()).toHaveLength(1);
    expect(github.comments()[0].id).toBe(comments[0].id);
    expect(second.outputs['comment-url']).toBe(comments[0].html_url);
    expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('says skip when skip-if-unchanged would start nothing, and train without it', async () => {
    const trained = await trainOnMain(TRAIN);
    const skip = await plan(TRAIN, { 'skip-if-unchanged': 'true' });
    expect(skip.code).toBe(0);
    expect(skip.outputs.plan).toBe('skip');
    const body = github.comments()[0].body ?? '';
    expect(body).toContain('The data is the same, byte for byte.');
    expect(body).toContain(
      `**skip**: the same model, method and data already trained \`${trained.outputs['fine-tuned-model']}\``,
    );

    const again = await plan(TRAIN);
    expect(again.outputs.plan).toBe('train');
    expect(github.comments()[0].body).toContain(
      'The data is unchanged, but without `skip-if-unchanged` the fine-tune step trains again.',
    );
  });

  it('says plainly when the history no longer has the commit (force-pushed), and still plans', async () => {
    commitFiles(origin, { 'README.md': 'models\n' });
    const trained = await trainOnMain(TRAIN);
    git(origin, 'reset', '--quiet', '--hard', 'HEAD~1');
    git(origin, 'reflog', 'expire', '--expire=now', '--all');
    git(origin, 'gc', '--quiet', '--prune=now');
    const run = await plan(proposed());
    expect(run.code).toBe(0);
    expect(run.outputs.plan).toBe('train');
    const said =
      `the repository's history no longer has commit ${trained.outputs.commit} (force-pushed or squashed away?); ` +
      'and this provider does not hand back files uploaded for fine-tuning';
    expect(github.comments()[0].body).toContain(
      `Its training data could not be read, so examples were not compared: \`${said}\``,
    );
    expect(run.log).toContain(`::warning::The last model's training data could not be read: ${said}`);
    expect(downloads(trained)).toEqual([]);
  });

  it('on Azure, which hands files back, downloads the data of a job that records no commit', async () => {
    await closeLocalApi(api);
    api = await startLocalApi({}, {}, { profile: 'azure' });
    // Trained from a workspace that is no git checkout: the job records no commit.
    const trained = await runAction({
      files: { 'data/train.jsonl': TRAIN.join('\n') + '\n' },
      inputs: {
        ...connect(api),
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': 'data/train.jsonl',
        hyperparameters: '{n_epochs: 2}',
        'poll-interval': '100ms',
      },
    });
    expect(trained.code).toBe(0);
    expect(trained.outputs.commit).toBe('');
    expect(trained.log).toContain(
      'The job records no commit for the training data: it is not in a git checkout',
    );
    const run = await plan(proposed());
    expect(run.code).toBe(0);
    expect(github.comments()[0].body).toContain('Examples: **2 added**, **1 removed**, **1 changed**');
    expect(downloads(trained)).toHaveLength(1);
  });

  it('fails on invalid data, and the comment says which lines and why', async () => {
    const broken = [
      ...TRAIN.slice(0, 3),
      '{"messages": [{"role": "robot", "content": "hi"}]}',
      ...TRAIN.slice(3),
      'not json',
    ];
    const run = await plan(broken);
    expect(run.code).toBe(1);
    expect(run.outputs.plan).toBe('invalid');
    expect(run.outputs['estimated-billed-tokens']).toBe('');
    const body = github.comments()[0].body ?? '';
    expect(body).toContain('### Fine-tuning plan: invalid');
    expect(body).toContain(
      '| `data/train.jsonl` | 4 | messages[0].role must be one of system, developer, user, assistant, tool, not `"robot"` |',
    );
    expect(body).toContain(`| \`data/train.jsonl\` | ${broken.length} | is not valid JSON (unexpected`);
    expect(body).toContain('Nothing would train: the data fails the check');
    expect(run.log).toContain(
      "::error::Input 'training-file' (data/train.jsonl) has 2 problems; the first: line 4",
    );
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('without credentials still plans, and says the comparison was skipped and why', async () => {
    await trainOnMain(TRAIN);
    const before = api.requests.length;
    const run = await plan(proposed(), {}, false);
    expect(run.code).toBe(0);
    expect(run.outputs.plan).toBe('train');
    expect(github.comments()[0].body).toContain(
      'Not compared: no API key or keyless sign-in was available to read earlier jobs (a pull request from a fork gets no secrets).',
    );
    expect(api.requests.length).toBe(before);
  });

  it("compares only with this lineage's own jobs, never another team's", async () => {
    await api.seedOtherTeamsJobs();
    const run = await plan(proposed());
    expect(run.code).toBe(0);
    expect(github.comments()[0].body).toContain(
      'Not compared: no earlier job of this model and method in this repository succeeded.',
    );
  });

  it('keeps the API key and the GitHub token out of every comment, request and log', async () => {
    await trainOnMain(TRAIN);
    const run = await plan(proposed());
    expect(run.code).toBe(0);
    // The runner reads `::add-mask::` lines and shows none of them: everything else is what people see.
    const seen = [
      run.log.replace(/^::add-mask::.*$/gm, ''),
      run.summary,
      JSON.stringify(run.outputs),
      JSON.stringify(github.requests),
      JSON.stringify(github.comments()),
    ];
    for (const text of seen) {
      expect(text).not.toContain(api.apiKey);
      expect(text).not.toContain(github.token);
    }
    // Each was masked for the runner as soon as the action had it.
    expect(run.log).toContain(`::add-mask::${api.apiKey}`);
    expect(run.log).toContain(`::add-mask::${github.token}`);
  });

  it('with a read-only token, as on a fork, warns and still plans in the summary', async () => {
    github.setReadOnly(true);
    const run = await plan(proposed());
    expect(run.code).toBe(0);
    expect(run.outputs['comment-url']).toBe('');
    expect(run.log).toMatch(/::warning title=The plan could not be commented::.*pull-requests: write/);
    expect(run.summary).toContain('### Fine-tuning plan: train');
  });

  it('on Azure, where the server ignores the metadata filter: compares with our model only, and prices with the given price', async () => {
    await closeLocalApi(api);
    api = await startLocalApi({}, {}, { profile: 'azure' });
    await api.seedOtherTeamsJobs();
    const trained = await trainOnMain(TRAIN);
    const unpriced = await plan(proposed());
    expect(unpriced.code).toBe(0);
    expect(unpriced.outputs.provider).toBe('azure');
    expect(unpriced.outputs['estimated-cost']).toBe('');
    let body = github.comments()[0].body ?? '';
    expect(body).toContain('`gpt-4o-mini-2024-07-18`, supervised, on Azure OpenAI');
    expect(body).toContain('no training price is known for this model here (set `price-per-million-tokens`)');
    expect(body).toContain(`Compared with \`${trained.outputs['job-id']}\``);

    const priced = await plan(proposed(), { 'price-per-million-tokens': '3.30' });
    body = github.comments()[0].body ?? '';
    expect(priced.outputs['estimated-cost']).toMatch(/^\d+\.\d\d$/);
    expect(body).toContain(
      `**$${priced.outputs['estimated-cost']}** at $3.30 per million tokens (the price-per-million-tokens input)`,
    );
    expect(body).toContain('Examples: **2 added**, **1 removed**, **1 changed**');
  });

  it('still plans, and says why, when earlier jobs cannot be read', async () => {
    await trainOnMain(TRAIN);
    const run = await plan(proposed(), { 'api-key': 'sk-revoked' });
    expect(run.code).toBe(0);
    expect(run.outputs.plan).toBe('train');
    expect(run.log).toMatch(/::warning::The plan is not compared with the last model: .*401/);
    expect(github.comments()[0].body).toMatch(/Not compared: earlier jobs could not be read \(.*401/);
  });
  it('with eval-file, estimates the evaluation after the training against the last model, and sends nothing', async () => {
    const trained = await trainOnMain(TRAIN);
    commitFiles(origin, {
      'data/train.jsonl': proposed().join('\n') + '\n',
      'data/eval.jsonl': TRAIN.slice(0, 5).join('\n') + '\n',
    });
    const before = api.requests.length;
    const run = await runAction({
      workspace: shallowClone(origin),
      inputs: {
        ...connect(api),
        mode: 'plan',
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': 'data/train.jsonl',
        hyperparameters: '{n_epochs: 2}',
        'eval-file': 'data/eval.jsonl',
        'github-token': github.token,
      },
      env: { ...pullRequestEvent(), GITHUB_WORKFLOW: 'data', GITHUB_JOB: 'plan', GITHUB_ACTION: 'plan' },
    });
    expect(run.code, run.log).toBe(0);
    expect(github.comments()[0].body).toContain('Then the evaluation (`eval-file`): 5 examples, 10 requests');
    expect(run.log).toContain(`The evaluation: 5 examples, 10 requests`);
    expect(trained.outputs['fine-tuned-model']).toMatch(/^ft:/);
    expect(api.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
