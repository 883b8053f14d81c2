import type { Provider } from '../facts/providers.js';
import { RETIREMENTS_CHECKED } from '../facts/retirements.js';
import { serverPage } from '../github/context.js';
import { code } from '../github/markdown.js';
import type { DataCommit } from './record.js';

export const PROVIDER_NAMES: Record<Provider, string> = {
  openai: 'OpenAI',
  azure: 'Azure OpenAI',
  compatible: 'a compatible provider',
};

/** The day a fine-tuned model stops serving, with whose schedule says so and when it was read. */
export function stopsServing(date: string, provider: Provider | undefined): string {
  const whose = provider ? `${PROVIDER_NAMES[provider]}'s schedule` : 'the schedule';
  return `${date} (${whose}, checked ${RETIREMENTS_CHECKED})`;
}

/** `1h 2m 3s` style, for people reading a summary or a log. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** A commit, as a link to it on the GitHub server when its repository is a well-formed `owner/name`. */
export function commitLink(commit: DataCommit | undefined): string | undefined {
  if (!commit) return undefined;
  const shown = code(commit.sha.slice(0, 12));
  const parts = commit.repository.split('/');
  if (parts.length !== 2 || !parts.every((part) => /^[\w.-]+$/.test(part))) return shown;
  const [owner, name] = parts.map(encodeURIComponent);
  return `[${shown}](${serverPage(`${owner}/${name}/commit/${commit.sha}`)})`;
}
