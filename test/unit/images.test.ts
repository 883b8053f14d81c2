import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkExample } from '../../src/data/formats.js';
import { describeImages, imageSize } from '../../src/data/images.js';
import { modelRules } from '../../src/data/models.js';
import { exampleSize, exampleTokens } from '../../src/data/tokens.js';
import { validateFile } from '../../src/data/validate.js';
import { validateOptions } from '../helpers/validate.js';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Image headers, built byte by byte: only as much of each file as its size is read from.

function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 6, 0, 0, 0], 16); // 8-bit RGBA; the CRC after it is not read
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

/** A JPEG whose frame header comes after an APP1 segment of `exifBytes`, as a camera's does. */
function jpeg(width: number, height: number, exifBytes = 0): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const app1 = Buffer.alloc(exifBytes === 0 ? 0 : exifBytes + 4);
  if (exifBytes > 0) {
    app1.set([0xff, 0xe1], 0);
    app1.writeUInt16BE(exifBytes + 2, 2);
  }
  const sof = Buffer.from([0xff, 0xc2, 0x00, 0x11, 8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, app1, sof]);
}

function webp(kind: 'VP8 ' | 'VP8L' | 'VP8X', width: number, height: number): Buffer {
  const bytes = Buffer.alloc(30);
  bytes.write('RIFF', 0, 'latin1');
  bytes.write('WEBP', 8, 'latin1');
  bytes.write(kind, 12, 'latin1');
  if (kind === 'VP8 ') {
    bytes.set([0x9d, 0x01, 0x2a], 23);
    bytes.writeUInt16LE(width, 26);
    bytes.writeUInt16LE(height, 28);
  } else if (kind === 'VP8L') {
    bytes[20] = 0x2f;
    bytes.writeUInt32LE(((width - 1) | ((height - 1) << 14)) >>> 0, 21);
  } else {
    bytes.writeUIntLE(width - 1, 24, 3);
    bytes.writeUIntLE(height - 1, 27, 3);
  }
  return bytes;
}

const dataUrl = (bytes: Buffer, type = 'image/png') => `data:${type};base64,${bytes.toString('base64')}`;
const REMOTE = 'https://example.com/cat.png';

const image = (url: unknown, detail?: unknown): Json => ({
  type: 'image_url',
  image_url: detail === undefined ? { url } : { url, detail },
});
const sys = { role: 'system', content: 'Describe the picture.' };
const userWith = (...parts: Json[]) => ({
  role: 'user',
  content: [{ type: 'text', text: 'What is this?' }, ...parts],
});
const bot = { role: 'assistant', content: 'A cat.' };
const chat = (...parts: Json[]): Json => ({ messages: [sys, userWith(...parts), bot] });

const errors = (example: unknown, model?: string, vision?: boolean) =>
  checkExample('supervised', example, [], model, vision === false ? 0 : 10).errors;

// ---------------------------------------------------------------------------------------------
// The rules of OpenAI's vision fine-tuning guide

