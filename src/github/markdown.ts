import { visible } from './log.js';

// Text from outside in GitHub Markdown (the step summary, the pull-request comment): each value is
// an inline code span, where GitHub makes no mention, link, image, HTML or heading, whatever it
// holds. Written by hand: the span's rules are a few lines of CommonMark, and a Markdown library
// would escape prose, not quote a value.

/** About how long a quoted value may be: enough to recognise it, too short to flood a comment. */
export const QUOTED_CHARS = 200;
/** An error message is quoted whole where it fits: it is what a person acts on. */
export const ERROR_CHARS = 1000;

/**
 * `value` as an inline code span: control characters visible (a line break would end the span's
 * line), cut at `max` characters, fenced by a run of backticks longer than any inside it. Safe on a
 * log line too (it starts with a backtick, and holds no line break).
 */
export function code(value: unknown, max = QUOTED_CHARS): string {
  const chars = [...visible(String(value))];
  const text = chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // CommonMark strips one space from each end of a span that has both; a span that starts or ends
  // with a backtick needs the space to keep it apart from the fence.
  const pad = text === '' || /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Our own text (which may hold code spans of outside values) for one cell of a Markdown table: a
 * `|` splits the cell even inside a code span, so it is escaped, and a line break ends the row.
 */
export function cell(value: unknown): string {
  return String(value)
    .replace(/\|/g, '\\|')
    .replace(/\r\n?|\n/g, ' ');
}
