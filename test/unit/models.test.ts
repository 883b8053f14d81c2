import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODEL_TABLES } from '../../src/facts/models.js';
import {
  methodProblem,
  modelRules,
  nearestModels,
  trainsOnCompletions,
  unknownModelMessage,
} from '../../src/data/models.js';
import { checkExample } from '../../src/data/formats.js';
import { builtInPrice, dollars, tokenCost, trainingPrice } from '../../src/data/prices.js';
import { PROVIDERS } from '../../src/api/provider.js';

describe('the model table', () => {
  it.each([
    // OpenAI's snapshots, their aliases and their fine-tunes train like the snapshot.
    ['openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18', 'o200k_base', 65_536],
    ['openai', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 'o200k_base', 65_536],
    ['openai', 'gpt-4o', 'gpt-4o-2024-08-06', 'o200k_base', 65_536],
    ['openai', 'gpt-4.1', 'gpt-4.1-2025-04-14', 'o200k_base', 65_536],
    ['openai', 'ft:gpt-4.1-2025-04-14:acme:nightly:XyZ789', 'gpt-4.1-2025-04-14', 'o200k_base', 65_536],
    ['openai', 'o4-mini-2025-04-16', 'o4-mini-2025-04-16', 'o200k_base', 65_536],
    ['openai', 'gpt-3.5-turbo', 'gpt-3.5-turbo-0125', 'cl100k_base', 16_385],
    ['openai', 'ft:gpt-3.5-turbo-0125:acme::AbC123', 'gpt-3.5-turbo-0125', 'cl100k_base', 16_385],
    // The oldest gpt-3.5 snapshot trained on 4,096-token examples.
    ['openai', 'gpt-3.5-turbo-0613', 'gpt-3.5-turbo-0613', 'cl100k_base', 4_096],
    ['openai', 'gpt-4-0613', 'gpt-4-0613', 'cl100k_base', 8_192],
    ['openai', 'babbage-002', 'babbage-002', 'cl100k_base', 16_384],
    ['openai', 'ft:davinci-002:acme::AbC123', 'davinci-002', 'cl100k_base', 16_384],
    // Azure's names and Azure's own limits: gpt-4.1-nano trains on 32,768-token examples there.
    ['azure', 'gpt-35-turbo-0125', 'gpt-35-turbo-0125', 'cl100k_base', 16_385],
    ['azure', 'gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano-2025-04-14', 'o200k_base', 32_768],
    [
      'azure',
      'gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef',
      'gpt-4o-mini-2024-07-18',
      'o200k_base',
      65_536,
    ],
    // A gateway in front of OpenAI: OpenAI's names are known there.
    ['compatible', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18', 'o200k_base', 65_536],
  ] as const)('%s %s: row %s, %s, %i tokens', (provider, model, row, encoding, limit) => {
    const rules = modelRules(model, provider);
    expect(rules.info?.name).toBe(row);
    expect(rules).toMatchObject({ encoding, exampleTokens: limit, approximate: false });
  });

  it('gives every row a source', () => {
    for (const provider of PROVIDERS) {
      for (const row of MODEL_TABLES[provider]) expect(row.source).toMatch(/^https:\/\//);
    }
  });

  it('knows which models train on prompt/completion lines', () => {
    expect(trainsOnCompletions('babbage-002')).toBe(true);
    expect(trainsOnCompletions('ft:davinci-002:acme::x')).toBe(true);
    expect(trainsOnCompletions('gpt-4o-mini-2024-07-18')).toBe(false);
    expect(trainsOnCompletions('davinci-003')).toBe(false);
  });
});

describe('a model the table does not know', () => {
  it('is counted approximately, without a hard size limit, and the warning names the snapshot it is likely a misspelling of', () => {
    const rules = modelRules('gpt-4o-mini-2024-07-19', 'openai');
    expect(rules).toMatchObject({ approximate: true, encoding: 'o200k_base', exampleTokens: 65_536 });
    expect(rules.info).toBeUndefined();
    expect(nearestModels('gpt-4o-mini-2024-07-19', 'openai')).toEqual(['gpt-4o-mini-2024-07-18']);
    expect(unknownModelMessage(rules)).toBe(
      "gpt-4o-mini-2024-07-19 is not a model OpenAI fine-tunes, as far as this action knows; did you mean gpt-4o-mini-2024-07-18? Its token counts are approximate (counted as OpenAI's o200k_base counts) and an example over 65,536 tokens is a warning, not an error.",
    );
  });

  it.each([
    // Letters swapped, dropped or added: the same model, misspelt.
    ['openai', 'gpt-4o-mnii', ['gpt-4o-mini-2024-07-18']],
    ['openai', 'gpt4o-mini', ['gpt-4o-mini-2024-07-18']],
    ['openai', 'GPT-4o-Mini', ['gpt-4o-mini-2024-07-18']],
    ['openai', 'gtp-4o', ['gpt-4o-2024-08-06']],
    ['openai', 'davinci-02', ['davinci-002']],
    ['azure', 'gpt-4.1-mnii', ['gpt-4.1-mini-2025-04-14']],
    // Each provider's own spelling of the family.
    ['openai', 'gpt-35-turbo', ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-0613']],
    ['azure', 'gpt-3.5-turbo-0125', ['gpt-35-turbo-0125', 'gpt-35-turbo-1106', 'gpt-35-turbo-0613']],
    // Another version is another model, however close its spelling.
    ['openai', 'gpt-5-mini', []],
    ['openai', 'o3-mini', []],
    ['compatible', 'meta-llama/Llama-3.1-8B-Instruct', []],
  ] as const)('%s: %s is likely a misspelling of %j', (provider, model, expected) => {
    expect(nearestModels(model, provider)).toEqual(expected);
  });

  it('names the one it is likely a misspelling of, else every model the provider fine-tunes', () => {
    expect(unknownModelMessage(modelRules('gpt-4o-mnii', 'openai'))).toMatch(
      /^gpt-4o-mnii is not a model OpenAI fine-tunes, as far as this action knows; did you mean gpt-4o-mini-2024-07-18\? /,
    );
    const names = MODEL_TABLES.openai.map((row) => row.name).join(', ');
    expect(unknownModelMessage(modelRules('gpt-5-mini', 'openai'))).toMatch(
      new RegExp(
        `^gpt-5-mini is not a model OpenAI fine-tunes, as far as this action knows; OpenAI fine-tunes ${names.replace(/\./g, '\\.')}\\. Its token counts`,
      ),
    );
  });

  it("names Azure's table on Azure", () => {
    const message = unknownModelMessage(modelRules('gpt-35-turbo-0301', 'azure'));
    expect(message).toMatch(
      /^gpt-35-turbo-0301 is not a model Azure OpenAI fine-tunes, as far as this action knows; did you mean one of gpt-35-turbo-0125, gpt-35-turbo-1106, gpt-35-turbo-0613\? /,
    );
  });

  it("at a compatible provider, points an open model nowhere and a near miss to OpenAI's name", () => {
    expect(unknownModelMessage(modelRules('meta-llama/Llama-3.1-8B-Instruct', 'compatible'))).toBe(
      "meta-llama/Llama-3.1-8B-Instruct is not one of OpenAI's models this action knows, so token counts are approximate (counted as OpenAI's o200k_base counts) and an example over 65,536 tokens is a warning, not an error.",
    );
    expect(unknownModelMessage(modelRules('gpt-4o-mini-2024-07-1', 'compatible'))).toContain(
      "If you meant one of OpenAI's: gpt-4o-mini-2024-07-18",
    );
  });

  it('says nothing of a known one', () => {
    expect(unknownModelMessage(modelRules('gpt-4.1-mini', 'openai'))).toBeUndefined();
  });
});

describe('images per example', () => {
  it("are the provider's: OpenAI's 10, Azure's 64, none for a model without vision", () => {
    expect(modelRules('gpt-4o-2024-08-06', 'openai').imagesPerExample).toBe(10);
    expect(modelRules('gpt-4o-2024-08-06', 'azure').imagesPerExample).toBe(64);
    expect(modelRules('gpt-4o-mini-2024-07-18', 'openai').imagesPerExample).toBe(0);
    // A model not in the table: its images are the provider's to refuse, up to the provider's limit.
    expect(modelRules('gpt-5-2026-01-01', 'openai').imagesPerExample).toBe(10);
  });

  it('let an Azure example hold 11 images, which OpenAI refuses', () => {
    const part = { type: 'image_url', image_url: { url: 'https://example.com/a.png' } };
    const example = {
      messages: [
        { role: 'user', content: Array.from({ length: 11 }, () => part) },
        { role: 'assistant', content: 'Eleven.' },
      ],
    };
    const errors = (provider: 'openai' | 'azure') =>
      checkExample(
        'supervised',
        example,
        [],
        'gpt-4o-2024-08-06',
        modelRules('gpt-4o-2024-08-06', provider).imagesPerExample,
      ).errors;
    expect(errors('openai')).toEqual(['holds 11 images; an example may hold at most 10']);
    expect(errors('azure')).toEqual([]);
  });
});

describe('method x model', () => {
  it.each([
    ['openai', 'o4-mini-2025-04-16', 'dpo'],
    ['openai', 'o4-mini-2025-04-16', 'supervised'],
    ['openai', 'gpt-4o-mini-2024-07-18', 'reinforcement'],
    ['openai', 'gpt-3.5-turbo-0125', 'dpo'],
    ['openai', 'babbage-002', 'dpo'],
    ['azure', 'gpt-4o-mini-2024-07-18', 'dpo'],
    ['azure', 'gpt-4.1-nano-2025-04-14', 'dpo'],
  ] as const)('%s refuses %s with %s', (provider, model, method) => {
    expect(methodProblem(modelRules(model, provider), method)).toMatch(
      new RegExp(`^${method} is not available for ${model.replace(/\./g, '\\.')} on `),
    );
  });

  it.each([
    ['openai', 'gpt-4o-mini-2024-07-18', 'dpo'],
    ['openai', 'gpt-4.1-nano-2025-04-14', 'dpo'],
    ['openai', 'o4-mini-2025-04-16', 'reinforcement'],
    ['azure', 'gpt-4.1-mini-2025-04-14', 'dpo'],
    ['azure', 'o4-mini-2025-04-16', 'reinforcement'],
    // Not in the table: the provider's to refuse, not the action's.
    ['openai', 'gpt-5-mini-2026-01-01', 'reinforcement'],
    ['compatible', 'meta-llama/Llama-3.1-8B-Instruct', 'dpo'],
  ] as const)('%s takes %s with %s', (provider, model, method) => {
    expect(methodProblem(modelRules(model, provider), method)).toBeUndefined();
  });
});

describe('prices', () => {
  it("builds in OpenAI's token prices and the hourly rate of reinforcement, with their source", () => {
    expect(builtInPrice(modelRules('gpt-4o-mini', 'openai'))).toEqual({
      price: { perMillionTokens: 3 },
      source: expect.stringMatching(/^https:\/\/openai\.com\/api\/pricing\/.*checked \d{4}-\d{2}-\d{2}$/),
    });
    expect(builtInPrice(modelRules('o4-mini-2025-04-16', 'openai'))?.price).toEqual({ perHour: 100 });
    expect(builtInPrice(modelRules('o4-mini-2025-04-16', 'azure'))?.source).toContain('learn.microsoft.com');
  });

  it("has no price for Azure's tokens, a compatible provider's, or a model not in the table", () => {
    expect(builtInPrice(modelRules('gpt-4o-mini-2024-07-18', 'azure'))).toBeUndefined();
    expect(builtInPrice(modelRules('gpt-4o-mini-2024-07-18', 'compatible'))).toBeUndefined();
    expect(builtInPrice(modelRules('gpt-4o-mini-2024-07-19', 'openai'))).toBeUndefined();
  });

  it('takes the price-per-million-tokens input over the table', () => {
    expect(trainingPrice(modelRules('gpt-4o-mini', 'openai'), 2.5)).toEqual({
      price: { perMillionTokens: 2.5 },
      source: 'the price-per-million-tokens input',
    });
    expect(trainingPrice(modelRules('gpt-4o-mini', 'azure'), 3.3)?.price).toEqual({ perMillionTokens: 3.3 });
  });

  it('prices billed tokens in dollars and cents', () => {
    expect(tokenCost(1_500_000, 3)).toBe(4.5);
    expect(tokenCost(333_333, 25)).toBe(8.33);
    expect(dollars(1234.5)).toBe('$1,234.50');
  });
});

describe("docs/models.md's tables", () => {
  const page = readFileSync(path.join(import.meta.dirname, '../../docs/models.md'), 'utf8');
  const rows = (heading: string) => {
    const section = page.slice(page.indexOf(heading));
    const table = section.slice(section.indexOf('\n|')).split('\n\n')[0];
    return table
      .split('\n')
      .filter((line) => line.startsWith('|') && !line.startsWith('| ---') && !line.startsWith('| model'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
  };
  const snapshots = (cell: string) => [...cell.matchAll(/`([\w.-]+-\d{4}-\d{2}-\d{2})`/g)].map((m) => m[1]);

  it('show the built-in prices', () => {
    const shownModels = rows('## Prices').flatMap(([models]) => snapshots(models));
    expect(shownModels.length).toBeGreaterThanOrEqual(6);
    for (const [models, openai] of rows('## Prices')) {
      for (const model of snapshots(models)) {
        const price = builtInPrice(modelRules(model, 'openai'))?.price;
        const shown = Number(/\$([\d.]+)/.exec(openai)![1]);
        expect(price, model).toEqual(
          openai.includes('hour') ? { perHour: shown } : { perMillionTokens: shown },
        );
      }
    }
  });

  it("show OpenAI's model table", () => {
    expect(rows('## Models').length).toBeGreaterThanOrEqual(6);
    for (const [models, encoding, limit, methods, images] of rows('## Models')) {
      for (const model of snapshots(models)) {
        const rules = modelRules(model, 'openai');
        expect(rules.encoding, model).toBe(encoding);
        expect(rules.exampleTokens, model).toBe(Number(limit.replace(/,/g, '')));
        expect(rules.info?.methods.join(', '), model).toBe(methods);
        expect(rules.info?.vision ? 'yes' : 'no', model).toBe(images);
      }
    }
  });
});
