// The entrypoint `npm run local-action` gives @github/local-action: src/main.ts's run(), with the
// step's outcome as the exit code. local-action stubs @actions/core, whose setFailed then records
// the failure only in local-action's own state, and the process would exit 0 after a failed step.
import { run as main } from '../src/main.ts';

export async function run(): Promise<void> {
  if (!(await main())) process.exitCode = 1;
}
