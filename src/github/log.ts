// Text from outside (the API's job fields, metadata, events and errors; values from the
// repository's files) on a line of the runner's log. The runner reads every line it is given for
// workflow commands: one that starts with `::` (after spaces), or holds `##[` anywhere (the old
// form), is a command, so a newline in a tag followed by `::stop-commands::` would switch off the
// log's masking. core.warning, core.error and setFailed escape CR and LF themselves (and put the
// text after a command of their own); core.info, core.debug and group titles print as given.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Control characters (line breaks included) as visible escapes, and `##[` broken up, so that the
 * text stays on its line and holds no command. Shared by the log and the Markdown code spans.
 */
export function visible(text: string): string {
  return text
    .replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/##\[/g, '# #[');
}

/** Outside text made safe for `core.info`, `core.debug` or a group title, wherever it lands on the line. */
export function logText(value: unknown): string {
  return visible(String(value)).replace(/^(\s*):/, '$1\\:');
}