describe('images: what the API takes', () => {
  it('accepts JPEG, PNG and WEBP images in user messages, at a URL or as data, at any detail', () => {
    const example = chat(
      image(REMOTE),
      image('http://example.com/dog.jpg', 'low'),
      image(dataUrl(png(64, 64)), 'high'),
      image(dataUrl(jpeg(64, 64), 'image/jpeg'), 'auto'),
      image(dataUrl(webp('VP8L', 64, 64), 'image/webp')),
    );
    expect(checkExample('supervised', example, [])).toEqual({
      errors: [],
      warnings: [],
      messages: 3,
      images: 5,
    });
  });

  it.each(['system', 'developer', 'assistant', 'tool'])('rejects an image in a %s message', (role) => {
    const message: Json = { role, content: [image(REMOTE)] };
    if (role === 'tool') message.tool_call_id = 'call_1';
    const example = { messages: [message, { role: 'user', content: 'Hi' }, bot] };
    expect(errors(example)).toEqual([
      'messages[0].content[0] is an image, which only a user message may hold',
    ]);
  });

  it('takes 10 images in an example, not 11', () => {
    const ten = Array.from({ length: 10 }, () => image(REMOTE));
    expect(errors(chat(...ten))).toEqual([]);
    expect(errors(chat(...ten, image(REMOTE)))).toEqual(['holds 11 images; an example may hold at most 10']);
    // Counted across the example's messages, not per message.
    const split = { messages: [userWith(...ten.slice(0, 6)), bot, userWith(...ten.slice(0, 5)), bot] };
    expect(errors(split)).toEqual(['holds 11 images; an example may hold at most 10']);
  });

  it('needs image_url to be an object with a string url', () => {
    expect(errors(chat({ type: 'image_url', image_url: REMOTE }))).toEqual([
      'messages[1].content[1].image_url must be an object with a url',
    ]);
    expect(errors(chat({ type: 'image_url', image_url: { detail: 'low' } }))).toEqual([
      'messages[1].content[1].image_url.url is missing',
    ]);
    expect(errors(chat(image(42)))).toEqual(['messages[1].content[1].image_url.url must be a string']);
  });

  it.each(['ftp://example.com/cat.png', '/images/cat.png', 'cat.png', 'https://'])(
    'rejects the url %s: only http(s) and data URLs',
    (url) => {
      expect(errors(chat(image(url)))).toEqual([
        'messages[1].content[1].image_url.url must be an http(s) URL or a data URL (data:image/png;base64,...)',
      ]);
    },
  );

  it('needs a data URL to be base64', () => {
    expect(errors(chat(image('data:image/png,%89PNG')))).toEqual([
      'messages[1].content[1].image_url.url must be a base64 data URL (data:image/png;base64,...)',
    ]);
  });

  it('takes only JPEG, PNG and WEBP, by the declared type and by the bytes', () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    expect(errors(chat(image(dataUrl(gif, 'image/gif'))))).toEqual([
      'messages[1].content[1] is `image/gif`; the API takes JPEG, PNG and WEBP images',
    ]);
    expect(errors(chat(image(dataUrl(gif, 'image/png'))))).toEqual([
      'messages[1].content[1] is not a JPEG, PNG or WEBP image (its data does not start like one)',
    ]);
  });

  it('rejects an image over 10 MB as a data URL, by its decoded size', () => {
    const header = png(4000, 4000).toString('base64'); // 44 characters, 33 bytes
    const payload = (bytes: number) => header + 'A'.repeat(((bytes - 33) / 3) * 4);
    const limit = 10 * 1024 * 1024 - 1; // a multiple of 3, as the padding-free payload needs
    expect(errors(chat(image(`data:image/png;base64,${payload(limit)}`)))).toEqual([]);
    expect(errors(chat(image(`data:image/png;base64,${payload(limit + 3 * 40_000)}`)))).toEqual([
      'messages[1].content[1] is an image of 10.1 MB; the API takes at most 10 MB',
    ]);
  });

  it('takes detail low, high or auto, and nothing else', () => {
    expect(errors(chat(image(REMOTE, 'medium')))).toEqual([
      'messages[1].content[1].image_url.detail must be low, high or auto, not `"medium"`',
    ]);
    expect(errors(chat(image(REMOTE, null)))).toEqual([
      'messages[1].content[1].image_url.detail must be low, high or auto, not `null`',
    ]);
    expect(errors(chat(image(REMOTE, { level: 'high' })))).toEqual([
      'messages[1].content[1].image_url.detail must be low, high or auto, not an object',
    ]);
  });

  it("checks a dpo input's images the same way, and refuses an image in an output", () => {
    const dpo = (input: Json[], preferred: unknown = 'A cat.') => ({
      input: { messages: [userWith(...input)] },
      preferred_output: [{ role: 'assistant', content: preferred }],
      non_preferred_output: [{ role: 'assistant', content: 'A dog.' }],
    });
    expect(checkExample('dpo', dpo([image(REMOTE)]), []).errors).toEqual([]);
    expect(checkExample('dpo', dpo([image(REMOTE, 'tiny')]), []).errors).toEqual([
      'input.messages[0].content[1].image_url.detail must be low, high or auto, not `"tiny"`',
    ]);
    expect(checkExample('dpo', dpo([], [image(REMOTE)]), []).errors).toEqual([
      'preferred_output[0].content[0] is an image, which only a user message may hold',
    ]);
    expect(checkExample('dpo', dpo([image(REMOTE)]), [], 'gpt-4o-mini-2024-07-18', 0).errors).toEqual([
      'input.messages[0].content[1] is an image, but gpt-4o-mini-2024-07-18 cannot be fine-tuned on images',
    ]);
  });
});

