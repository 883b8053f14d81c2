// What an attacker's text must never become: a workflow command on a log line, or Markdown that
// GitHub acts on. Shared by the unit tests of the helpers and the end-to-end tests of the bundle.

/** The pull request's attack of issue 18: a team ping, a tracking image, raw HTML, a closing tag, a heading. */
export const ATTACK = '@org/team ![x](https://tracker.example/p.png) <img src=x> </details>\r## Heading';

/** Every line the runner would read as a workflow command (`::` after spaces, or the old `##[` anywhere). */
export const commandLines = (text: string): string[] =>
  text.split(/\r\n|\r|\n/).filter((line) => /^\s*::|##\[/.test(line));

/**
 * What of `markdown` lies outside code spans (CommonMark: a run of N backticks opens a span that
 * the next run of exactly N closes; an unclosed run is text).
 */
export function outsideCode(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const run = /^`+/.exec(markdown.slice(i))?.[0];
    if (!run) {
      out += markdown[i++];
      continue;
    }
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = i + run.length;
    const end = close.exec(markdown);
    if (!end) {
      out += run;
      i += run.length;
    } else i = end.index + run.length;
  }
  return out;
}

/** The parts of ATTACK that GitHub would act on, found outside code in `markdown`. */
export function markup(markdown: string): string[] {
  const outside = outsideCode(markdown);
  return [/@org/, /!\[/, /<img/, /<\/details>/, /(^|[\r\n])\s*#+ Heading/]
    .filter((re) => re.test(outside))
    .map(String);
}
