import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));

it('starts from the command line, serves the API and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [CLI, '--api-key', 'sk-cli', '--running-ms', '30'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+\/v1)\napi key: (\S+) .*\nprovider: (\S+) /.exec(
      line.toString(),
    );
    expect(match).not.toBeNull();
    expect(match![2]).toBe('sk-cli');
    // By its address alone, auto would take it for a compatible provider.
    expect(match![3]).toBe('openai');

    const client = new OpenAI({ apiKey: 'sk-cli', baseURL: match![1], maxRetries: 0 });
    await expect(client.models.retrieve('gpt-4o-mini')).resolves.toMatchObject({ id: 'gpt-4o-mini' });
    await expect(
      new OpenAI({ apiKey: 'sk-other', baseURL: match![1], maxRetries: 0 }).models.retrieve('gpt-4o-mini'),
    ).rejects.toMatchObject({ status: 401 });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

it("starts with other teams' jobs and a jobs list that ignores the metadata filter when asked", async () => {
  const child = spawn(process.execPath, [CLI, '--other-teams-jobs', '--ignore-metadata-filter'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const baseURL = /^listening on (\S+)\n/.exec(line.toString())![1];
    const client = new OpenAI({ apiKey: 'sk-local-test', baseURL, maxRetries: 0 });

    const all = (await client.fineTuning.jobs.list({ limit: 100 })).data;
    expect(all.map((job) => job.status).sort()).toEqual(
      [...Array(3).fill('queued'), ...Array(3).fill('running'), ...Array(3).fill('succeeded')].sort(),
    );
    const filtered = await client.fineTuning.jobs.list({ limit: 100, metadata: { team: 'nobody' } });
    expect(filtered.data.map((job) => job.id)).toEqual(all.map((job) => job.id));

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

it('plays Azure OpenAI with --profile azure: /openai/v1, an api-key header, and the Entra and ARM URLs', async () => {
  const child = spawn(process.execPath, [CLI, '--profile', 'azure', '--token-lifetime-s', '60'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const lines = chunk.toString().trim().split('\n');
    const baseURL = /^listening on (http:\/\/127\.0\.0\.1:\d+\/openai\/v1)$/.exec(lines[0])![1];
    const origin = baseURL.replace('/openai/v1', '');
    expect(lines[2]).toMatch(/^provider: azure \(set the action's provider input to azure: /);
    expect(lines.slice(3)).toEqual([
      `entra authority: ${origin} (POST /{tenant}/oauth2/v2.0/token)`,
      `resource manager: ${origin}`,
    ]);
    const client = new OpenAI({
      apiKey: 'unused',
      baseURL,
      maxRetries: 0,
      defaultHeaders: { 'api-key': 'sk-local-test', authorization: null },
    });
    await expect(client.models.retrieve('gpt-4o-mini')).resolves.toMatchObject({ id: 'gpt-4o-mini' });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

it('takes --drop-metadata, --chat-latency and the not-ready and rate-limit faults', async () => {
  const child = spawn(
    process.execPath,
    [
      CLI,
      '--file-processing-ms',
      '0',
      '--drop-metadata',
      '--chat-latency',
      '0.2s',
      '--file-not-ready-attempts',
      '1',
      '--rate-limited',
      '1',
      '--fault-routes',
      '^/chat/',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const baseURL = /^listening on (\S+)\n/.exec(line.toString())![1];
    const client = new OpenAI({ apiKey: 'sk-local-test', baseURL, maxRetries: 0 });
    const ask = () =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });

    await expect(ask()).rejects.toMatchObject({ status: 429 });
    const began = Date.now();
    await expect(ask()).resolves.toMatchObject({ object: 'chat.completion' });
    expect(Date.now() - began).toBeGreaterThanOrEqual(200);

    const file = await client.files.create({
      file: new File(
        ['{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]}\n'],
        'train.jsonl',
      ),
      purpose: 'fine-tune',
    });
    const create = () =>
      client.fineTuning.jobs.create({
        model: 'gpt-4o-mini',
        training_file: file.id,
        metadata: { team: 'x' },
      });
    await expect(create()).rejects.toMatchObject({ status: 400, code: 'file_not_ready' });
    await expect(create()).resolves.toMatchObject({ metadata: null });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

it('refuses a --chat-latency that is no duration', async () => {
  const child = spawn(process.execPath, [CLI, '--chat-latency', 'soon'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, 'exit');
  expect(code).toBe(2);
  expect(stderr).toMatch(/--chat-latency needs a duration such as 200ms or 2s, got 'soon'/);
});
