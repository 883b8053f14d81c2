import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { connect as connectTo, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type LocalApi } from '../../server/index.ts';
import { selfSignedCertificate } from '../../server/tls.ts';
import { apiCall, closeLocalApi, connect, EXAMPLE, startLocalApi, untilStatus } from './local-api.ts';
import { runAction } from '../../tools/run-action.ts';

// The committed bundle, run as the runner runs it, against the local API.

let api: LocalApi;
beforeEach(async () => {
  api = await startLocalApi();
});
afterEach(() => closeLocalApi(api));

const data = { 'data/train.jsonl': EXAMPLE('train.jsonl'), 'data/valid.jsonl': EXAMPLE('valid.jsonl') };
const fast = { 'poll-interval': '100ms', 'max-poll-interval': '400ms' };

/** A fine-tune run of the example data against `target` (the test's local API unless given). */
function fineTune(
  inputs: Record<string, string> = {},
  { target = api, env = {} }: { target?: LocalApi; env?: Record<string, string> } = {},
) {
  return runAction({
    files: data,
    inputs: {
      ...connect(target),
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      ...fast,
      ...inputs,
    },
    env,
  });
}

describe('fine-tune, end to end', () => {
  it('trains a supervised job to success and writes every output and the summary', async () => {
    const run = await fineTune({
      'validation-file': 'data/valid.jsonl',
      hyperparameters: '{n_epochs: 2, batch_size: auto}',
      suffix: 'e2e',
      seed: '7',
    });
    expect(run.log).not.toContain('::error::');
    expect(run.code).toBe(0);

    const job = JSON.parse(run.outputs.job) as FineTuningJob;
    expect(run.outputs['job-id']).toMatch(/^ftjob-/);
    expect(job.id).toBe(run.outputs['job-id']);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['fine-tuned-model']).toMatch(/^ft:gpt-4o-mini-2024-07-18:.*:e2e:/);
    expect(Number(run.outputs['trained-tokens'])).toBeGreaterThan(0);
    expect(run.outputs['trained-tokens']).toBe(String(job.trained_tokens));
    expect(run.outputs['training-file-id']).toBe(job.training_file);
    expect(run.outputs['validation-file-id']).toBe(job.validation_file);
    expect(run.outputs['result-file-id']).toBe(job.result_files[0]);
    expect(job.seed).toBe(7);
    expect(job.method?.supervised?.hyperparameters?.n_epochs).toBe(2);

    expect(api.count('POST', '/files')).toBe(2);
    expect(api.count('POST', '/fine_tuning/jobs')).toBe(1);
    const created = api.requests.find((r) => r.method === 'POST' && r.route === '/fine_tuning/jobs');
    expect(created?.body).toMatchObject({
      model: 'gpt-4o-mini-2024-07-18',
      suffix: 'e2e',
      seed: 7,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2, batch_size: 'auto' } } },
    });

    // Events are logged once each, in order.
    expect(run.log.match(/Fine-tuning job started/g)).toHaveLength(1);
    expect(run.log.indexOf('Validating training file')).toBeLessThan(
      run.log.indexOf('Fine-tuning job started'),
    );
    expect(run.log).toContain('The job has successfully completed');

    expect(run.summary).toContain('## ✅ Fine-tuning job: succeeded');
    expect(run.summary).toContain(`| Fine-tuned model | \`${run.outputs['fine-tuned-model']}\` |`);
    expect(run.summary).toContain('| n_epochs | 2 |');
    expect(run.summary).toMatch(/\| batch_size \| \d+ \|/);
  });

  it('trains a dpo job with a validation file', async () => {
    const run = await runAction({
      files: { 'dpo/train.jsonl': EXAMPLE('dpo-train.jsonl'), 'dpo/valid.jsonl': EXAMPLE('dpo-valid.jsonl') },
      inputs: {
        ...connect(api),
        ...fast,
        model: 'gpt-4o-2024-08-06',
        method: 'dpo',
        'training-file': 'dpo/train.jsonl',
        'validation-file': 'dpo/valid.jsonl',
        hyperparameters: '{"beta": 0.2}',
      },
    });
    expect(run.code).toBe(0);
    const job = JSON.parse(run.outputs.job) as FineTuningJob;
    expect(job.method?.type).toBe('dpo');
    expect(job.method?.dpo?.hyperparameters?.beta).toBe(0.2);
    expect(job.validation_file).toBe(run.outputs['validation-file-id']);
    expect(run.outputs['fine-tuned-model']).toMatch(/^ft:gpt-4o-2024-08-06:/);
  });

  it('fails the step with the job error when the job fails, and still outputs the job id', async () => {
    api.setJobPlan({
      outcome: 'failed',
      error: {
        code: 'invalid_training_file',
        message: 'Example 3 has no assistant message',
        param: 'training_file',
      },
    });
    const run = await fineTune();
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      `::error::Fine-tuning job ${run.outputs['job-id']} failed: [invalid_training_file] Example 3 has no assistant message (param: training_file)`,
    );
    expect(run.outputs).toMatchObject({ status: 'failed', 'fine-tuned-model': '', 'trained-tokens': '' });
    expect(run.outputs['job-id']).toMatch(/^ftjob-/);
    expect(run.summary).toContain('### Why it failed');
    expect(run.summary).toContain('Example 3 has no assistant message');
  });

  it('fails the step when someone else cancels the job', async () => {
    api.setJobPlan({ runningMs: 20_000 });
    const run = await runAction({
      files: data,
      inputs: {
        ...connect(api),
        ...fast,
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': 'data/train.jsonl',
      },
      started: async () => {
        for (let i = 0; i < 400 && api.jobs().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
        const id = api.jobs()[0].id;
        await untilStatus(api, id, 'running');
        await apiCall(api, 'POST', `/fine_tuning/jobs/${id}/cancel`);
      },
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      `::error::Fine-tuning job ${run.outputs['job-id']} was cancelled before it finished`,
    );
    expect(run.outputs.status).toBe('cancelled');
  });

  it('returns as soon as the job exists when wait is false', async () => {
    api.setJobPlan({ runningMs: 60_000 });
    const run = await fineTune({ wait: 'false' });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('validating_files');
    expect(run.outputs['job-id']).toBe(api.jobs()[0].id);
    expect(api.count('GET', '/fine_tuning/jobs/{fine_tuning_job_id}')).toBe(0);
  });

  it('fails with the API message for a wrong key, and never shows the key', async () => {
    const key = 'sk-wrong-key-0123456789abcdef';
    const run = await fineTune({ 'api-key': key });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(/::error::HTTP 401 \(invalid_api_key\): Incorrect API key provided/);
    // The runner consumes ::add-mask:: itself and never shows it; everything else must lack the key.
    const shown = run.log.replace(/^::add-mask::.*$/m, '');
    expect(shown).not.toContain(key);
    expect(JSON.stringify(run.outputs) + run.summary).not.toContain(key);
    expect(api.count('POST', '/fine_tuning/jobs')).toBe(0);
  });

  it('says in the log why an unreachable endpoint gets no answer, at every retry, and in the error', async () => {
    // A port that was free a moment ago: nothing listens there, so every connection is refused.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runAction({
      inputs: {
        'api-key': api.apiKey,
        'base-url': `http://127.0.0.1:${port}/v1`,
        mode: 'wait',
        'job-id': 'ftjob-abc123',
        'wait-timeout': '3s',
      },
    });
    expect(run.code).toBe(1);
    const retries = run.log.match(
      /^No answer from 127\.0\.0\.1:\d+ \(connect ECONNREFUSED .*\); trying again/gm,
    );
    expect(retries?.length).toBeGreaterThanOrEqual(2);
    expect(run.log).toMatch(
      /::error::wait-timeout \(3s\) ran out while the API gave no answer: connect ECONNREFUSED/,
    );
  });

  it('rejects bad input before sending any request', async () => {
    const run = await fineTune({ hyperparameters: '{n_epochs: 99}' });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      "::error::Input 'hyperparameters' key 'n_epochs' must be auto or a whole number at least 1 and at most 50, got number 99",
    );
    expect(api.requests).toEqual([]);
  });
});

