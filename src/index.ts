import * as core from '@actions/core';
import { JobClient } from './client.js';
import { readConfig } from './config.js';
import { describeError } from './errors.js';
import { cancel } from './modes/cancel.js';
import { fineTune } from './modes/fine-tune.js';
import { writeOutputs } from './report/outputs.js';
import { newRecord } from './report/record.js';
import { writeSummary } from './report/summary.js';

// Entry point: inputs become one typed config, the mode does its work through the job client,
// then outputs and the summary are written from what the mode recorded, on success or failure.
async function main(): Promise<void> {
  const startedAt = Date.now();
  const record = newRecord(startedAt);
  let failure: string | undefined;
  try {
    const config = readConfig();
    record.mode = config.mode;
    const client = new JobClient(config.connection);
    if (config.mode === 'cancel') {
      await cancel(config, client, record);
    } else {
      await fineTune(config, client, record, { deadline: startedAt + config.waiting.timeoutMs });
    }
  } catch (error) {
    failure = describeError(error);
  }
  writeOutputs(record);
  try {
    await writeSummary(record, failure);
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
  if (failure) core.setFailed(failure);
}

await main();
