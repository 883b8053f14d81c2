export const id = 681;
export const ids = [681];
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

/***/ 8295:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D7: () => (/* binding */ INFERENCE_PRICES_SOURCE),
/* harmony export */   i2: () => (/* binding */ INFERENCE_PRICES_READ),
/* harmony export */   po: () => (/* binding */ inferencePrice)
/* harmony export */ });
// What asking a model costs, in US dollars per million tokens, for the evaluation's estimate: the
// prompts it sends (input) and the answers it gets (output). A fine-tuned model is billed at its own
// rate, above its base model's. Providers change prices and publish them on pages this table
// cannot follow: a model missing here leaves the estimate in tokens, without dollars, and says so.
//
// A leaf module: it imports nothing of the action's.
/**
 * When the figures were last checked. OpenAI's pricing page cannot be read from where this table is
 * kept: the base rates agree with copies of the page published by others in 2026, and the
 * fine-tuned rates are OpenAI's published ones as known here, not confirmed again (docs/evaluation.md).
 */
const INFERENCE_PRICES_READ = '2026-12-05';
const INFERENCE_PRICES_SOURCE = 'https://openai.com/api/pricing/ (text tokens, standard tier; fine-tuning: inference)';
const price = (inputPerMillion, outputPerMillion) => ({
    inputPerMillion,
    outputPerMillion,
});
/**
 * OpenAI's API, by snapshot. Azure prices per region and deployment type, and a compatible
 * provider by its own list: neither is built in.
 */
const OPENAI = {
    'gpt-4.1-2025-04-14': { base: price(2, 8), fineTuned: price(3, 12) },
    'gpt-4.1-mini-2025-04-14': { base: price(0.4, 1.6), fineTuned: price(0.8, 3.2) },
    'gpt-4.1-nano-2025-04-14': { base: price(0.1, 0.4), fineTuned: price(0.2, 0.8) },
    'gpt-4o-2024-08-06': { base: price(2.5, 10), fineTuned: price(3.75, 15) },
    'gpt-4o-mini-2024-07-18': { base: price(0.15, 0.6), fineTuned: price(0.3, 1.2) },
    'gpt-3.5-turbo-0125': { base: price(0.5, 1.5), fineTuned: price(3, 6) },
    'o4-mini-2025-04-16': { base: price(1.1, 4.4), fineTuned: price(4, 16) },
};
/**
 * The price of asking a model on a provider: `snapshot` is the base model's snapshot (the model
 * table resolves aliases and fine-tuned names to it); `fineTuned` whether the model asked is a
 * fine-tuned one. Undefined when the table has no figure.
 */
function inferencePrice(provider, snapshot, fineTuned) {
    if (provider !== 'openai' || snapshot === undefined || !Object.hasOwn(OPENAI, snapshot))
        return undefined;
    const row = OPENAI[snapshot];
    return fineTuned ? row.fineTuned : row.base;
}


/***/ }),

/***/ 9686:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ evaluationSection),
/* harmony export */   r: () => (/* binding */ costText)
/* harmony export */ });
/* harmony import */ var _data_prices_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7777);
/* harmony import */ var _facts_inference_prices_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8295);
/* harmony import */ var _github_markdown_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5566);



