import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';

// The runner's side of the protocol: inputs from INPUT_* variables, workflow commands on stdout
// (`::error file=...::message`), and the GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files.
//
// Written here instead of taken from @actions/core because @actions/core 3 bundles its OIDC
// client (@actions/http-client with undici and tunnel) and @actions/exec, none of which this
// action calls: measured with `npm run bench`, that megabyte cost every run about 45 ms of start-up
// and 23 MB of memory, a third of each. What is used here is a small, documented text protocol,
// written to the same rules as @actions/core (escaping, random heredoc delimiters).

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
}

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function command(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

/**
 * A delimiter found nowhere in the key or the value, so that the value cannot end its own block
 * early and write other outputs. @actions/core draws a random UUID for this, and the checks it
 * then makes are what keep the block whole; making the same checks while counting up gives the
 * same safety without loading node:crypto, about 4 ms of every start (`npm run bench`).
 */
function delimiterFor(key: string, value: string): string {
  for (let n = 0; ; n++) {
    const delimiter = `ghadelimiter_${n}`;
    if (!key.includes(delimiter) && !value.includes(delimiter)) return delimiter;
  }
}

/** A `name<<delimiter` block, the form that carries any value, newlines included. */
function fileCommand(variable: string, key: string, value: string): boolean {
  const file = process.env[variable];
  if (!file) return false;
  const delimiter = delimiterFor(key, value);
  appendFileSync(file, `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

/** An input as the runner passes it (`INPUT_<NAME>`), trimmed; '' when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** The runner replaces the value with *** in every log line from now on. */
export function setSecret(value: string): void {
  command('add-mask', {}, value);
}

export function setOutput(name: string, value: string): void {
  // Outside the runner (no GITHUB_OUTPUT) the command form still shows the value in the log.
  if (!fileCommand('GITHUB_OUTPUT', name, value)) command('set-output', { name }, value);
}

/** For the post step, which reads it back as STATE_<name>. */
export function saveState(name: string, value: string): void {
  if (!fileCommand('GITHUB_STATE', name, value)) command('save-state', { name }, value);
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

/** Shown only when the run is re-run with debug logging. */
export function debug(message: string): void {
  command('debug', {}, message);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

function annotation(kind: 'error' | 'warning', message: string, properties: AnnotationProperties): void {
  command(kind, { title: properties.title, file: properties.file, line: properties.startLine }, message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  annotation('warning', message, properties);
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  annotation('error', message, properties);
}

/** Fails the step with this message, without ending the process (outputs may still be written). */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Runs `work` inside a collapsible group of the log, closing it whatever happens. */
export async function group<T>(name: string, work: () => Promise<T>): Promise<T> {
  command('group', {}, name);
  try {
    return await work();
  } finally {
    command('endgroup', {}, '');
  }
}

/** Adds Markdown to the job summary; outside the runner there is none, and nothing is written. */
export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown, 'utf8');
}
