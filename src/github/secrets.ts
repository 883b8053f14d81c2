import * as core from '@actions/core';

const secrets: string[] = [];

// The API echoes a masked form of a wrong key ("sk-proj-****...abcd"); that is not the key, but it
// is part of it, so it never reaches a log line, an output or the summary either.
const ECHOED_KEY = /\b(sk|sess)-[A-Za-z0-9_-]{0,16}\*{3,}[A-Za-z0-9_-]{0,8}/g;

/** Masks a secret in the runner's log and remembers it, so `redact` removes it from what the runner does not mask. */
export function protectSecret(value: string): void {
  core.setSecret(value);
  secrets.push(value);
}

/** Text that is safe for the log, an output or the summary. */
export function redact(text: string): string {
  let safe = text.replace(ECHOED_KEY, '[redacted key]');
  for (const secret of secrets) safe = safe.split(secret).join('***');
  return safe;
}
