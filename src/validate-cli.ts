import { validateCommand } from './cli/validate.js';

// The entry of dist/validate/ (`npm run validate -- train.jsonl`): the command lives in
// cli/validate.ts, where tests call it in-process.
process.exitCode = await validateCommand(process.argv.slice(2));