const figure = (value) => value.toFixed(3);
const interval = ([low, high]) => `${figure(low)} to ${figure(high)}`;
const percent = (value) => (value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const count = (value) => value.toLocaleString('en-US');
/** What a regressed example shows of a text: enough to recognize it. */
const QUOTED_CHARS = 100;
const REGRESSED_SHOWN = 5;
/** A model's name (the API's text): one line, as inline code. */
const name = (text) => (0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(text.replace(/\s+/g, ' '));
function costText(cost) {
    const { total, examples } = cost.estimate;
    const tokens = `${count(examples)} examples, ${count(total.requests)} requests, about ${count(total.inputTokens)} input and ${count(total.outputTokens)} output tokens`;
    const priced = cost.unpriced.length === cost.byModel.length
        ? 'no inference price is known for these models here, so no dollar figure'
        : `${cost.dollars < 0.01 ? 'under $0.01' : `about ${(0,_data_prices_js__WEBPACK_IMPORTED_MODULE_0__/* .dollars */ .E9)(cost.dollars)}`} (prices of ${_facts_inference_prices_js__WEBPACK_IMPORTED_MODULE_1__/* .INFERENCE_PRICES_READ */ .i2}, ${_facts_inference_prices_js__WEBPACK_IMPORTED_MODULE_1__/* .INFERENCE_PRICES_SOURCE */ .D7})` +
            (cost.unpriced.length > 0
                ? `, not counting ${cost.unpriced.map(name).join(', ')}, whose price is not known here`
                : '');
    return `${tokens}; ${priced}`;
}
/** Text from a prompt, a reference or an answer: one line, cut, as inline code that renders nothing. */
function quoted(text) {
    if (text === undefined)
        return '';
    return (0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .cell */ .Hn)((0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(text.replace(/\s+/g, ' ').trim(), QUOTED_CHARS));
}
function promptText(regression) {
    const last = regression.prompt.at(-1);
    const content = last?.content;
    return typeof content === 'string'
        ? content
        : Array.isArray(content)
            ? content.map((part) => ('text' in part ? part.text : '')).join('')
            : '';
}
/** The evaluation's section of the job summary. */
function evaluationSection(evaluation) {
    const lines = ['### Evaluation', '', `Estimated before it ran: ${costText(evaluation.cost)}.`, ''];
    const report = evaluation.report;
    if (!report)
        return [...lines, 'The evaluation did not finish.', ''].join('\n');
    const { summary, gate } = report;
    const verdict = gate.passed ? '**Passed**' : `**Failed**: ${gate.reasons.join('; ')}`;
    lines.push(`Gate: ${verdict}. ${evaluation.promoted ? 'deployment-name now serves the candidate' : 'Nothing was promoted'}.`, '');
    const candidate = summary.candidate;
    const baseline = summary.baseline;
    lines.push(`Candidate ${name(candidate.model)}: ${figure(candidate.score)} (95% interval ${interval(candidate.interval)})` +
        (baseline
            ? `; baseline ${name(baseline.model)}: ${figure(baseline.score)} (${interval(baseline.interval)}); difference ${figure(summary.difference.score)} (${interval(summary.difference.interval)})`
            : `; no baseline${evaluation.baselineWhy ? ` (${evaluation.baselineWhy})` : ''}`) +
        `, over ${count(summary.examples)} examples.`, '');
    if (baseline && evaluation.baselineWhy)
        lines.push(`Baseline: ${evaluation.baselineWhy}.`, '');
    lines.push('| grader | candidate mean | pass rate | 95% interval | baseline mean | pass rate | 95% interval |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, ours] of Object.entries(candidate.graders)) {
        const theirs = baseline?.graders[name];
        lines.push(`| ${(0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .cell */ .Hn)((0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_2__/* .code */ .aY)(name))} | ${figure(ours.mean)} | ${percent(ours.passRate)} | ${interval(ours.interval)} | ` +
            (theirs
                ? `${figure(theirs.mean)} | ${percent(theirs.passRate)} | ${interval(theirs.interval)} |`
                : '| | |'));
    }
    const regressed = report.regressed.slice(0, REGRESSED_SHOWN);
    if (regressed.length > 0) {
        lines.push('', `#### Regressed most (${regressed.length} of ${report.regressed.length} listed in the report)`, '', '| line | prompt (last message) | reference | candidate | score | baseline | score |', '| --- | --- | --- | --- | --- | --- | --- |');
        for (const r of regressed) {
            lines.push(`| ${r.line} | ${quoted(promptText(r))} | ${quoted(r.reference)} | ${quoted(r.candidate.answer)} | ${figure(r.candidate.score)} | ${quoted(r.baseline?.answer)} | ${figure(r.baseline.score)} |`);
        }
    }
    if (evaluation.reportPath)
        lines.push('', "Every example is in the `eval-report` output's JSON file.");
    if (evaluation.recordedAnswers)
        lines.push('', 'The answers were recorded as an eval file (`record-answers`).');
    lines.push('');
    return lines.join('\n');
}


/***/ }),

/***/ 7681:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  writeSummary: () => (/* binding */ writeSummary)
});