describe('images: which models fine-tune on them', () => {
  it.each([
    ['gpt-4o-2024-08-06', true],
    ['gpt-4.1-2025-04-14', true],
    ['ft:gpt-4o-2024-08-06:acme::abc123', true],
    ['gpt-4.1-2025-04-14.ft-0123abcd', true],
    ['gpt-4o-mini-2024-07-18', false],
    ['gpt-4.1-mini-2025-04-14', false],
    ['gpt-4.1-nano-2025-04-14', false],
    // Not in the table: the provider's to refuse, so the check does not.
    ['gpt-4o-2024-05-13', undefined],
    ['gpt-3.5-turbo-0125', false],
    ['o4-mini-2025-04-16', false],
  ])('%s: %s', (model, vision) => {
    const provider = model.includes('.ft-') ? 'azure' : 'openai';
    expect(modelRules(model, provider).info?.vision).toBe(vision);
  });

  it('refuses an example with an image for a model without vision, naming the first image and the model', () => {
    expect(errors(chat(image(REMOTE), image(REMOTE)), 'gpt-4o-mini-2024-07-18', false)).toEqual([
      'messages[1].content[1] is an image, but gpt-4o-mini-2024-07-18 cannot be fine-tuned on images',
    ]);
    // Text-only data is fine for it.
    expect(
      errors({ messages: [sys, { role: 'user', content: 'Hi' }, bot] }, 'gpt-4o-mini-2024-07-18', false),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// What an image costs

describe('images: sizes from headers', () => {
  it.each([
    ['PNG', png(1920, 1080), { width: 1920, height: 1080 }],
    ['JPEG', jpeg(640, 480), { width: 640, height: 480 }],
    ['JPEG after 64 KB of EXIF', jpeg(4032, 3024, 65_000), { width: 4032, height: 3024 }],
    ['WEBP (lossy, VP8)', webp('VP8 ', 300, 200), { width: 300, height: 200 }],
    ['WEBP (lossless, VP8L)', webp('VP8L', 1000, 600), { width: 1000, height: 600 }],
    ['WEBP (extended, VP8X)', webp('VP8X', 3000, 1000), { width: 3000, height: 1000 }],
  ])('reads a %s', (_, bytes, size) => {
    expect(imageSize(bytes.toString('base64'))).toEqual(size);
  });

  it('reads only the header: a 9 MB image costs no more than a tiny one', () => {
    // Parsed from JSON, as a line is, so that the string is flat, as the check gets it.
    const huge = JSON.parse(
      JSON.stringify(png(800, 600).toString('base64') + 'A'.repeat(12_000_000)),
    ) as string;
    const time = (run: () => void) => {
      const started = performance.now();
      for (let i = 0; i < 20; i += 1) run();
      return performance.now() - started;
    };
    expect(imageSize(huge)).toEqual({ width: 800, height: 600 });
    const header = time(() => imageSize(huge));
    const decode = time(() => Buffer.from(huge, 'base64'));
    expect(header * 100).toBeLessThan(decode);
  });
});

describe('images: tokens', () => {
  const text = { messages: [sys, userWith(), bot] };
  const base = exampleTokens('supervised', text, o200k);
  const cost = (part: Json) => exampleSize('supervised', chat(part), o200k);

  it.each([
    // OpenAI's own examples: 1024x1024 is 4 tiles, 2048x4096 is scaled to 768x1536, 6 tiles.
    ['a 1024x1024 PNG at high detail', image(dataUrl(png(1024, 1024)), 'high'), 170 * 4 + 85],
    ['a 2048x4096 PNG at high detail', image(dataUrl(png(2048, 4096)), 'high'), 170 * 6 + 85],
    ['any image at low detail', image(dataUrl(png(4096, 8192)), 'low'), 85],
    ['auto, counted as high', image(dataUrl(png(2048, 4096)), 'auto'), 170 * 6 + 85],
    ['no detail, counted as high', image(dataUrl(png(2048, 4096))), 170 * 6 + 85],
    ['a small image, never scaled up', image(dataUrl(jpeg(300, 200), 'image/jpeg')), 170 + 85],
    [
      'a 4032x3024 JPEG: 2048x1536, then 1024x768',
      image(dataUrl(jpeg(4032, 3024, 20_000), 'image/jpeg')),
      170 * 4 + 85,
    ],
    [
      'a 1000x600 WEBP: not scaled, 2x2 tiles',
      image(dataUrl(webp('VP8L', 1000, 600), 'image/webp')),
      170 * 4 + 85,
    ],
    [
      'a 3000x1000 WEBP: 2048x683, 4x2 tiles',
      image(dataUrl(webp('VP8X', 3000, 1000), 'image/webp')),
      170 * 8 + 85,
    ],
  ])('counts %s, without the data URL as text', (_, part, tokens) => {
    expect(cost(part)).toEqual({ tokens: base + tokens, sequences: [base + tokens], assumedImageSizes: 0 });
  });

  it('counts an image at a remote URL as 1024x1024 at high detail, and says so; at low detail, as 85', () => {
    expect(cost(image(REMOTE))).toMatchObject({ tokens: base + 765, assumedImageSizes: 1 });
    expect(cost(image(REMOTE, 'auto'))).toMatchObject({ tokens: base + 765, assumedImageSizes: 1 });
    expect(cost(image(REMOTE, 'low'))).toMatchObject({ tokens: base + 85, assumedImageSizes: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
// Whole files

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'images-'));
});
const options = validateOptions;
function write(examples: Json[]): string {
  const file = path.join(dir, `data-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

describe('images: in a file', () => {
  it('counts the images and the ones whose size was assumed, and says so', async () => {
    const examples = [
      chat(image(REMOTE), image(REMOTE, 'low')),
      chat(image(dataUrl(png(1024, 1024)))),
      ...Array.from({ length: 10 }, (_, i) => ({
        messages: [sys, { role: 'user', content: `Hi ${i}` }, bot],
      })),
    ];
    const report = await validateFile(write(examples), options());
    expect(report.errorCount).toBe(0);
    expect(report.images).toBe(3);
    expect(report.assumedImageSizes).toBe(1);
    expect(describeImages(report.images, report.assumedImageSizes)).toBe(
      '3 images (1 at remote URLs counted as 1024x1024, high detail)',
    );
    expect(describeImages(1, 0)).toBe('1 image');
    expect(describeImages(0, 0)).toBe('');
  });

  it('refuses images at their lines for a model without vision', async () => {
    const examples = Array.from({ length: 12 }, (_, i) =>
      i === 4 ? chat(image(REMOTE)) : { messages: [sys, { role: 'user', content: `Hi ${i}` }, bot] },
    );
    const report = await validateFile(
      write(examples),
      options({ model: 'gpt-4o-mini-2024-07-18', imagesPerExample: 0 }),
    );
    expect(report.errors).toEqual([
      {
        line: 5,
        message:
          'messages[1].content[1] is an image, but gpt-4o-mini-2024-07-18 cannot be fine-tuned on images',
      },
    ]);
  });

  it('keeps images out of the sampled rate: a file of long data URLs does not shrink the text estimate', async () => {
    // 1,100 text examples, sampled past the first 1,000; image examples among them, whose lines
    // are long but whose tokens are few.
    const textOnly = (i: number) => ({
      messages: [sys, { role: 'user', content: `Question ${i}: ${'why? '.repeat(20)}` }, bot],
    });
    const big = dataUrl(Buffer.concat([png(512, 512), Buffer.alloc(30_000)]));
    const examples = Array.from({ length: 1_200 }, (_, i) => (i % 10 === 5 ? chat(image(big)) : textOnly(i)));
    const exact = await validateFile(write(examples), options({ exact: true }));
    const sampled = await validateFile(write(examples), options());
    expect(sampled.tokens.exactlyCounted).toBeLessThan(examples.length);
    expect(Math.abs(sampled.tokens.total - exact.tokens.total) / exact.tokens.total).toBeLessThan(0.01);
  });
});

// ---------------------------------------------------------------------------------------------
// Tool definitions, by the cookbook's method

describe('tool definitions', () => {
  // The example of OpenAI's cookbook (How_to_count_tokens_with_tiktoken.ipynb, section 7), which
  // prints 101 prompt tokens for gpt-4o and gpt-4o-mini and 105 for gpt-3.5-turbo and gpt-4, both
  // by its function and as the API counted them.
  const cookbook = {
    messages: [
      {
        role: 'system',
        content: 'You are a helpful assistant that can answer to questions about the weather.',
      },
      { role: 'user', content: "What's the weather like in San Francisco?" },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_current_weather',
          description: 'Get the current weather in a given location',
          parameters: {
            type: 'object',
            properties: {
              location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
              unit: {
                type: 'string',
                description: 'The unit of temperature to return',
                enum: ['celsius', 'fahrenheit'],
              },
            },
            required: ['location'],
          },
        },
      },
    ],
  };

  it("counts the cookbook's example as the API did", () => {
    expect(exampleTokens('supervised', cookbook, o200k, 'o200k_base')).toBe(101);
    expect(exampleTokens('supervised', cookbook, o200k, 'o200k_base')).toBe(101);
    expect(exampleTokens('supervised', cookbook, cl100k, 'cl100k_base')).toBe(105);
    expect(exampleTokens('supervised', cookbook, cl100k, 'cl100k_base')).toBe(105);
    // Its JSON text, as the tools used to be counted, is well above the API's count.
    const messagesOnly = exampleTokens('supervised', { messages: cookbook.messages }, o200k);
    expect(messagesOnly + o200k(JSON.stringify(cookbook.tools))).toBeGreaterThan(101 * 1.15);
  });

  it('counts legacy functions the same way', () => {
    const legacy = { messages: cookbook.messages, functions: cookbook.tools.map((t) => t.function) };
    expect(exampleTokens('supervised', legacy, o200k, 'o200k_base')).toBe(101);
  });

  it('counts what the method does not cover as its JSON text', () => {
    const items = { type: 'array', items: { type: 'string' } };
    const nested = structuredClone(cookbook);
    (nested.tools[0].function.parameters.properties as Json).tags = { ...items, description: 'Tags.' };
    expect(exampleTokens('supervised', nested, o200k)).toBe(
      101 + 3 + o200k('tags:array:Tags') + o200k(JSON.stringify({ items: items.items })),
    );
  });
});