describe("the base model's retirement, through the bundle", () => {
  // Models whose warning names the same dates on every day from the table's check on (the
  // retirement unit tests walk three years of days), so these runs never start failing.
  const warningOf = (log: string) =>
    log.split(/\r?\n/).find((line) => line.startsWith('::warning title=Model retirement::'));

  it('warns of gpt-4o-mini on OpenAI with 2027-01-06 and 2027-01-14 before the upload, and outputs the day', async () => {
    const run = await fineTune({ wait: 'false' });
    expect(run.code).toBe(0);
    const warning = warningOf(run.log);
    expect(warning).toMatch(/^::warning title=Model retirement::gpt-4o-mini-2024-07-18 /);
    expect(warning).toContain('2027-01-06');
    expect(warning).toContain('2027-01-14');
    expect(run.log.indexOf(warning!)).toBeLessThan(run.log.indexOf('::group::Upload'));
    expect(run.outputs['model-retires-on']).toBe('2027-01-14');
    expect(run.summary).toMatch(
      /\| Model stops serving \| 2027-01-14 \(OpenAI's schedule, checked \d{4}-\d{2}-\d{2}\) \|/,
    );
  });

  it('warns of gpt-3.5-turbo-0125 with 2026-10-23, and still sends the job: the provider decides', async () => {
    const run = await fineTune({ model: 'gpt-3.5-turbo-0125', wait: 'false' });
    expect(run.code).toBe(0);
    const warning = warningOf(run.log);
    expect(warning).toMatch(/^::warning title=Model retirement::gpt-3\.5-turbo-0125 is retired: /);
    expect(warning).toContain('2026-10-23');
    expect(run.outputs['model-retires-on']).toBe('2026-10-23');
    // The local API, like OpenAI before the shutdown, still takes the model.
    expect(api.jobs().map((job) => job.model)).toEqual(['gpt-3.5-turbo-0125']);
  });
});

describe('fine-tune over HTTPS, as against the real API', () => {
  it('trains to success over HTTPS when the certificate is trusted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-'));
    const certificate = await selfSignedCertificate(dir);
    const tlsApi = await startServer({
      tls: certificate,
      fileProcessingMs: 50,
      jobPlan: { validatingMs: 150, queuedMs: 150, runningMs: 600 },
    });
    try {
      expect(tlsApi.url).toMatch(/^https:/);
      const run = await fineTune({}, { target: tlsApi, env: { NODE_EXTRA_CA_CERTS: certificate.certFile } });
      expect(run.log).not.toContain('::error::');
      expect(run.code).toBe(0);
      expect(run.outputs['fine-tuned-model']).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
      expect(tlsApi.requests.some((r) => r.method === 'POST' && r.route === '/files')).toBe(true);
    } finally {
      await closeLocalApi(tlsApi);
    }
  });
});