// UNUSED EXPORTS: renderSummary

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/report/evaluation.ts
var evaluation = __webpack_require__(9686);
// EXTERNAL MODULE: ./src/data/images.ts
var data_images = __webpack_require__(1476);
// EXTERNAL MODULE: ./src/data/prices.ts + 1 modules
var prices = __webpack_require__(7777);
;// CONCATENATED MODULE: ./src/facts/hosting.ts
// What keeping a fine-tuned model deployed on Azure costs per hour, beside its tokens, by the SKU
// name Resource Manager reports for the deployment. A SKU not in this table (provisioned
// throughput, which bills PTU-hours at an agreed rate, or one added later) has no known price,
// and the summary says so rather than guess.
/** When the table was last compared with its source. */
const HOSTING_PRICES_CHECKED = '2026-12-04';
/**
 * Microsoft's fine-tuning cost guide, "Ongoing operational costs" (MicrosoftDocs/azure-ai-docs
 * articles/ai-foundry/openai/how-to/fine-tuning-cost-management.md, ms.date 2026-02-11): Standard
 * and Global Standard $1.70 per hour, Developer Tier none.
 */
const HOSTING_PRICES_SOURCE = 'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-cost-management';
/** US dollars per hour of a fine-tuned deployment, by ARM SKU name (ARM's case varies: compared lower-cased). */
const PER_HOUR = {
    developertier: 0,
    standard: 1.7,
    globalstandard: 1.7,
};
/** The hourly hosting fee of a deployment of this ARM SKU, or undefined when it is not known here. */
function hostingPerHour(armSku) {
    return PER_HOUR[armSku.toLowerCase()];
}

// EXTERNAL MODULE: ./src/github/context.ts
var context = __webpack_require__(9556);
// EXTERNAL MODULE: ./src/github/secrets.ts
var secrets = __webpack_require__(298);
// EXTERNAL MODULE: ./src/jobs/tags.ts
var tags = __webpack_require__(7299);
// EXTERNAL MODULE: ./src/jobs/status.ts
var jobs_status = __webpack_require__(2984);
// EXTERNAL MODULE: ./src/report/chart.ts
var report_chart = __webpack_require__(194);
// EXTERNAL MODULE: ./src/github/markdown.ts
var markdown = __webpack_require__(5566);
// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
// EXTERNAL MODULE: ./src/report/record.ts
var report_record = __webpack_require__(3498);
;// CONCATENATED MODULE: ./src/report/summary.ts













