export const id = 785;
export const ids = [785];
export const modules = {

/***/ 1476:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B4: () => (/* binding */ checkImagePart),
/* harmony export */   Sx: () => (/* binding */ describeImages),
/* harmony export */   em: () => (/* binding */ imageTokens)
/* harmony export */ });
/* unused harmony export imageSize */
/* harmony import */ var _github_markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5566);

/**
 * 10 MB in the guide, read as MiB: the larger of the two readings, so that no image the API would
 * take is refused here.
 */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
// The levels the fine-tuning guides name; the SDK's type also has `original`, which they do not.
const DETAILS = ['low', 'high', 'auto'];
const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
function parseDataUrl(url) {
    const comma = url.indexOf(',');
    const header = comma === -1 ? '' : url.slice(5, comma);
    const [mediaType, ...parameters] = header.split(';');
    if (!url.startsWith('data:') || !parameters.includes('base64'))
        return undefined;
    return { mediaType: mediaType.toLowerCase(), payload: url.slice(comma + 1) };
}
/** The decoded size of base64 text, worked out without decoding it. */
function decodedBytes(payload) {
    const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
    return Math.floor((payload.length * 3) / 4) - padding;
}
/**
 * `length` bytes of the image from byte `offset`, decoded from only the base64 that holds them: a
 * header is read without decoding the megabytes after it.
 */
function bytesAt(payload, offset, length) {
    const start = Math.floor(offset / 3) * 4;
    const end = Math.ceil((offset + length) / 3) * 4;
    const skip = offset % 3;
    return Buffer.from(payload.slice(start, end), 'base64').subarray(skip, skip + length);
}
function formatOf(payload) {
    const head = bytesAt(payload, 0, 12);
    if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a)
        return 'PNG';
    if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
        return 'JPEG';
    if (head.length >= 12 &&
        head.toString('latin1', 0, 4) === 'RIFF' &&
        head.toString('latin1', 8, 12) === 'WEBP')
        return 'WEBP';
    return undefined;
}
/** A JPEG's size, from its first start-of-frame segment, reached by hopping from segment to segment. */
function jpegSize(payload) {
    let offset = 2;
    // A bound on the hops: a broken file must not make the check loop.
    for (let hop = 0; hop < 1_000; hop += 1) {
        const marker = bytesAt(payload, offset, 9);
        if (marker.length < 4 || marker[0] !== 0xff)
            return undefined;
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
            if (marker.length < 9)
                return undefined;
            return { height: marker.readUInt16BE(5), width: marker.readUInt16BE(7) };
        }
        offset += 2 + marker.readUInt16BE(2);
    }
    return undefined;
}
function webpSize(payload) {
    const chunk = bytesAt(payload, 12, 18);
    if (chunk.length < 18)
        return undefined;
    const kind = chunk.toString('latin1', 0, 4);
    if (kind === 'VP8 ')
        return { width: chunk.readUInt16LE(14) & 0x3fff, height: chunk.readUInt16LE(16) & 0x3fff };
    if (kind === 'VP8L') {
        const bits = chunk.readUInt32LE(9);
        return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    if (kind === 'VP8X')
        return { width: chunk.readUIntLE(12, 3) + 1, height: chunk.readUIntLE(15, 3) + 1 };
    return undefined;
}
/** An image's width and height, read from the header at the start of its base64. */
function imageSize(payload) {
    const format = formatOf(payload);
    if (format === 'PNG') {
        const ihdr = bytesAt(payload, 16, 8);
        return ihdr.length < 8 ? undefined : { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4) };
    }
    if (format === 'JPEG')
        return jpegSize(payload);
    if (format === 'WEBP')
        return webpSize(payload);
    return undefined;
}
/**
 * Checks one `image_url` part of a user message (`at`: its path, `messages[1].content[0]`); the
 * role and the count per example are checked by the caller.
 */
function checkImagePart(part, at, errors) {
    const image = part['image_url'];
    if (!isObject(image)) {
        errors.push(`${at}.image_url must be an object with a url`);
        return;
    }
    const url = image['url'];
    const detail = image['detail'];
    if (detail !== undefined && !DETAILS.includes(detail)) {
        // A value is quoted only when it is not a list or object, which may nest too deep to print.
        const given = typeof detail !== 'object' || detail === null ? (0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(JSON.stringify(detail)) : 'an object';
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
        errors.push(`${at} is ${data.mediaType ? (0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .code */ .aY)(data.mediaType) : 'not an image'}; the API takes JPEG, PNG and WEBP images`);
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
const ASSUMED_SIZE = { width: 1024, height: 1024 };
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
function roundHalfEven(value) {
    const floor = Math.floor(value);
    const rest = value - floor;
    if (rest !== 0.5)
        return Math.round(value);
    return floor % 2 === 0 ? floor : floor + 1;
}
function highDetailTokens({ width, height }) {
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
function imageTokens(part) {
    const image = part['image_url'];
    if (image['detail'] === 'low')
        return { tokens: LOW_DETAIL_TOKENS, assumed: false };
    const data = parseDataUrl(image['url']);
    const size = data && imageSize(data.payload);
    return { tokens: highDetailTokens(size ?? ASSUMED_SIZE), assumed: size === undefined };
}
/** `12 images (3 at remote URLs counted as 1024x1024, high detail)`, or '' for a file without any. */
function describeImages(images, assumed) {
    if (images === 0)
        return '';
    const guess = assumed > 0
        ? ` (${assumed.toLocaleString('en-US')} at remote URLs counted as ${ASSUMED_SIZE.width}x${ASSUMED_SIZE.height}, high detail)`
        : '';
    return `${images.toLocaleString('en-US')} ${images === 1 ? 'image' : 'images'}${guess}`;
}


/***/ }),

/***/ 7785:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gw: () => (/* binding */ checkFiles),
  jA: () => (/* binding */ estimate),
  preflight: () => (/* binding */ preflight),
  Q5: () => (/* binding */ refuseInvalid)
});

