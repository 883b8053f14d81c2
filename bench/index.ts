// `npm run bench`: the action's speed and memory against baselines measured in the same run on the
// same machine: for start-up and memory while waiting, a minimal @actions/core action with the same
// SDK (bench/baseline/, bundled here as the action is); for uploads, curl and fixed memory limits.
// One `bench name=value ... target=... met=yes|no` line per figure; the exit code is 1 when a
// target is missed, so a regression shows. Not part of `npm test`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, type Figure } from './measure.ts';
import { benchEvaluation } from './evaluation.ts';
import { benchPolling } from './polling.ts';
import { benchStartup } from './startup.ts';
import { benchUpload } from './upload.ts';
import { benchValidation } from './validation.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = path.join(root, '.bench');
const only = process.argv.slice(2);
const sections: Record<string, () => Promise<Figure[]>> = {
  startup: () => benchStartup(root, dir),
  validation: () => benchValidation(root, dir),
  upload: () => benchUpload(dir),
  polling: () => benchPolling(root, dir),
  evaluation: () => benchEvaluation(root, dir),
};

let missed = 0;
for (const [name, run] of Object.entries(sections)) {
  if (only.length > 0 && !only.includes(name)) continue;
  for (const figure of await run()) if (!report(figure)) missed += 1;
}
process.exitCode = missed > 0 ? 1 : 0;
