import * as core from '@actions/core';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { API_ID } from '../facts/ids.js';

// A note one run attempt leaves for the next attempt of the same run: the id of the job it
// created. Tags on the job do this everywhere the provider keeps job metadata; a gateway that
// drops metadata (LiteLLM's pass-through) leaves nothing on the job to find it by, so the note
// lives in the Actions cache instead, which every attempt of a run can read and none can rewrite
// (a cache key is written once). The cache is scoped to the repository and branch, so only this
// repository's workflows can have written it.

/** What reading the note found: the job an earlier attempt created, nothing, or why it can't be read. */
type JobNote = { jobId: string } | { none: true } | { unreadable: string };

const KEY_PREFIX = 'openai-fine-tune-action-job-';

/**
 * The note's file. The cache keys an entry by its paths as well as its key, so every attempt must
 * name the same path: a fixed place under the runner's temporary folder.
 */
function notePath(intent: string): string {
  const base = process.env.RUNNER_TEMP || os.tmpdir();
  return path.join(base, 'openai-fine-tune-action', `job-${intent}.json`);
}

/** Why the cache cannot be used in this run, or undefined when it can. */
async function unavailable(): Promise<string | undefined> {
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) return 'the Actions cache is not available to this step';
  if (!process.env.ACTIONS_RUNTIME_TOKEN) return 'the runner gave this step no token for the Actions cache';
  return undefined;
}

/** Leaves the note; says what failed rather than throwing, since the job itself is already made. */
export async function leaveJobNote(intent: string, jobId: string): Promise<string | undefined> {
  const why = await unavailable();
  if (why) return why;
  const cache = await import('@actions/cache');
  const file = notePath(intent);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify({ jobId }));
    await cache.saveCache([file], KEY_PREFIX + intent);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await rm(file, { force: true });
  }
}

/** Reads the note an earlier attempt of this run left for this intent. */
export async function readJobNote(intent: string): Promise<JobNote> {
  const why = await unavailable();
  if (why) return { unreadable: why };
  const cache = await import('@actions/cache');
  const file = notePath(intent);
  try {
    const hit = await cache.restoreCache([file], KEY_PREFIX + intent);
    if (hit !== KEY_PREFIX + intent) return { none: true };
    const { jobId } = JSON.parse(await readFile(file, 'utf8')) as { jobId?: unknown };
    if (typeof jobId !== 'string' || !API_ID.test(jobId)) {
      return { unreadable: 'the note held no job id' };
    }
    return { jobId };
  } catch (error) {
    core.debug(`Reading the job note failed: ${error instanceof Error ? error.stack : String(error)}`);
    return { unreadable: error instanceof Error ? error.message : String(error) };
  } finally {
    await rm(file, { force: true });
  }
}
