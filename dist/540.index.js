export const id = 540;
export const ids = [540];
export const modules = {

/***/ 2540:
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
// EXTERNAL MODULE: ./src/data/tokens.ts
var data_tokens = __webpack_require__(3524);
;// CONCATENATED MODULE: ./src/data/formats.ts




const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
// Legacy function calling, deprecated for tools but still accepted by the API. Left out of the
// roles an error lists, so that a message with a wrong role is pointed to the current ones.
const LEGACY_ROLES = new Set(['function']);
const PART_TYPES = new Set(['text', 'image_url']);
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
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
        if (role === 'assistant' && (Array.isArray(message['tool_calls']) || isObject(message['function_call'])))
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
        if (role === 'assistant' && isObject(part) && part['type'] === 'refusal') {
            if (typeof part['refusal'] !== 'string')
                errors.push(`${at}.content[${i}].refusal must be a string`);
        }
        else if (!isObject(part) || typeof part['type'] !== 'string' || !PART_TYPES.has(part['type'])) {
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
        const fn = isObject(call) ? call['function'] : undefined;
        if (!isObject(call) ||
            typeof call['id'] !== 'string' ||
            !isObject(fn) ||
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
    if (!isObject(call) || typeof call['name'] !== 'string') {
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
        if (!isObject(message)) {
            errors.push(`${here} must be an object, not ${kind(message)}`);
            return;
        }
        const role = message['role'];
        if (typeof role !== 'string' || !(ROLES.has(role) || LEGACY_ROLES.has(role))) {
            errors.push(`${here}.role must be one of ${[...ROLES].join(', ')}, not ${(0,markdown/* code */.aY)((0,data_tokens/* toJson */.aB)(role ?? null))}`);
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
        if (!messages.some((m) => isObject(m) && (m['role'] === 'system' || m['role'] === 'developer'))) {
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
        !isObject(value[0]) ||
        value[0]['role'] !== 'assistant') {
        errors.push(`${at} must be a list holding one assistant message`);
        return;
    }
    checkContent(value[0], `${at}[0]`, errors, images);
}
function checkDpo(example, errors, images) {
    const input = example['input'];
    if (!isObject(input)) {
        errors.push('input must be an object with messages');
        return 0;
    }
    checkMessages(input['messages'], 'input.messages', errors, images);
    checkOutput(example['preferred_output'], 'preferred_output', errors, images);
    checkOutput(example['non_preferred_output'], 'non_preferred_output', errors, images);
    if (errors.length === 0 &&
        (0,data_tokens/* toJson */.aB)(example['preferred_output']) === (0,data_tokens/* toJson */.aB)(example['non_preferred_output'])) {
        errors.push('preferred_output and non_preferred_output are the same');
    }
    const messages = input['messages'];
    return (Array.isArray(messages) ? messages.length : 0) + 2;
}
function checkReinforcement(example, errors, images, graderFields) {
    const messages = example['messages'];
    checkMessages(messages, 'messages', errors, images);
    if (Array.isArray(messages) &&
        isObject(messages.at(-1)) &&
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
    if (!isObject(value))
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
            ? (0,data_tokens/* findSpecialToken */.C5)(value)
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
            ? (0,data_tokens/* exampleSize */.IT)(options.method, value, options.count, options.encoding)
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
    const count = await (0,data_tokens/* loadTokenizer */.Ym)(rules.encoding);
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
    const epochs = typeof requested === 'number' ? requested : (0,data_tokens/* autoEpochs */.kR)(files[0].report.examples);
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
    return report.autoEpochs ? (0,data_tokens/* autoEpochsReason */.ug)(report.files[0].report.examples) : `set by ${name('n_epochs')}`;
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
