import type { ChatCompletionContentPartImage } from 'openai/resources/chat/completions';
import { code } from '../github/markdown.js';

// What an image part of a fine-tuning example costs, and whether the API takes it.
//
// The rules, from OpenAI's vision fine-tuning guide
// (https://developers.openai.com/api/docs/guides/vision-fine-tuning, "Image data requirements"):
// at most 10 images per example, each at most 10 MB, in JPEG, PNG or WEBP, given as an HTTP URL or
// a base64 data URL; no image as the assistant's output. That only a user message may hold one is
// the Chat Completions API's rule (the SDK's message types give system, developer, tool and
// assistant content no image part), which the guide's data format follows. Azure's guide
// (https://learn.microsoft.com/azure/foundry/openai/how-to/fine-tuning-vision) allows more images
// per example: the limit is the provider's (data/models.ts).

type Json = Record<string, unknown>;
type Detail = NonNullable<ChatCompletionContentPartImage.ImageURL['detail']>;

/**
 * 10 MB in the guide, read as MiB: the larger of the two readings, so that no image the API would
 * take is refused here.
 */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
// The levels the fine-tuning guides name; the SDK's type also has `original`, which they do not.
const DETAILS: readonly Detail[] = ['low', 'high', 'auto'];
const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
type ImageFormat = 'JPEG' | 'PNG' | 'WEBP';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface DataUrl {
  mediaType: string;
  payload: string;
}

function parseDataUrl(url: string): DataUrl | undefined {
  const comma = url.indexOf(',');
  const header = comma === -1 ? '' : url.slice(5, comma);
  const [mediaType, ...parameters] = header.split(';');
  if (!url.startsWith('data:') || !parameters.includes('base64')) return undefined;
  return { mediaType: mediaType.toLowerCase(), payload: url.slice(comma + 1) };
}

/** The decoded size of base64 text, worked out without decoding it. */
function decodedBytes(payload: string): number {
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return Math.floor((payload.length * 3) / 4) - padding;
}

/**
 * `length` bytes of the image from byte `offset`, decoded from only the base64 that holds them: a
 * header is read without decoding the megabytes after it.
 */
function bytesAt(payload: string, offset: number, length: number): Buffer {
  const start = Math.floor(offset / 3) * 4;
  const end = Math.ceil((offset + length) / 3) * 4;
  const skip = offset % 3;
  return Buffer.from(payload.slice(start, end), 'base64').subarray(skip, skip + length);
}

function formatOf(payload: string): ImageFormat | undefined {
  const head = bytesAt(payload, 0, 12);
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a)
    return 'PNG';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'JPEG';
  if (
    head.length >= 12 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'WEBP';
  return undefined;
}

interface Size {
  width: number;
  height: number;
}