// The job summary: what a person reads on the run page instead of the log. Each section is its
// own function; renderSummary puts them in the order a reader asks their questions.
const STATUS_ICON = { succeeded: '✅', failed: '❌', cancelled: '⛔' };
/** What the heading calls the job, by mode: "Fine-tuning job: succeeded". */
const HEADING = {
    'fine-tune': 'Fine-tuning job',
    wait: 'Fine-tuning job',
    cancel: 'Fine-tuning job, after cancel',
    pause: 'Fine-tuning job, after pause',
    resume: 'Fine-tuning job, after resume',
};
const count = (value) => Math.round(value).toLocaleString('en-US');
const time = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Every cell escaped here: a `|` splits a cell even inside a code span. */
function table(header, body) {
    return [header, header.map(() => '---'), ...body.map((row) => row.map(markdown/* cell */.Hn))]
        .map((row) => `| ${row.join(' | ')} |`)
        .join('\n');
}
function rows(pairs) {
    return table(['', ''], pairs.filter(([, value]) => value !== undefined && value !== '').map(([k, v]) => [k, v]));
}
function usedHyperparameters(job) {
    const type = job.method?.type;
    const perMethod = type ? job.method?.[type]?.hyperparameters : undefined;
    return { ...(perMethod ?? job.hyperparameters ?? {}) };
}
/** The job on OpenAI's dashboard (only when the job lives there) and its W&B project. */
function links(job, baseURL) {
    const found = [];
    if (baseURL && new URL(baseURL).hostname === 'api.openai.com') {
        found.push(`[Open on the OpenAI dashboard](https://platform.openai.com/finetune/${job.id})`);
    }
    for (const { wandb } of job.integrations ?? []) {
        const run = wandb.name ?? job.id;
        // Without an entity the project's address is the W&B account's own, which only W&B knows.
        found.push(wandb.entity
            ? `[W&B run ${(0,markdown/* code */.aY)(run)} in ${(0,markdown/* code */.aY)(wandb.project)}](https://wandb.ai/${encodeURIComponent(wandb.entity)}/${encodeURIComponent(wandb.project)})`
            : `W&B run ${(0,markdown/* code */.aY)(run)} in project ${(0,markdown/* code */.aY)(wandb.project)}`);
    }
    return found.length > 0 ? found.join(' · ') : undefined;
}
/** The workflow run that created the job, from its own tag, as a link to that run. */
function createdBy(job) {
    // The run's part of the tag is `owner/repo/actions/runs/<id>/attempts/<n>`, a path on the GitHub server.
    const run = (0,tags/* readRunTag */.Em)(job.metadata?.[tags/* TAG */.Dk.run]);
    return run && `[${(0,markdown/* code */.aY)(run.path)}](${(0,context.serverPage)(run.path.split('/').map(encodeURIComponent).join('/'))})`;
}
function overview(record, job, now) {
    const end = job.finished_at ? job.finished_at * 1000 : now;
    const succeeded = job.status === 'succeeded';
    return rows([
        ['Job', (0,markdown/* code */.aY)(job.id)],
        ['Provider', record.provider],
        ['Status before', record.initialStatus],
        ['Status', job.status],
        [
            'Reused',
            record.reused ? 'yes: the same model, data and settings had already trained this model' : undefined,
        ],
        ['Base model', (0,markdown/* code */.aY)(job.model)],
        ['Fine-tuned model', succeeded && job.fine_tuned_model ? (0,markdown/* code */.aY)(job.fine_tuned_model) : undefined],
        [
            'Model stops serving',
            // A failed or cancelled job made no model to stop serving.
            record.retiresOn && !['failed', 'cancelled'].includes(job.status)
                ? (0,format/* stopsServing */.GF)(record.retiresOn, record.provider)
                : undefined,
        ],
        ['Method', job.method?.type],
        ['Duration', (0,format/* formatDuration */.a3)(end - job.created_at * 1000) + (job.finished_at ? '' : ' so far')],
        ['Trained tokens', job.trained_tokens != null ? count(job.trained_tokens) : undefined],
        ['Training file', (0,markdown/* code */.aY)(job.training_file)],
        ['Validation file', job.validation_file ? (0,markdown/* code */.aY)(job.validation_file) : undefined],
        ['Result file', job.result_files[0] ? (0,markdown/* code */.aY)(job.result_files[0]) : undefined],
        ['Seed', String(job.seed)],
        ['Created by', createdBy(job)],
        ['Data from commit', (0,format/* commitLink */.wn)((0,report_record/* dataCommit */.me)(record))],
        [
            'Deployment',
            record.deployment &&
                `[${(0,markdown/* code */.aY)(record.deployment.name)}](https://portal.azure.com/#resource${record.deployment.id}) serving ${(0,markdown/* code */.aY)(record.deployment.model)}`,
        ],
        ['Hosting', record.deployment && hosting(record.deployment.sku)],
    ]);
}
/** What keeping the deployment costs by the hour beside its tokens, where the table knows its SKU. */
function hosting(sku) {
    const perHour = sku === undefined ? undefined : hostingPerHour(sku);
    // ARM's SKU name is the API's text: shown as code, in one cell.
    const named = sku === undefined ? 'its SKU' : (0,markdown/* code */.aY)(sku);
    if (perHour === undefined)
        return `not known here for ${named}: see [Azure's pricing](${HOSTING_PRICES_SOURCE})`;
    const fee = perHour === 0
        ? `no hourly fee for ${named} (tokens only)`
        : `${(0,prices/* dollars */.E9)(perHour)} per hour for ${named}, beside its tokens`;
    return `${fee}, as of ${HOSTING_PRICES_CHECKED} ([source](${HOSTING_PRICES_SOURCE}))`;
}
/** When each status began and how long it lasted: created, what the wait saw, finished. */
function timeline(record, job, now) {
    const seen = record.timeline ?? [];
    if (seen.length === 0)
        return undefined;
    const points = [
        { status: 'created', at: job.created_at * 1000 },
        ...seen.map((s) => ({ status: s.status, at: s.seenAt })),
    ];
    // The API's own finish time is more exact than when a poll noticed it.
    const last = points.at(-1);
    if (job.finished_at && last.status === job.status)
        last.at = Math.max(job.finished_at * 1000, points.at(-2).at);
    const body = points.map((point, i) => {
        const next = points[i + 1]?.at ?? (job.finished_at ? undefined : now);
        return [point.status, time(point.at), next === undefined ? '' : (0,format/* formatDuration */.a3)(next - point.at)];
    });
    return ['### Timeline', table(['status', 'since', 'for'], body)].join('\n\n');
}
function metric(value, digits) {
    return typeof value === 'number' ? value.toFixed(digits) : '';
}
const LOSS_NAMES = { full_valid_loss: 'full valid loss', valid_loss: 'valid loss' };
/** Each checkpoint's metrics, with the loss the best one is chosen by beside it. */
function checkpoints(list, best) {
    if (!list || list.length === 0)
        return undefined;
    // The full validation loss is measured over the whole validation file, at some steps only.
    const full = list.some((c) => typeof c.metrics.full_valid_loss === 'number');
    const chosenBy = (0,report_record/* bestLoss */.Yr)(list);
    const body = [...list]
        .sort((a, b) => a.step_number - b.step_number)
        .map((c) => [
        String(c.step_number),
        metric(c.metrics.train_loss, 4),
        metric(c.metrics.train_mean_token_accuracy, 3),
        metric(c.metrics.valid_loss, 4),
        metric(c.metrics.valid_mean_token_accuracy, 3),
        ...(full ? [metric(c.metrics.full_valid_loss, 4)] : []),
        (0,markdown/* code */.aY)(c.fine_tuned_model_checkpoint) +
            (c.fine_tuned_model_checkpoint === best && chosenBy ? ` (best: lowest ${LOSS_NAMES[chosenBy]})` : ''),
    ]);
    const header = ['step', 'train loss', 'train accuracy', 'valid loss', 'valid accuracy'];
    if (full)
        header.push('full valid loss');
    return ['### Checkpoints', table([...header, 'model'], body)].join('\n\n');
}
/** Past the first examples only a sample is counted: the figures are estimates, and say so. */
function sampled(tokens, examples) {
    return tokens.exactlyCounted < examples
        ? ` (estimated: ${count(tokens.exactlyCounted)} of ${count(examples)} examples counted)`
        : '';
}
/** Tokens, epochs and dollars; for reinforcement, the hourly rate it is billed at instead. */
function estimateLine(data) {
    const price = data.price?.price;
    if (data.billedTokens === undefined) {
        const rate = price && 'perHour' in price ? ` at **${(0,prices/* dollars */.E9)(price.perHour)} per hour** (${data.price.source})` : '';
        return `Billed by the hour of training${rate}, not by the token: the data cannot say how long the job will train, so no cost is estimated.`;
    }
    const epochs = `${data.epochs} epochs${data.autoEpochs ? ' (auto)' : ''}`;
    const tokens = `Estimated billed tokens: **${count(data.billedTokens)}** (${count(data.files[0].report.tokens.total)} training tokens x ${epochs}).`;
    const cost = data.cost !== undefined && price && 'perMillionTokens' in price
        ? ` Estimated cost: **${(0,prices/* dollars */.E9)(data.cost)}** at ${(0,prices/* dollars */.E9)(price.perMillionTokens)} per million tokens (${data.price.source}).`
        : ' No training price is known for this model here: set `price-per-million-tokens` for a cost estimate.';
    const approximate = data.approximate
        ? " Approximate: the model is not one whose tokenizer and limits this action knows, so tokens were counted as OpenAI's o200k_base counts them."
        : '';
    return tokens + cost + approximate;
}
function dataSection(data) {
    const body = data.files.map(({ given, report }) => {
        const t = report.tokens;
        return [
            (0,markdown/* code */.aY)(given),
            count(report.examples),
            report.messages.mean.toFixed(1),
            `${count(t.min)} / ${count(t.mean)} / ${count(t.p95)} / ${count(t.max)}` + sampled(t, report.examples),
            count(t.total),
        ];
    });
    const parts = [
        '### Data',
        table(['file', 'examples', 'messages per example', 'tokens per example (min / mean / p95 / max)', 'tokens'], body),
        estimateLine(data),
    ];
    const images = data.files
        .filter(({ report }) => report.images > 0)
        .map(({ given, report }) => `- ${(0,markdown/* code */.aY)(given)}: ${(0,data_images/* describeImages */.Sx)(report.images, report.assumedImageSizes)}`);
    if (images.length > 0)
        parts.push(images.join('\n'));
    const warnings = data.files.flatMap(({ given, report }) => report.warnings.map((w) => `- ${(0,markdown/* code */.aY)(given)}: ${(0,markdown/* cell */.Hn)(w.message)} (${w.count === 1 ? `line ${w.line}` : `${count(w.count)} examples, first at line ${w.line}`})`));
    if (warnings.length > 0)
        parts.push(warnings.join('\n'));
    return parts.join('\n\n');
}
/** What a user can do about the commonest reasons a job fails. */
function advice(job) {
    const code = job.error?.code ?? '';
    if (/file|data|example|format/i.test(code)) {
        return 'The training data was refused. Run the action with `validate: true` (or `node dist/validate/index.js` on the file) to see each problem on its line, fix the file, and re-run: a re-run after a failed job creates a new one.';
    }
    if (/quota|billing|limit/i.test(code)) {
        return "The organization's quota or billing stopped the job. Check the billing settings of the organization and project the key belongs to, then re-run.";
    }
    if (/model/i.test(code)) {
        return 'The base model was refused. Check that `model` names a model your organization can fine-tune, with the method you chose.';
    }
    return 'Read the last events below for the cause, fix it, and re-run the workflow: a re-run after a failed job creates a new one.';
}
function failureSection(job) {
    return ['### Why it failed', (0,markdown/* code */.aY)((0,jobs_status/* failureReason */.H)(job), markdown/* ERROR_CHARS */.jI), '### What to do', advice(job)].join('\n\n');
}
function events(record) {
    const list = record.recentEvents ?? [];
    if (list.length === 0)
        return undefined;
    const lines = list.map((e) => `- ${time(e.created_at * 1000)} ${e.level === 'info' ? '' : `**${e.level}** `}${(0,markdown/* code */.aY)(e.message)}`);
    return ['### Last events', lines.join('\n')].join('\n\n');
}
/** The summary as Markdown: a person should see at a glance what ran and how it ended. */
function renderSummary(record, failure, now = Date.now()) {
    // A plan's summary is its pull-request comment, word for word, with where the comment is.
    if (record.planMarkdown !== undefined) {
        const where = record.commentUrl ? `On the pull request: ${record.commentUrl}` : undefined;
        return [record.planMarkdown, where, failure ? `### Error\n\n${(0,markdown/* code */.aY)(failure, markdown/* ERROR_CHARS */.jI)}` : undefined]
            .filter((part) => part !== undefined)
            .join('\n\n');
    }
    const job = record.job;
    const passed = record.evaluation?.passed;
    const judged = record.mode === 'evaluate' && passed !== undefined;
    const status = job?.status ?? (judged ? (passed ? 'succeeded' : 'failed') : failure ? 'not started' : 'unknown');
    const icon = STATUS_ICON[status] ?? (failure ? '❌' : '⏳');
    const heading = (record.mode && HEADING[record.mode]) ?? 'Fine-tuning action';
    const parts = [
        record.mode === 'evaluate'
            ? `## ${icon} Evaluation: ${judged ? (passed ? 'the gate passed' : 'the gate failed') : status}`
            : `## ${icon} ${heading}: ${status}`,
    ];
    if (job) {
        parts.push(links(job, record.baseURL), overview(record, job, now), timeline(record, job, now));
        const hyperparameters = Object.entries(usedHyperparameters(job));
        if (hyperparameters.length > 0) {
            parts.push('### Hyperparameters used', table(['name', 'value'], hyperparameters.map(([k, v]) => [k, String(v)])));
        }
        parts.push(checkpoints(record.checkpoints, (0,report_record/* bestModel */.w5)(record)));
        const chart = record.metrics ? (0,report_chart/* lossChart */.Kj)(record.metrics) : undefined;
        if (chart)
            parts.push('### Loss', chart);
        if (job.status === 'failed')
            parts.push(failureSection(job));
    }
    else if (record.trainingFileId) {
        parts.push(rows([
            ['Training file', (0,markdown/* code */.aY)(record.trainingFileId)],
            ['Validation file', record.validationFileId && (0,markdown/* code */.aY)(record.validationFileId)],
        ]));
    }
    if (record.data)
        parts.push(dataSection(record.data));
    if (record.evaluation)
        parts.push((0,evaluation/* evaluationSection */.i)(record.evaluation));
    if (record.notes.length > 0)
        parts.push(record.notes.map((note) => `- ${note}`).join('\n'));
    if (failure && job?.status !== 'failed')
        parts.push('### Error', (0,markdown/* code */.aY)(failure, markdown/* ERROR_CHARS */.jI));
    parts.push(events(record));
    return parts.filter((part) => part !== undefined).join('\n\n') + '\n';
}
async function writeSummary(record, failure) {
    await core/* summary */.z.addRaw((0,secrets/* redact */.E)(renderSummary(record, failure))).write();
}


/***/ })

};
