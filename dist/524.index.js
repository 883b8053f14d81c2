export const id = 524;
export const ids = [524];
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

/***/ 3524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C5: () => (/* binding */ findSpecialToken),
/* harmony export */   IT: () => (/* binding */ exampleSize),
/* harmony export */   Lu: () => (/* binding */ exampleTokens),
/* harmony export */   Ym: () => (/* binding */ loadTokenizer),
/* harmony export */   aB: () => (/* binding */ toJson),
/* harmony export */   kR: () => (/* binding */ autoEpochs),
/* harmony export */   ug: () => (/* binding */ autoEpochsReason)
/* harmony export */ });
/* harmony import */ var _images_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1476);

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
/** Why `autoEpochs` chose its number: read from its result, so the two cannot disagree. */
function autoEpochsReason(examples) {
    const n = examples.toLocaleString('en-US');
    const epochs = autoEpochs(examples);
    if (epochs > 3)
        return `n_epochs auto: raised from 3 so that ${n} examples give about 100 in all`;
    if (epochs < 3)
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
                const image = (0,_images_js__WEBPACK_IMPORTED_MODULE_0__/* .imageTokens */ .em)(part);
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


/***/ })

};