/** A JPEG's size, from its first start-of-frame segment, reached by hopping from segment to segment. */
function jpegSize(payload: string): Size | undefined {
  let offset = 2;
  // A bound on the hops: a broken file must not make the check loop.
  for (let hop = 0; hop < 1_000; hop += 1) {
    const marker = bytesAt(payload, offset, 9);
    if (marker.length < 4 || marker[0] !== 0xff) return undefined;
    const type = marker[1];
    if (type === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    // Markers that stand alone, with no length after them.
    if (type === 0x01 || (type >= 0xd0 && type <= 0xd8)) {
      offset += 2;
      continue;
    }
    // Start-of-frame markers; C4 (huffman tables), C8 (reserved) and CC (arithmetic coding) are not.
    if (type >= 0xc0 && type <= 0xcf && type !== 0xc4 && type !== 0xc8 && type !== 0xcc) {
      if (marker.length < 9) return undefined;
      return { height: marker.readUInt16BE(5), width: marker.readUInt16BE(7) };
    }
    offset += 2 + marker.readUInt16BE(2);
  }
  return undefined;
}

function webpSize(payload: string): Size | undefined {
  const chunk = bytesAt(payload, 12, 18);
  if (chunk.length < 18) return undefined;
  const kind = chunk.toString('latin1', 0, 4);
  if (kind === 'VP8 ')
    return { width: chunk.readUInt16LE(14) & 0x3fff, height: chunk.readUInt16LE(16) & 0x3fff };
  if (kind === 'VP8L') {
    const bits = chunk.readUInt32LE(9);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (kind === 'VP8X') return { width: chunk.readUIntLE(12, 3) + 1, height: chunk.readUIntLE(15, 3) + 1 };
  return undefined;
}

/** An image's width and height, read from the header at the start of its base64. */
export function imageSize(payload: string): Size | undefined {
  const format = formatOf(payload);
  if (format === 'PNG') {
    const ihdr = bytesAt(payload, 16, 8);
    return ihdr.length < 8 ? undefined : { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4) };
  }
  if (format === 'JPEG') return jpegSize(payload);
  if (format === 'WEBP') return webpSize(payload);
  return undefined;
}

/**
 * Checks one `image_url` part of a user message (`at`: its path, `messages[1].content[0]`); the
 * role and the count per example are checked by the caller.
 */
export function checkImagePart(part: Json, at: string, errors: string[]): void {
  const image = part['image_url'];
  if (!isObject(image)) {
    errors.push(`${at}.image_url must be an object with a url`);
    return;
  }
  const url = image['url'];
  const detail = image['detail'];
  if (detail !== undefined && !(DETAILS as readonly unknown[]).includes(detail)) {
    // A value is quoted only when it is not a list or object, which may nest too deep to print.
    const given = typeof detail !== 'object' || detail === null ? code(JSON.stringify(detail)) : 'an object';
    errors.push(`${at}.image_url.detail must be low, high or auto, not ${given}`);
  }
  if (typeof url !== 'string') {
    errors.push(`${at}.image_url.url ${url === undefined ? 'is missing' : 'must be a string'}`);
    return;
  }
  if (!url.startsWith('data:')) {
    // The guide says HTTP URLs; that plain http is refused is not documented, so it is taken.
    if (!/^https?:\/\/./i.test(url) || !URL.canParse(url))
      errors.push(`${at}.image_url.url must be an http(s) URL or a data URL (data:image/png;base64,...)`);
    return;
  }
  const data = parseDataUrl(url);
  if (!data) {
    errors.push(`${at}.image_url.url must be a base64 data URL (data:image/png;base64,...)`);
    return;
  }
  if (!MEDIA_TYPES.has(data.mediaType)) {
    errors.push(
      `${at} is ${data.mediaType ? code(data.mediaType) : 'not an image'}; the API takes JPEG, PNG and WEBP images`,
    );
    return;
  }
  const bytes = decodedBytes(data.payload);
  if (bytes > MAX_IMAGE_BYTES) {
    errors.push(`${at} is an image of ${(bytes / (1024 * 1024)).toFixed(1)} MB; the API takes at most 10 MB`);
    return;
  }
  if (formatOf(data.payload) === undefined)
    errors.push(`${at} is not a JPEG, PNG or WEBP image (its data does not start like one)`);
}

/** The size assumed for an image whose size is not known here (at a remote URL): a stated guess. */
const ASSUMED_SIZE: Size = { width: 1024, height: 1024 };

// The tile rule of OpenAI's vision pricing for the gpt-4o family
// (https://platform.openai.com/docs/guides/vision#calculating-costs): a low-detail image costs 85
// tokens; a high-detail one is scaled to fit 2048x2048, then so that its shortest side is 768 px
// (only ever down), and costs 170 tokens per 512 px tile it spans, plus 85. gpt-4.1 bills images
// the same way as measured by users of the API
// (https://community.openai.com/t/vision-more-than-one-way-to-send-a-request-undocumented-and-different-pricing-realized/1262691);
// OpenAI's guide does not say so.
const LOW_DETAIL_TOKENS = 85;
const TILE_TOKENS = 170;
const TILE = 512;

/** Python's round (to even on a tie), which the scaling matches as users have measured it. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (rest !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

function highDetailTokens({ width, height }: Size): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w = roundHalfEven(w * fit);
  h = roundHalfEven(h * fit);
  const shorten = Math.min(1, 768 / Math.min(w, h));
  w = roundHalfEven(w * shorten);
  h = roundHalfEven(h * shorten);
  return TILE_TOKENS * Math.ceil(w / TILE) * Math.ceil(h / TILE) + LOW_DETAIL_TOKENS;
}

/**
 * The tokens of a valid image part, and whether its size had to be assumed. `auto` lets the API
 * choose the detail; it is counted as high, so that the estimate errs on the side of the bill.
 */
export function imageTokens(part: Json): { tokens: number; assumed: boolean } {
  const image = part['image_url'] as Json;
  if (image['detail'] === 'low') return { tokens: LOW_DETAIL_TOKENS, assumed: false };
  const data = parseDataUrl(image['url'] as string);
  const size = data && imageSize(data.payload);
  return { tokens: highDetailTokens(size ?? ASSUMED_SIZE), assumed: size === undefined };
}

/** `12 images (3 at remote URLs counted as 1024x1024, high detail)`, or '' for a file without any. */
export function describeImages(images: number, assumed: number): string {
  if (images === 0) return '';
  const guess =
    assumed > 0
      ? ` (${assumed.toLocaleString('en-US')} at remote URLs counted as ${ASSUMED_SIZE.width}x${ASSUMED_SIZE.height}, high detail)`
      : '';
  return `${images.toLocaleString('en-US')} ${images === 1 ? 'image' : 'images'}${guess}`;
}
