import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Measured {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the command, from GNU time. */
  maxRssKb: number;
}

/**
 * GNU time as a command prefix, recording the peak resident memory of what it runs; `readMb`
 * reads that figure once the command has ended.
 */
export function peakMemory(): { prefix: string[]; readMb: () => number } {
  const file = path.join(tmpdir(), `rss-${process.pid}-${performance.now()}`);
  return {
    prefix: ['/usr/bin/time', '-f', '%M', '-o', file],
    readMb: () => {
      const kb = Number(readFileSync(file, 'utf8').trim().split('\n').at(-1));
      rmSync(file, { force: true });
      return kb / 1024;
    },
  };
}

/** Runs a command to its end and measures its wall time and peak memory. */
export async function measure(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Measured> {
  const memory = peakMemory();
  const [time, ...timeArgs] = memory.prefix;
  const started = performance.now();
  const child = spawn(time, [...timeArgs, command, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  return { ms, code, stdout, stderr, maxRssKb: memory.readMb() * 1024 };
}

/** The better of `times` runs: the machine's noise only ever slows a run down. */
export async function best(times: number, run: () => Promise<Measured>): Promise<Measured> {
  let fastest: Measured | undefined;
  for (let i = 0; i < times; i++) {
    const result = await run();
    if (result.code !== 0)
      throw new Error(`benchmark command failed (${result.code}): ${result.stderr}${result.stdout}`);
    if (!fastest || result.ms < fastest.ms) fastest = result;
  }
  return fastest!;
}

export interface Figure {
  name: string;
  value: number;
  /** 'min': the value must be at least the target; 'max': at most. */
  target?: { kind: 'min' | 'max'; value: number };
  detail?: string;
}

/** One line per figure, `key=value` pairs a script can read, with the Node version. */
export function report(figure: Figure): boolean {
  const ok =
    !figure.target ||
    (figure.target.kind === 'min'
      ? figure.value >= figure.target.value
      : figure.value <= figure.target.value);
  const target = figure.target
    ? ` target=${figure.target.kind === 'min' ? '>=' : '<='}${figure.target.value} met=${ok ? 'yes' : 'no'}`
    : '';
  const detail = figure.detail ? ` ${figure.detail}` : '';
  console.log(`bench ${figure.name}=${round(figure.value)}${target} node=${process.version}${detail}`);
  return ok;
}

export function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

/** The middle value: one run slowed by the machine moves it less than it moves a mean. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