// UNUSED EXPORTS: annotate, ceilingProblem, dataReport, describeEstimate, epochsReason, validateFiles

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/facts/input-error.ts
var input_error = __webpack_require__(2740);
// EXTERNAL MODULE: ./src/github/markdown.ts
var markdown = __webpack_require__(5566);
// EXTERNAL MODULE: ./src/data/images.ts
var data_images = __webpack_require__(1476);
// EXTERNAL MODULE: ./src/data/models.ts + 1 modules
var models = __webpack_require__(8108);
;// CONCATENATED MODULE: ./src/data/tokens.ts

/**
 * Loads an encoding of OpenAI's (gpt-tokenizer ships them). Imported lazily: the ranks are
 * megabytes that only a run validating local data needs, so other runs start fast.
 */
async function loadTokenizer(name) {
    const encoding = name === 'cl100k_base'
        ? await Promise.all(/* import() */[__webpack_require__.e(626), __webpack_require__.e(79)]).then(__webpack_require__.bind(__webpack_require__, 4079))
        : await Promise.all(/* import() */[__webpack_require__.e(626), __webpack_require__.e(877)]).then(__webpack_require__.bind(__webpack_require__, 3877));
    // The special tokens are refused per line by the check (findSpecialToken) with the line's number;
    // here they count as the text they are, so a count never throws.
    const asText = { disallowedSpecial: new Set() };
    return (text) => encoding.countTokens(text, asText);
}
/**
 * The special tokens of cl100k_base and o200k_base (the same set in both, as gpt-tokenizer ships
 * them). The API refuses an example whose text holds one; the tokenizer would read it as the
 * control token rather than text.
 */
const SPECIAL_TOKENS = [
    '<|endoftext|>',
    '<|fim_prefix|>',
    '<|fim_middle|>',
    '<|fim_suffix|>',
    '<|im_start|>',
    '<|im_end|>',
    '<|im_sep|>',
    '<|endofprompt|>',
];
/**
 * Where a parsed example holds a special token in a string, and which: the first one found, with
 * its path (`messages[1].content`). Walked with an explicit stack: an example may nest deeper than
 * the call stack goes.
 */
function findSpecialToken(example) {
    const stack = [[example, '']];
    while (stack.length > 0) {
        const [value, at] = stack.pop();
        if (typeof value === 'string') {
            if (!value.includes('<|'))
                continue;
            const token = SPECIAL_TOKENS.find((special) => value.includes(special));
            if (token)
                return { path: at, token };
        }
        else if (Array.isArray(value)) {
            for (let i = value.length - 1; i >= 0; i -= 1)
                stack.push([value[i], `${at}[${i}]`]);
        }
        else if (typeof value === 'object' && value !== null) {
            const keys = Object.keys(value);
            for (let i = keys.length - 1; i >= 0; i -= 1) {
                stack.push([value[keys[i]], at ? `${at}.${keys[i]}` : keys[i]]);
            }
        }
    }
    return undefined;
}
class Raw {
    text;
    constructor(text) {
        this.text = text;
    }
}
/**
 * JSON.stringify for parsed JSON that may nest deeper than JSON.stringify's recursion can go (a
 * tool schema thousands of levels deep): the same text, built with an explicit stack then.
 */