describe('fine-tune behind a proxy, as on a self-hosted runner', () => {
  it('sends every request through HTTP_PROXY when NODE_USE_ENV_PROXY is set (Node 24)', async () => {
    const tunnels: Array<{ sent: string }> = [];
    // The request lines that went through the tunnels. One may follow a body straight after its
    // last byte, so they are looked for anywhere (the test's data holds no such line).
    const forwarded = () =>
      tunnels.flatMap(({ sent }) =>
        [...sent.matchAll(/\b(GET|POST|DELETE) (\/v1\/[^\s?]*)\S* HTTP\/1\.1\r\n/g)].map(
          (m) => `${m[1]} ${m[2]}`,
        ),
      );
    // A forward proxy, as a self-hosted runner's network has: Node's fetch opens a CONNECT tunnel
    // through it (for http targets too), and the requests travel inside, read here as they pass.
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connectTo(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      const tunnel = { sent: head.toString('latin1') };
      tunnels.push(tunnel);
      client.on('data', (chunk: Buffer) => (tunnel.sent += chunk.toString('latin1')));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const run = await fineTune(
        {},
        {
          env: {
            NODE_USE_ENV_PROXY: '1',
            HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
          },
        },
      );
      expect(run.log).not.toContain('::error::');
      expect(run.code).toBe(0);
      expect(api.requests.length).toBeGreaterThan(5);
      // Sorted: requests sent together (the summary's) may reach the two logs in either order.
      expect(forwarded().sort()).toEqual(api.requests.map((r) => `${r.method} /v1${r.path}`).sort());
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
