import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGithubServer, type GithubServer } from '../../server/github.ts';
import type { LocalApi } from '../../server/index.ts';
import { runAction } from '../../tools/run-action.ts';
import { ATTACK, commandLines, markup } from '../helpers/outside-text.js';
import { closeLocalApi, connect, EXAMPLE, fineTuneExample, startLocalApi } from './local-api.ts';

// Text from someone else, through the bundle (issue 18): a job in the same account that carries
// this workflow's tags, with a run tag and events written to inject workflow commands; and a pull
// request whose data is written to inject markup into the comment and the summary.

const servers: LocalApi[] = [];
const githubs: GithubServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeLocalApi));
  for (const github of githubs.splice(0)) {
    await github.close();
    expect(github.violations).toEqual([]);
  }
});

const INJECTED_RUN =
  'octo-org/models/actions/runs/1/attempts/1\n::stop-commands::x\n::warning::from the run tag';

describe('a job with this workflow’s tags, written to inject workflow commands', () => {
  it('puts no injected command on any line of the step’s log, when reused or followed', async () => {
    const api = await startLocalApi({ runningMs: 200 }, {}, {});
    servers.push(api);
    const first = await fineTuneExample(api, { inputs: { 'skip-if-unchanged': 'true' } });
    expect(first.code).toBe(0);
    const [ours] = api.jobs();
    // Someone with access to the account copies the tags onto a job of their own, on the same upload.
    const forged = api.seedJob({
      status: 'succeeded',
      model: ours.model,
      trainingFile: ours.training_file,
      metadata: { ...ours.metadata, gha_run: INJECTED_RUN },
      createdAt: ours.created_at + 60,
      events: [
        { message: 'Step 1\n::warning::from an event\n::stop-commands::y' },
        { message: '::warning::from an event line of its own' },
        { message: 'done ##[error]old form', level: 'warn' },
      ],
    });

    const reused = await fineTuneExample(api, { inputs: { 'skip-if-unchanged': 'true' } });
    expect(reused.code).toBe(0);
    expect(reused.outputs['job-id']).toBe(forged.id);
    const followed = await runAction({ inputs: { ...connect(api), mode: 'wait', 'job-id': forged.id } });
    expect(followed.code).toBe(0);

    for (const run of [reused, followed]) {
      const injected = commandLines(run.log).filter(
        (line) =>
          /stop-commands|from (the run tag|an event)|old form/.test(line) &&
          !/^::(warning|error)::\[/.test(line),
      );
      expect(injected).toEqual([]);
      expect(run.log).not.toMatch(/^::stop-commands::/m);
    }
    // Control: the text is there, on its line, visibly.
    expect(reused.log).toContain('\\n::stop-commands::x\\n::warning::from the run tag');
    expect(followed.log).toContain('Step 1\\n::warning::from an event\\n::stop-commands::y');
    expect(followed.log).toMatch(/^\[[^\]]+\] \\::warning::from an event line of its own$/m);
  });
});

describe('a pull request whose data is written to inject markup', () => {
  const PULL = 9;
  const marker = '<!-- openai-fine-tune-action:plan:data/plan/plan -->';

  async function planOn(lines: string[]) {
    const api = await startLocalApi({}, {}, {});
    servers.push(api);
    const github = await startGithubServer();
    githubs.push(github);
    const event = path.join(mkdtempSync(path.join(tmpdir(), 'event-')), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: PULL }, number: PULL }));
    const pull = { owner: 'octo-org', repo: 'models', number: PULL };
    // Another workflow's bot comment that echoes the pull request's text, marker included.
    const echo = github.seedComment(pull, `Lint report for this pull request:\n${marker}\nquoted`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    const run = await runAction({
      files: { 'data/train.jsonl': lines.join('\n') + '\n' },
      inputs: {
        ...connect(api),
        mode: 'plan',
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': 'data/train.jsonl',
        'github-token': github.token,
      },
      env: {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_API_URL: github.url,
        GITHUB_WORKFLOW: 'data',
        GITHUB_JOB: 'plan',
        GITHUB_ACTION: 'plan',
      },
    });
    return { run, github, echo };
  }

  it('leaves no mention, image, HTML, closing tag or heading outside code, and another bot’s comment as it was', async () => {
    const lines = EXAMPLE('train.jsonl').trim().split('\n');
    const attacked = JSON.parse(lines[1]) as { messages: Array<{ role: string }> };
    attacked.messages[0].role = ATTACK;
    lines[1] = JSON.stringify(attacked);
    const { run, github, echo } = await planOn(lines);
    expect(run.code).not.toBe(0);
    expect(run.outputs.plan).toBe('invalid');

    const comments = github.comments();
    expect(comments).toHaveLength(2);
    expect(comments[0]).toEqual(echo);
    const body = comments[1].body ?? '';
    expect(body.startsWith(`${marker}\n`)).toBe(true);
    expect(body).toContain('@org/team');
    expect(markup(body)).toEqual([]);
    expect(run.summary).toContain('@org/team');
    expect(markup(run.summary)).toEqual([]);
    // The check's own annotations carry the value escaped on their line; nothing else does.
    const logLines = run.log.split(/\r\n|\r|\n/);
    expect(logLines.filter((line) => /Heading/.test(line) && !/^::error[ :]/.test(line))).toEqual([]);
  });
});
