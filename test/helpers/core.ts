import type * as Core from '@actions/core';
import { vi } from 'vitest';

// A stand-in for @actions/core, as GitHub's actions/typescript-action template mocks it: inputs
// come from a map, state is kept in another (what the main step saves, the post step reads), and
// every other function is a spy. Use it with
//   vi.mock('@actions/core', () => import('../helpers/core.js'));
// and import it as `* as core` to set inputs and read what the action did.

/** The step's `with:` inputs; unset inputs read as '', as the runner passes them. */
export const inputs = new Map<string, string>();
/** The runner's GITHUB_STATE between the main and the post step. */
export const state = new Map<string, string>();

export const getInput = vi.fn<typeof Core.getInput>((name) => inputs.get(name) ?? '');
export const getState = vi.fn<typeof Core.getState>((name) => state.get(name) ?? '');
export const saveState = vi.fn<typeof Core.saveState>((name, value) => {
  state.set(name, String(value));
});
export const setOutput = vi.fn<typeof Core.setOutput>();
export const setFailed = vi.fn<typeof Core.setFailed>();
export const setSecret = vi.fn<typeof Core.setSecret>();
export const debug = vi.fn<typeof Core.debug>();
export const info = vi.fn<typeof Core.info>();
export const notice = vi.fn<typeof Core.notice>();
export const warning = vi.fn<typeof Core.warning>();
export const error = vi.fn<typeof Core.error>();
/** The workflow's OIDC token, as the Actions runtime would mint one for keyless sign-in. */
export const getIDToken = vi.fn<typeof Core.getIDToken>(async () => 'github-oidc-token');
export const group = vi.fn(<T>(_name: string, work: () => Promise<T>): Promise<T> => work());

/** The job summary: `addRaw` chains, `write` ends it; `summaryText` is what was written. */
export const summary = {
  addRaw: vi.fn(function (this: unknown, _text: string) {
    return this;
  }),
  write: vi.fn(function (this: unknown) {
    return Promise.resolve(this);
  }),
};
export const summaryText = (): string => summary.addRaw.mock.calls.map(([text]) => text).join('');

/** The value of each output the step set (the last one wins, as for the runner). */
export const outputs = (): Record<string, string> =>
  Object.fromEntries(setOutput.mock.calls.map(([name, value]) => [name, String(value)]));

/** Everything logged with info, warning and error, one entry a line. */
export const logged = (): string[] =>
  [...info.mock.calls, ...warning.mock.calls, ...error.mock.calls].map(([message]) => String(message));

/** A fresh step: no inputs, no state, no calls recorded. */
export function reset(newInputs: Record<string, string> = {}, newState: Record<string, string> = {}): void {
  inputs.clear();
  state.clear();
  for (const [name, value] of Object.entries(newInputs)) inputs.set(name, value);
  for (const [name, value] of Object.entries(newState)) state.set(name, value);
  for (const spy of [getInput, getState, saveState, setOutput, setFailed, setSecret, debug, info, notice]) {
    spy.mockClear();
  }
  for (const spy of [warning, error, group, getIDToken, summary.addRaw, summary.write]) spy.mockClear();
}
