import { describe, expect, it } from 'vitest';
import { logText, visible } from '../../src/github/log.js';
import { cell, code, QUOTED_CHARS } from '../../src/github/markdown.js';
import { checkExample } from '../../src/data/formats.js';
import { renderPlan, type PlanReport } from '../../src/report/plan.js';
import { renderSummary } from '../../src/report/summary.js';
import { newRecord } from '../../src/report/record.js';
import { makeEvent, succeededJob } from '../helpers/jobs.js';
import { ATTACK, commandLines, markup } from '../helpers/outside-text.js';

describe('logText: outside text on a log line', () => {
  it('keeps a newline and a workflow command on the line, visibly', () => {
    const tag = 'octo/run\n::stop-commands::x\r\n::warning::owned';
    const line = `Unchanged since ftjob-1 (${logText(tag)})`;
    expect(commandLines(line)).toEqual([]);
    expect(line).toBe('Unchanged since ftjob-1 (octo/run\\n::stop-commands::x\\r\\n::warning::owned)');
  });

  it('neutralises a command at the start of the text, and the old ##[ form anywhere', () => {
    expect(commandLines(logText('  ::add-mask::x'))).toEqual([]);
    expect(commandLines(logText('done ##[warning]x'))).toEqual([]);
    expect(logText('\u0007\u001b[31m\u2028')).toBe('\\u0007\\u001b[31m\\u2028');
  });

  it('controls: text without control characters or commands is left as it is', () => {
    expect(logText('ft:gpt-4o-mini:org::abc (succeeded)')).toBe('ft:gpt-4o-mini:org::abc (succeeded)');
    expect(commandLines('::warning::x')).toHaveLength(1);
    expect(commandLines('a ##[group]x')).toHaveLength(1);
  });
});

describe('code: an outside value in Markdown', () => {
  it('shows the issue’s attack as one inline code span, with no markup outside it', () => {
    const quoted = code(ATTACK);
    expect(quoted).toBe(
      '`@org/team ![x](https://tracker.example/p.png) <img src=x> </details>\\r## Heading`',
    );
    expect(markup(`role ${quoted}`)).toEqual([]);
    // Control: the same value unquoted is every kind of markup.
    expect(markup(`role ${ATTACK}`)).toHaveLength(5);
  });

  it('fences with more backticks than any run inside, padding a value that starts or ends with one', () => {
    expect(code('a ``b`` c')).toBe('```a ``b`` c```');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('')).toBe('`  `');
    expect(markup(code('`` @org/team ``'))).toEqual([]);
  });

  it('cuts a value at about 200 characters', () => {
    const quoted = code('x'.repeat(5000));
    expect(quoted).toBe(`\`${'x'.repeat(QUOTED_CHARS)}…\``);
  });

  it('keeps | escaped in a table cell, inside code too', () => {
    expect(cell(`not ${code('a|b')}`)).toBe('not `a\\|b`');
  });
});

describe('the attack through the data check into the comment and the summary', () => {
  const line = {
    messages: [
      { role: ATTACK, content: 'hi' },
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ],
  };
  const check = checkExample('supervised', line, [], 'gpt-4o-mini-2024-07-18', 10);

  it('quotes the role in the check’s message', () => {
    expect(check.errors[0]).toContain('not `"@org/team');
    expect(commandLines(check.errors[0])).toEqual([]);
  });

  it('leaves no mention, image, HTML, closing tag or heading outside code in the plan', () => {
    const report = {
      files: [
        {
          given: 'data/train.jsonl',
          input: 'training-file',
          report: { errors: check.errors.map((message) => ({ line: 3, message })), errorCount: 1 },
        },
      ],
    } as unknown as PlanReport;
    const markdown = renderPlan({
      ...report,
      decision: 'invalid',
      model: 'gpt-4o-mini-2024-07-18',
      method: 'supervised',
      provider: 'openai',
    });
    expect(markdown).toContain('| `data/train.jsonl` | 3 | messages[0].role must be one of');
    expect(markup(markdown)).toEqual([]);
  });

  it('leaves none in the summary from an event, a tag, a W&B name or an error', () => {
    const job = succeededJob({
      metadata: { gha_run: ATTACK },
      integrations: [{ type: 'wandb', wandb: { project: ATTACK, name: ATTACK, entity: 'team' } }],
    });
    const record = { ...newRecord(0), job, recentEvents: [makeEvent(ATTACK)], notes: [] };
    const markdown = renderSummary(record, ATTACK);
    expect(markdown).toContain('### Last events');
    expect(markup(markdown)).toEqual([]);
  });
});

describe('visible', () => {
  it('names the common control characters and numbers the rest', () => {
    expect(visible('a\tb\u0000')).toBe('a\\tb\\u0000');
  });
});
