/**
 * A problem with one input: the step fails before any request that creates or changes anything.
 * Here, in the leaf, because the input reader and the data check (which judges the files the
 * inputs name, and the ceilings set on the estimate) both refuse with it.
 */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string,
  ) {
    super(`Input '${input}' ${problem}`);
    this.name = 'InputError';
  }
}