function toJson(value) {
    try {
        return JSON.stringify(value);
    }
    catch (error) {
        if (!(error instanceof RangeError))
            throw error;
    }
    const out = [];
    const stack = [value];
    while (stack.length > 0) {
        const item = stack.pop();
        if (item instanceof Raw)
            out.push(item.text);
        else if (Array.isArray(item)) {
            stack.push(new Raw(']'));
            for (let i = item.length - 1; i >= 0; i -= 1) {
                stack.push(item[i]);
                if (i > 0)
                    stack.push(new Raw(','));
            }
            stack.push(new Raw('['));
        }
        else if (typeof item === 'object' && item !== null) {
            const keys = Object.keys(item);
            stack.push(new Raw('}'));
            for (let i = keys.length - 1; i >= 0; i -= 1) {
                stack.push(item[keys[i]]);
                stack.push(new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
            }
            stack.push(new Raw('{'));
        }
        else
            out.push(JSON.stringify(item));
    }
    return out.join('');
}
/**
 * Epochs the API picks for `n_epochs: auto` (the rule OpenAI documents for chat fine-tuning data):
 * 3, raised so that small sets see about 100 examples in all (25 epochs at most), lowered so that
 * large sets see about 25,000 (1 epoch at least).
 */
function autoEpochs(examples) {
    if (examples <= 0)
        return 3;
    if (examples * 3 < 100)
        return Math.min(25, Math.floor(100 / examples));
    if (examples * 3 > 25_000)
        return Math.max(1, Math.floor(25_000 / examples));
    return 3;
}
/** Why `autoEpochs` chose its number, in the words of the same rule. */
function autoEpochsReason(examples) {
    const n = examples.toLocaleString('en-US');
    if (examples > 0 && examples * 3 < 100)
        return `n_epochs auto: raised from 3 so that ${n} examples give about 100 in all`;
    if (examples * 3 > 25_000)
        return `n_epochs auto: lowered from 3 so that ${n} examples give about 25,000 in all`;
    return `n_epochs auto: the API's 3 for ${n} examples`;
}
// Per OpenAI's counting recipe for chat: each message costs 3 tokens of framing, the reply 3 more.
const PER_MESSAGE = 3;
const PER_REPLY = 3;
function contentText(content) {
    if (typeof content === 'string')
        return content;
    if (!Array.isArray(content))
        return '';
    return content
        .map((part) => {
        const text = part?.[part?.['type'] === 'refusal' ? 'refusal' : 'text'];
        return typeof text === 'string' ? text : '';
    })
        .join('');
}
function messagesTokens(messages, count, tally) {
    if (!Array.isArray(messages))
        return 0;
    let total = PER_REPLY;
    for (const message of messages) {
        const content = message?.['content'];
        total += PER_MESSAGE + count(String(message?.['role'] ?? '')) + count(contentText(content));
        // A data URL's text is no token of the example: the image is billed by its size instead.
        if (Array.isArray(content)) {
            for (const part of content) {
                if (part?.['type'] !== 'image_url')
                    continue;
                const image = (0,data_images/* imageTokens */.em)(part);
                total += image.tokens;
                if (image.assumed)
                    tally.assumedImageSizes += 1;
            }
        }
        if (typeof message?.['name'] === 'string')
            total += 1 + count(message['name']);
        if (message?.['tool_calls'] !== undefined)
            total += count(toJson(message['tool_calls']));
        if (message?.['function_call'] !== undefined)
            total += count(toJson(message['function_call']));
    }
    return total;
}
// Function definitions are counted by the method of OpenAI's cookbook, which matches the API's
// prompt_tokens for its example tools (How to count tokens with tiktoken, section 7:
// https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb):
// per function a fixed start plus `name:description`; per property `name:type:description`, each
// enum value, and fixed framing; a fixed end per list. A description loses one final period. The
// start is 7 tokens for the gpt-4o models and 10 for gpt-3.5-turbo and gpt-4: here, by encoding.
// What the method does not cover (a property's nested schema, keywords of the parameters other
// than type, properties and required, a tool that is not a function) is counted as its JSON text,
// which over-counts it rather than under-counting it; that also keeps a schema of any depth
// countable, since toJson never recurses.
const TOOL = { propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 };
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const withoutPeriod = (text) => typeof text !== 'string' ? '' : text.endsWith('.') ? text.slice(0, -1) : text;
const schemaText = (value) => value === undefined ? '' : typeof value === 'string' ? value : toJson(value);
function propertyTokens(name, property, count) {
    if (!isObject(property))
        return TOOL.propKey + count(`${name}::`) + count(toJson(property));
    const { type, description, enum: values, ...rest } = property;
    let total = TOOL.propKey + count(`${name}:${schemaText(type)}:${withoutPeriod(description)}`);
    if (Array.isArray(values)) {
        total += TOOL.enumInit;
        for (const value of values)
            total += TOOL.enumItem + count(schemaText(value));
    }
    if (Object.keys(rest).length > 0)
        total += count(toJson(rest));
    return total;
}
function functionTokens(fn, count, funcInit) {
    if (!isObject(fn) || typeof fn['name'] !== 'string')
        return count(toJson(fn));
    let total = funcInit + count(`${fn['name']}:${withoutPeriod(fn['description'])}`);
    const parameters = fn['parameters'];
    if (!isObject(parameters))
        return parameters === undefined ? total : total + count(toJson(parameters));
    const { type: _type, required: _required, properties, ...rest } = parameters;
    if (isObject(properties)) {
        const names = Object.keys(properties);
        if (names.length > 0)
            total += TOOL.propInit;
        for (const name of names)
            total += propertyTokens(name, properties[name], count);
    }
    else if (properties !== undefined)
        total += count(toJson(properties));
    if (Object.keys(rest).length > 0)
        total += count(toJson(rest));
    return total;
}
/** `tools` (function entries) or legacy `functions` (`asTools` false), by the cookbook's method. */
function toolsTokens(list, asTools, count, encoding) {
    if (!Array.isArray(list))
        return list === undefined ? 0 : count(toJson(list));
    if (list.length === 0)
        return 0;
    const funcInit = encoding === 'cl100k_base' ? 10 : 7;
    let total = TOOL.funcEnd;
    for (const entry of list) {
        if (!asTools)
            total += functionTokens(entry, count, funcInit);
        else if (isObject(entry) && entry['type'] === 'function')
            total += functionTokens(entry['function'], count, funcInit);
        else
            total += count(toJson(entry));
    }
    return total;
}
/**
 * The tokens of one valid example, as billed and as trained. `encoding` picks the framing of tool
 * definitions (see toolsTokens); without it, the gpt-4o models' framing.
 */
function exampleSize(method, example, count, encoding) {
    const tally = { assumedImageSizes: 0 };
    if (method === 'dpo') {
        const input = messagesTokens(example['input']['messages'], count, tally);
        const preferred = messagesTokens(example['preferred_output'], count, tally);
        const rejected = messagesTokens(example['non_preferred_output'], count, tally);
        // Billed as the input and both outputs: OpenAI does not document whether the input is billed
        // once or once per output, and this is the smaller guess.
        return {
            tokens: input + preferred + rejected,
            sequences: [input + preferred, input + rejected],
            ...tally,
        };
    }
    if (!('messages' in example) && typeof example['prompt'] === 'string') {
        const tokens = count(example['prompt']) + count(String(example['completion'] ?? ''));
        return { tokens, sequences: [tokens], ...tally };
    }
    const tokens = messagesTokens(example['messages'], count, tally) +
        toolsTokens(example['tools'], true, count, encoding) +
        toolsTokens(example['functions'], false, count, encoding);
    return { tokens, sequences: [tokens], ...tally };
}
/** The tokens one valid example is billed for. */
function exampleTokens(method, example, count, encoding) {
    return exampleSize(method, example, count, encoding).tokens;
}

;// CONCATENATED MODULE: ./src/data/formats.ts




const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
// Legacy function calling, deprecated for tools but still accepted by the API. Left out of the
// roles an error lists, so that a message with a wrong role is pointed to the current ones.
const LEGACY_ROLES = new Set(['function']);
const PART_TYPES = new Set(['text', 'image_url']);
const formats_isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
function kind(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
/** `images` collects the path of each image part of a user message, for the per-example checks. */
function checkContent(message, at, errors, images) {
    const content = message['content'];
    if (typeof content === 'string')
        return;
    const role = message['role'];
    if (content === null || content === undefined) {
        // Only an assistant message that calls a tool or function may leave its content out; a
        // function message's content is required but may be null.
        if (role === 'assistant' && (Array.isArray(message['tool_calls']) || formats_isObject(message['function_call'])))
            return;
        if (role === 'function' && content === null)
            return;
        errors.push(`${at}.content is missing`);
        return;
    }
    if (role === 'function') {
        errors.push(`${at}.content must be a string or null, not ${kind(content)}`);
        return;
    }
    if (!Array.isArray(content)) {
        errors.push(`${at}.content must be a string or a list of parts, not ${kind(content)}`);
        return;
    }
    content.forEach((part, i) => {
        // A refusal is something only the assistant says.
        if (role === 'assistant' && formats_isObject(part) && part['type'] === 'refusal') {
            if (typeof part['refusal'] !== 'string')
                errors.push(`${at}.content[${i}].refusal must be a string`);
        }
        else if (!formats_isObject(part) || typeof part['type'] !== 'string' || !PART_TYPES.has(part['type'])) {
            errors.push(`${at}.content[${i}] must be a part of type ${role === 'assistant' ? 'text, image_url or refusal' : 'text or image_url'}`);
        }
        else if (part['type'] === 'text' && typeof part['text'] !== 'string') {
            errors.push(`${at}.content[${i}].text must be a string`);
        }
        else if (part['type'] === 'image_url' && role !== 'user') {
            errors.push(`${at}.content[${i}] is an image, which only a user message may hold`);
        }
        else if (part['type'] === 'image_url') {
            images.push(`${at}.content[${i}]`);
            (0,data_images/* checkImagePart */.B4)(part, `${at}.content[${i}]`, errors);
        }
    });
}
function checkToolCalls(message, at, errors) {
    const calls = message['tool_calls'];
    if (calls === undefined)
        return;
    if (message['role'] !== 'assistant')
        errors.push(`${at}.tool_calls is allowed on assistant messages only`);
    if (!Array.isArray(calls) || calls.length === 0) {
        errors.push(`${at}.tool_calls must be a non-empty list`);
        return;
    }
    calls.forEach((call, i) => {
        const fn = formats_isObject(call) ? call['function'] : undefined;
        if (!formats_isObject(call) ||
            typeof call['id'] !== 'string' ||
            !formats_isObject(fn) ||
            typeof fn['name'] !== 'string') {
            errors.push(`${at}.tool_calls[${i}] needs an id and a function with a name`);
        }
        else if (typeof fn['arguments'] !== 'string') {
            errors.push(`${at}.tool_calls[${i}].function.arguments must be a JSON string`);
        }
    });
}
function checkFunctionCall(message, at, errors) {
    const call = message['function_call'];
    if (call === undefined)
        return;
    if (message['role'] !== 'assistant')
        errors.push(`${at}.function_call is allowed on assistant messages only`);
    if (!formats_isObject(call) || typeof call['name'] !== 'string') {
        errors.push(`${at}.function_call needs a name`);
    }
    else if (typeof call['arguments'] !== 'string') {
        errors.push(`${at}.function_call.arguments must be a JSON string`);
    }
}
/** Checks a list of chat messages; returns how many assistant messages carry weight. */
function checkMessages(value, at, errors, images) {
    if (!Array.isArray(value) || value.length === 0) {
        errors.push(`${at} must be a non-empty list of messages`);
        return 0;
    }
    let learned = 0;
    value.forEach((message, i) => {
        const here = `${at}[${i}]`;
        if (!formats_isObject(message)) {
            errors.push(`${here} must be an object, not ${kind(message)}`);
            return;
        }
        const role = message['role'];
        if (typeof role !== 'string' || !(ROLES.has(role) || LEGACY_ROLES.has(role))) {
            errors.push(`${here}.role must be one of ${[...ROLES].join(', ')}, not ${(0,markdown/* code */.aY)(toJson(role ?? null))}`);
            return;
        }
        checkContent(message, here, errors, images);
        checkToolCalls(message, here, errors);
        checkFunctionCall(message, here, errors);
        if (role === 'function' && typeof message['name'] !== 'string') {
            errors.push(`${here} (a function message) needs the name of the function`);
        }
        if (role === 'tool' && typeof message['tool_call_id'] !== 'string') {
            errors.push(`${here} (a tool message) needs a tool_call_id`);
        }
        const weight = message['weight'];
        if (weight !== undefined) {
            if (role !== 'assistant')
                errors.push(`${here}.weight is allowed on assistant messages only`);
            else if (weight !== 0 && weight !== 1)
                errors.push(`${here}.weight must be 0 or 1`);
        }
        if (role === 'assistant' && weight !== 0)
            learned += 1;
    });
    return learned;
}
function checkSupervised(example, errors, warnings, images) {
    const messages = example['messages'];
    const learned = checkMessages(messages, 'messages', errors, images);
    if (Array.isArray(messages) && messages.length > 0 && errors.length === 0) {
        if (learned === 0)
            errors.push('has no assistant message to learn from (all are missing or have weight 0)');
        if (!messages.some((m) => formats_isObject(m) && (m['role'] === 'system' || m['role'] === 'developer'))) {
            warnings.push('has no system message');
        }
    }
    if (example['tools'] !== undefined && !Array.isArray(example['tools']))
        errors.push('tools must be a list');
    if (example['functions'] !== undefined && !Array.isArray(example['functions']))
        errors.push('functions must be a list');
    const parallel = example['parallel_tool_calls'];
    if (parallel !== undefined && typeof parallel !== 'boolean')
        errors.push('parallel_tool_calls must be true or false');
    return Array.isArray(messages) ? messages.length : 0;
}
const isCompletionLine = (example) => !('messages' in example) && ('prompt' in example || 'completion' in example);
/** The legacy format of the completion models: one prompt and the completion to learn. */
function checkCompletion(example, model, errors) {
    if ('messages' in example) {
        errors.push(`is chat data (messages), but ${model} trains on prompt/completion lines: {"prompt": "...", "completion": "..."}`);
        return 0;
    }
    if (typeof example['prompt'] !== 'string')
        errors.push('prompt must be a string');
    if (typeof example['completion'] !== 'string')
        errors.push('completion must be a string');
    return 0;
}
function checkOutput(value, at, errors, images) {
    if (!Array.isArray(value) ||
        value.length !== 1 ||
        !formats_isObject(value[0]) ||
        value[0]['role'] !== 'assistant') {
        errors.push(`${at} must be a list holding one assistant message`);
        return;
    }
    checkContent(value[0], `${at}[0]`, errors, images);
}
function checkDpo(example, errors, images) {
    const input = example['input'];
    if (!formats_isObject(input)) {
        errors.push('input must be an object with messages');
        return 0;
    }
    checkMessages(input['messages'], 'input.messages', errors, images);
    checkOutput(example['preferred_output'], 'preferred_output', errors, images);
    checkOutput(example['non_preferred_output'], 'non_preferred_output', errors, images);
    if (errors.length === 0 &&
        toJson(example['preferred_output']) === toJson(example['non_preferred_output'])) {
        errors.push('preferred_output and non_preferred_output are the same');
    }
    const messages = input['messages'];
    return (Array.isArray(messages) ? messages.length : 0) + 2;
}
function checkReinforcement(example, errors, images, graderFields) {
    const messages = example['messages'];
    checkMessages(messages, 'messages', errors, images);
    if (Array.isArray(messages) &&
        formats_isObject(messages.at(-1)) &&
        messages.at(-1)['role'] === 'assistant') {
        errors.push('the last message must not be an assistant message: the model writes the answer');
    }
    const missing = graderFields.filter((field) => !(field in example));
    if (missing.length > 0)
        errors.push(`lacks ${missing.map((f) => (0,markdown/* code */.aY)(f)).join(', ')}, which the grader refers to as ${(0,markdown/* code */.aY)(`item.${missing[0]}`)}`);
    return Array.isArray(messages) ? messages.length : 0;
}
/**
 * `model` picks the supervised format: prompt/completion for the completion models, chat for the
 * rest (and when no model is given). `imagesPerExample`: how many images an example may hold, 0
 * when the model is not fine-tuned on images.
 */
function checkExample(method, value, graderFields, model, imagesPerExample = 10) {
    const errors = [];
    const warnings = [];
    const images = [];
    if (!formats_isObject(value))
        return { errors: [`is ${kind(value)}, not a JSON object`], warnings, messages: 0, images: 0 };
    let messages;
    if (method === 'supervised' && model !== undefined && (0,models/* trainsOnCompletions */._P)(model))
        messages = checkCompletion(value, model, errors);
    else if (method === 'supervised' && isCompletionLine(value)) {
        errors.push(`is prompt/completion data, which only babbage-002 and davinci-002 train on; ${model ?? 'a chat model'} needs chat messages`);
        messages = 0;
    }
    else if (method === 'supervised')
        messages = checkSupervised(value, errors, warnings, images);
    else if (method === 'dpo')
        messages = checkDpo(value, errors, images);
    else
        messages = checkReinforcement(value, errors, images, graderFields);
    if (images.length > 0 && imagesPerExample === 0)
        errors.push(`${images[0]} is an image, but ${model ?? 'this model'} cannot be fine-tuned on images`);
    else if (images.length > imagesPerExample)
        errors.push(`holds ${images.length} images; an example may hold at most ${imagesPerExample}`);
    return { errors, warnings, messages, images: images.length };
}
/** The `item.<field>` names a grader's templates refer to, which every example must then hold. */
function graderFields(grader) {
    const text = JSON.stringify(grader ?? null);
    return [...new Set([...text.matchAll(/\{\{\s*item\.([A-Za-z0-9_]+)/g)].map((m) => m[1]))];
}

// EXTERNAL MODULE: ./src/data/prices.ts + 1 modules
var prices = __webpack_require__(7777);
// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __webpack_require__(4573);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/data/validate.ts






/** The API's minimum number of training examples. */
const MIN_TRAINING_EXAMPLES = 10;
/** The most examples reinforcement fine-tuning takes per file (OpenAI's reinforcement fine-tuning guide). */
const MAX_REINFORCEMENT_EXAMPLES = { training: 50_000, validation: 1_000 };
const KEPT_ERRORS = 50;
/** Examples counted exactly before sampling starts, then one in SAMPLE_EVERY. */
const EXACT_FIRST = 1_000;
const SAMPLE_EVERY = 32;
const BLOCK = 256;
/**
 * Duplicates are found by a 48-bit slice of each example's SHA-1, so the validator keeps a number
 * per example, not the example; a collision would only mean a spurious "duplicate" warning.
 */
function digest48(bytes) {
    // The one-shot hash(): a Hash object per line costs more than the hashing itself.
    return (0,external_node_crypto_.hash)('sha1', bytes, 'buffer').readUIntBE(0, 6);
}
const LF = 0x0a;
const CR = 0x0d;
const startsWithBom = (bytes) => bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
function summarize(values) {
    if (values.length === 0)
        return { min: 0, mean: 0, p95: 0, max: 0 };
    const sorted = Float64Array.from(values).sort();
    let sum = 0;
    for (const value of sorted)
        sum += value;
    const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
    return { min: sorted[0], mean: sum / sorted.length, p95, max: sorted[sorted.length - 1] };
}
/**
 * Why and where JSON.parse stopped, from V8's message, without the line's own text (which V8 quotes
 * and which must never reach a log raw). V8 gives a position for most mistakes; for an unexpected
 * token it quotes the text around it instead, up to 10 characters either side, marked `...` where cut,
 * and the position is found from that. The message in any other form gives no column.
 */
const PADDING = ' '.repeat(24);
function whereJsonStops(line, message) {
    const at = /^(.*?) (?:in JSON )?at position (\d+)/.exec(message);
    if (at)
        return {
            reason: `${at[1][0].toLowerCase()}${at[1].slice(1)} at column ${Number(at[2]) + 1}`,
            column: Number(at[2]) + 1,
        };
    if (message === 'Unexpected end of JSON input')
        return { reason: 'the line ends inside a value', column: line.length + 1 };
    const token = /^Unexpected token '(.+?)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
    if (!token)
        return {};
    const [, character, before, context, after] = token;
    let position;
    if (before)
        position = line.includes(context) ? line.indexOf(context) + 10 : undefined;
    else if (after)
        position = context.length - 10;
    else if (!line.endsWith(PADDING)) {
        // A short line is quoted whole, which says nothing of where; padded with spaces (nothing to
        // JSON) it is quoted up to 10 characters past the token, which does.
        try {
            JSON.parse(line + PADDING);
        }
        catch (error) {
            return whereJsonStops(line + PADDING, error.message);
        }
    }
    const shown = /^[\x21-\x7e]$/.test(character) ? `'${character}'` : 'character';
    if (position === undefined || position < 0 || line[position] !== character)
        return { reason: `unexpected ${shown}` };
    return { reason: `unexpected ${shown} at column ${position + 1}`, column: position + 1 };
}
/**
 * Checks a JSONL file line by line (never whole in memory) against the method's format, and
 * counts its tokens. Tokenizing every example of a large file would cost many times the parse,
 * so after the first EXACT_FIRST examples only one in SAMPLE_EVERY is tokenized; each other one
 * is estimated from its length at the tokens-per-character rate of the samples in its own block
 * of BLOCK examples, so a file whose language or style changes part way is estimated from the
 * part it is in. No limit check is guessed: a token is at least one byte, so an example whose
 * UTF-8 size could exceed the limit is always counted exactly.
 */
async function validateFile(filePath, options) {
    const errors = [];
    const warnings = new Map();
    const firstSeen = new Map();
    const messageCounts = [];
    // Exact counts are stored as they are; estimates as minus the line length, resolved at the end
    // from the sampled rate of their block.
    const tokenValues = [];
    const blockTokens = [];
    const blockChars = [];
    let errorCount = 0;
    let countedTokens = 0;
    let countedChars = 0;
    let exactlyCounted = 0;
    let images = 0;
    let assumedImageSizes = 0;
    // The counted examples' tokens as billed, less what the API would cut off beyond the limit.
    let cappedCounted = 0;
    let lineNumber = 0;
    const fail = (line, message, column) => {
        errorCount += 1;
        if (errors.length < KEPT_ERRORS)
            errors.push({ line, message, ...(column ? { column } : {}) });
    };
    const warn = (line, message) => {
        const seen = warnings.get(message);
        if (seen)
            seen.count += 1;
        else
            warnings.set(message, { line, message, count: 1 });
    };
    // Everything that may throw runs before the report's state changes, so a line that throws
    // leaves no half-counted example behind.
    const examine = (bytes) => {
        // Decoding would turn bytes that are not UTF-8 into U+FFFD and count those; the API refuses them.
        if (!(0,external_node_buffer_.isUtf8)(bytes)) {
            fail(lineNumber, 'is not valid UTF-8 text');
            return;
        }
        const line = bytes.toString('utf8');
        if (line.trim() === '') {
            warn(lineNumber, 'blank line (skipped)');
            return;
        }
        let value;
        try {
            value = JSON.parse(line);
        }
        catch (error) {
            const { reason, column } = whereJsonStops(line, error.message);
            fail(lineNumber, `is not valid JSON${reason ? ` (${reason})` : ''}`, column);
            return;
        }
        const check = checkExample(options.method, value, options.graderFields, options.model, options.imagesPerExample);
        for (const message of check.errors)
            fail(lineNumber, message);
        for (const message of check.warnings)
            warn(lineNumber, message);
        // Every line, sampled or not: a special token is a refusal, not a count. A token's `|` may
        // come escaped (\u007c) and only a line holding one is walked, which keeps the scan cheap.
        const special = (line.includes('|') || line.includes('\\u007')) && typeof value === 'object'
            ? findSpecialToken(value)
            : undefined;
        if (special) {
            fail(lineNumber, `${(0,markdown/* code */.aY)(special.path)} holds the special token ${(0,markdown/* code */.aY)(special.token)}, which the API refuses`);
        }
        if (check.errors.length > 0 || special)
            return;
        const index = messageCounts.length;
        // UTF-8 takes at most 3 bytes per UTF-16 unit: only a line that long can hold `tokenLimit` tokens.
        const couldExceed = line.length * 3 > options.tokenLimit && bytes.length > options.tokenLimit;
        // An image's tokens have nothing to do with its line's length (a data URL is long, a remote URL
        // short), so an example with images is always counted, and left out of the sampled rate.
        const counted = options.exact || index < EXACT_FIRST || index % SAMPLE_EVERY === 0 || couldExceed || check.images > 0;
        const size = counted
            ? exampleSize(options.method, value, options.count, options.encoding)
            : undefined;
        const tokens = size?.tokens ?? 0;
        const hash = digest48(bytes);
        const first = firstSeen.get(hash);
        if (first !== undefined)
            warn(lineNumber, 'repeats an earlier example');
        else
            firstSeen.set(hash, lineNumber);
        if (options.trainingHashes?.has(hash))
            warn(lineNumber, 'also appears in the training file');
        messageCounts.push(check.messages);
        images += check.images;
        if (counted) {
            if (check.images === 0) {
                const block = Math.floor(index / BLOCK);
                blockTokens[block] = (blockTokens[block] ?? 0) + tokens;
                blockChars[block] = (blockChars[block] ?? 0) + line.length;
                countedTokens += tokens;
                countedChars += line.length;
            }
            assumedImageSizes += size.assumedImageSizes;
            exactlyCounted += 1;
            tokenValues.push(tokens);
            const limit = options.tokenLimit;
            const longest = Math.max(...size.sequences);
            cappedCounted += size.sequences.reduce((sum, s) => sum - Math.max(0, s - limit), tokens);
            if (longest > limit) {
                const what = options.method === 'dpo'
                    ? `has ${longest.toLocaleString('en-US')} tokens in its input with its longer output`
                    : `has ${longest.toLocaleString('en-US')} tokens`;
                const message = `${what}; an example may hold ${limit.toLocaleString('en-US')}`;
                if (options.strictLimit)
                    fail(lineNumber, message);
                else
                    warn(lineNumber, `${message} (approximately: this model's tokenizer is not known)`);
            }
        }
        else {
            tokenValues.push(-line.length);
        }
    };
    const onLine = (bytes) => {
        lineNumber += 1;
        if (lineNumber === 1 && startsWithBom(bytes)) {
            // Some editors start a UTF-8 file with one; it is not part of the first example.
            warn(1, 'starts with a byte-order mark (read past it)');
            bytes = bytes.subarray(3);
        }
        try {
            examine(bytes);
        }
        catch (error) {
            // One example that trips the checker is one error, never a run that stops.
            fail(lineNumber, `could not be checked: ${(0,markdown/* code */.aY)(error instanceof Error ? error.message : String(error))}`);
        }
    };
    // Line breaks as readline took them (LF, CRLF or a lone CR), split from bytes rather than
    // decoded text so that each line's encoding can be checked.
    const onPiece = (bytes) => {
        const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
        let start = 0;
        for (let cr = bytes.indexOf(CR); cr !== -1 && cr < end; cr = bytes.indexOf(CR, start)) {
            onLine(bytes.subarray(start, cr));
            start = cr + 1;
        }
        onLine(bytes.subarray(start, end));
    };
    // A line cut by a chunk's end is kept as the pieces it came in, joined once its end arrives.
    let carry = [];
    for await (const chunk of (0,external_node_fs_.createReadStream)(filePath)) {
        let start = 0;
        for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, start)) {
            const piece = chunk.subarray(start, lf);
            start = lf + 1;
            if (carry.length === 0)
                onPiece(piece);
            else {
                carry.push(piece);
                onPiece(Buffer.concat(carry));
                carry = [];
            }
        }
        if (start < chunk.length)
            carry.push(chunk.subarray(start));
    }
    if (carry.length > 0)
        onPiece(Buffer.concat(carry));
    const examples = messageCounts.length;
    if (options.role === 'training' && errorCount === 0 && examples < MIN_TRAINING_EXAMPLES) {
        fail(0, `holds ${examples} examples; the API needs at least ${MIN_TRAINING_EXAMPLES}`);
    }
    if (options.role === 'validation' && errorCount === 0 && examples === 0)
        fail(0, 'holds no examples');
    const most = MAX_REINFORCEMENT_EXAMPLES[options.role];
    if (options.method === 'reinforcement' && examples > most) {
        fail(0, `holds ${examples.toLocaleString('en-US')} examples; reinforcement fine-tuning takes at most ${most.toLocaleString('en-US')} in a ${options.role} file`);
    }
    const overall = countedChars > 0 ? countedTokens / countedChars : 0;
    const rateOf = (block) => (blockChars[block] ? blockTokens[block] / blockChars[block] : overall);
    const resolved = Float64Array.from(tokenValues, (value, index) => value >= 0 ? value : Math.round(-value * rateOf(Math.floor(index / BLOCK))));
    let total = cappedCounted;
    resolved.forEach((value, index) => {
        if (tokenValues[index] < 0)
            total += Math.min(value, options.tokenLimit);
    });
    return {
        examples,
        errorCount,
        errors,
        warnings: [...warnings.values()],
        messages: summarize(messageCounts),
        tokens: { ...summarize(resolved), total, exactlyCounted },
        images,
        assumedImageSizes,
        hashes: new Set(firstSeen.keys()),
    };
}

// EXTERNAL MODULE: ./src/github/log.ts
var log = __webpack_require__(3385);
;// CONCATENATED MODULE: ./src/data/preflight.ts







/** Annotations shown on the file in the run page; more than these would drown the log. */
const ANNOTATED_ERRORS = 10;
const ANNOTATED_WARNINGS = 10;
/** A file's problems as annotations on its lines in the run page. */
function annotate(file) {
    const { given, report } = file;
    for (const { line, column, message } of report.errors.slice(0, ANNOTATED_ERRORS)) {
        // Line 0 is the file as a whole (too few examples): annotated on the file, without a line.
        if (line === 0)
            core/* error */.z3(`${given} ${message}`, { title: 'Fine-tuning data', file: given });
        else
            core/* error */.z3(`line ${line} ${message}`, {
                title: 'Invalid fine-tuning example',
                file: given,
                startLine: line,
                ...(column ? { startColumn: column } : {}),
            });
    }
    if (report.errorCount > ANNOTATED_ERRORS) {
        core/* error */.z3(`${report.errorCount - ANNOTATED_ERRORS} more errors in ${given} are not shown`, {
            file: given,
        });
    }
    for (const { line, message, count } of report.warnings.slice(0, ANNOTATED_WARNINGS)) {
        const where = count > 1 ? `${count} examples, the first at line ${line}` : `line ${line}`;
        core/* warning */.$e(`${message} (${where})`, { title: 'Fine-tuning data', file: given, startLine: line });
    }
}
async function preflight(config, 
/** Count every example exactly instead of a sample (the CLI's --exact). */
exact = false) {
    if (!config.validate || config.training.kind !== 'path')
        return undefined;
    const files = await checkFiles(config, config.training, exact);
    refuseInvalid(files);
    return estimate(config, files);
}
/** The first problem of the first file that has any, as the step's error. */
function refuseInvalid(files) {
    for (const { report, given, input } of files) {
        if (report.errorCount > 0) {
            const [first] = report.errors;
            throw new input_error/* InputError */.d(input, `(${given}) has ${report.errorCount} ${report.errorCount === 1 ? 'problem' : 'problems'}; the first: ${first.line ? `line ${first.line} ` : ''}${first.message}`);
        }
    }
}
/**
 * Checks the local files and annotates every problem, on every file, without failing: the caller
 * decides (preflight fails the step; a plan first writes its comment).
 */
async function checkFiles(config, training, exact = false) {
    const files = await validateFiles(config, training, exact);
    // Every file's problems are annotated, so that a step that then fails shows all of them.
    for (const file of files)
        annotate(file);
    return files;
}
/** Checks the local files and says nothing: the command-line validator prints them its own way. */
async function validateFiles(config, training, exact = false) {
    const { model, method } = config.job;
    const rules = config.modelRules;
    const type = method?.type ?? 'supervised';
    const count = await loadTokenizer(rules.encoding);
    const approximate = rules.approximate;
    const shared = {
        method: type,
        model,
        imagesPerExample: rules.imagesPerExample,
        encoding: rules.encoding,
        count,
        tokenLimit: rules.exampleTokens,
        strictLimit: !approximate,
        graderFields: graderFields(method?.reinforcement?.grader),
        exact,
    };
    const files = [];
    files.push({
        input: 'training-file',
        given: training.given,
        report: await validateFile(training.path, { ...shared, role: 'training' }),
    });
    if (config.validation?.kind === 'path') {
        files.push({
            input: 'validation-file',
            given: config.validation.given,
            report: await validateFile(config.validation.path, {
                ...shared,
                role: 'validation',
                trainingHashes: files[0].report.hashes,
            }),
        });
    }
    return files;
}
/** Tokens, epochs and dollars for valid files; over a ceiling, the step fails before upload. */
function estimate(config, files) {
    for (const { report, given, input } of files) {
        core/* info */.pq(`${input}: ${(0,log/* logText */.k)(given)} holds ${report.examples} valid examples, about ${report.tokens.total.toLocaleString('en-US')} tokens`);
    }
    const report = dataReport(config, files);
    core/* info */.pq(describeEstimate(report, (name) => name));
    const over = ceilingProblem(config, report);
    if (over)
        throw new input_error/* InputError */.d(over.input, `${over.problem}; nothing was uploaded`);
    return report;
}
/** What the job would bill, from the checked files: nothing printed, nothing refused. */
function dataReport(config, files) {
    const { method } = config.job;
    const type = method?.type ?? 'supervised';
    const requested = method?.[type]?.hyperparameters?.n_epochs;
    const epochs = typeof requested === 'number' ? requested : autoEpochs(files[0].report.examples);
    const report = {
        files,
        epochs,
        autoEpochs: typeof requested !== 'number',
        approximate: config.modelRules.approximate,
    };
    if (config.price)
        report.price = config.price;
    // Reinforcement is billed by the hour of training: no token figure would say what it costs.
    if (type === 'reinforcement')
        return report;
    report.billedTokens = files[0].report.tokens.total * epochs;
    const perMillion = perMillionTokens(report);
    if (perMillion !== undefined)
        report.cost = (0,prices/* tokenCost */.LU)(report.billedTokens, perMillion);
    return report;
}
const perMillionTokens = (report) => report.price && 'perMillionTokens' in report.price.price ? report.price.price.perMillionTokens : undefined;
/** Why the estimate assumed its number of epochs: the API's rule for `auto`, or the setting. */
function epochsReason(report, name) {
    return report.autoEpochs ? autoEpochsReason(report.files[0].report.examples) : `set by ${name('n_epochs')}`;
}
/**
 * The estimate in one sentence, with why it assumed its number of epochs. `name` words a setting
 * as the reader sets it: an input of the action, or a flag of the command-line validator.
 */
function describeEstimate(report, name) {
    if (report.billedTokens === undefined) {
        const price = report.price?.price;
        const hourly = price && 'perHour' in price ? ` (${(0,prices/* dollars */.E9)(price.perHour)} per hour)` : '';
        return `Reinforcement fine-tuning is billed by the hour of training${hourly}, not by the token: no cost is estimated from the data`;
    }
    const about = report.approximate ? 'about ' : '';
    const training = report.files[0].report;
    const why = epochsReason(report, name);
    const perMillion = perMillionTokens(report);
    return (`Estimated billed tokens: ${about}${report.billedTokens.toLocaleString('en-US')} (${training.tokens.total.toLocaleString('en-US')} training tokens x ${report.epochs} epochs; ${why})` +
        (report.cost !== undefined
            ? `; estimated cost: ${about}${(0,prices/* dollars */.E9)(report.cost)} at ${(0,prices/* dollars */.E9)(perMillion)} per million tokens (${report.price.source})`
            : `; no training price is known for this model here (set ${name('price-per-million-tokens')} for a cost estimate)`));
}
/** The first ceiling (max-billed-tokens, max-cost) the estimate is over, and by how much. */
function ceilingProblem(config, report) {
    const billed = report.billedTokens;
    if (billed === undefined)
        return undefined;
    const training = report.files[0].report.tokens.total.toLocaleString('en-US');
    if (config.maxBilledTokens !== undefined && billed > config.maxBilledTokens) {
        return {
            input: 'max-billed-tokens',
            problem: `is ${config.maxBilledTokens.toLocaleString('en-US')}, but this job would bill about ${billed.toLocaleString('en-US')} tokens (${training} training tokens x ${report.epochs} epochs)`,
        };
    }
    if (config.maxCost !== undefined && report.cost !== undefined && report.cost > config.maxCost) {
        return {
            input: 'max-cost',
            problem: `is ${(0,prices/* dollars */.E9)(config.maxCost)}, but this job would cost about ${(0,prices/* dollars */.E9)(report.cost)} (${billed.toLocaleString('en-US')} billed tokens at ${(0,prices/* dollars */.E9)(perMillionTokens(report))} per million, from ${report.price.source})`,
        };
    }
    return undefined;
}


/***/ })

};
