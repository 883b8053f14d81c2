export const id = 742;
export const ids = [742];
export const modules = {

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

/***/ 8742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  estimateBeforeTraining: () => (/* binding */ estimateBeforeTraining),
  a3: () => (/* binding */ estimateCost),
  evaluateAfterJob: () => (/* binding */ evaluateAfterJob),
  K2: () => (/* binding */ runEvaluation),
  RY: () => (/* binding */ startEvaluation)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/openai/core/error.mjs
var core_error = __webpack_require__(7922);
;// CONCATENATED MODULE: ./src/api/answers.ts

/**
 * Room above the longest reference answer: another model's tokenizer, or an answer a little longer
 * than the reference, must not be cut short and graded as wrong.
 */
const CAP_FACTOR = 2;
const CAP_MARGIN = 64;
/** The completion-token cap of the answers, from the longest reference answer in tokens. */
const answerCap = (longestReference) => longestReference * CAP_FACTOR + CAP_MARGIN;
const refusesTemperature = (error) => error instanceof core_error/* BadRequestError */.v7 && error.param === 'temperature';
/**
 * Asks models for the evaluation's answers and a judge's scores through chat completions.
 *
 * Temperature 0, so that a re-run asks the same question the same way. Reasoning models (OpenAI's
 * o-series, and deployments of them under any name on Azure) refuse it with a 400 naming the
 * parameter `temperature`: that model is then asked again once without it, and never with it again
 * in this run. Deciding by the answer rather than by the model's name works for a deployment name,
 * a fine-tuned name and a compatible provider's models alike, whose names say nothing of the kind.
 * A reasoning model also spends reasoning tokens under `max_completion_tokens`, so the cap taken
 * from the reference answers, which cannot foresee them, is not sent to such a model: it could cut
 * the answer to nothing.
 */
class Answerer {
    chat;
    reasoning = new Set();
    constructor(chat) {
        this.chat = chat;
    }
    /** A model's answer to a prompt: the text of its first choice ('' for none, or a refusal). */
    answer(model, messages, cap, signal) {
        return this.ask(model, messages, { capFromReference: cap }, signal);
    }
    /** A judge's reply, with the grader's own sampling parameters (temperature 0 unless it sets one). */
    judge(model, messages, params, signal) {
        const { temperature, top_p, seed, max_completions_tokens, reasoning_effort } = params ?? {};
        return this.ask(model, messages, {
            ...(temperature != null ? { temperature } : {}),
            body: {
                ...(top_p != null ? { top_p } : {}),
                ...(seed != null ? { seed } : {}),
                ...(max_completions_tokens != null ? { max_completion_tokens: max_completions_tokens } : {}),
                ...(reasoning_effort != null ? { reasoning_effort } : {}),
            },
        }, signal);
    }
    async ask(model, messages, options, signal) {
        const request = (withTemperature) => ({
            model,
            messages,
            ...(withTemperature ? { temperature: options.temperature ?? 0 } : {}),
            ...(withTemperature && options.capFromReference !== undefined
                ? { max_completion_tokens: options.capFromReference }
                : {}),
            ...options.body,
        });
        let completion;
        if (this.reasoning.has(model))
            completion = await this.chat(request(false), signal);
        else {
            try {
                completion = await this.chat(request(true), signal);
            }
            catch (error) {
                if (!refusesTemperature(error))
                    throw error;
                this.reasoning.add(model);
                completion = await this.chat(request(false), signal);
            }
        }
        return completion.choices[0]?.message.content ?? '';
    }
}

// EXTERNAL MODULE: ./src/data/models.ts + 1 modules
var models = __webpack_require__(8108);
// EXTERNAL MODULE: ./src/data/prices.ts + 1 modules
var prices = __webpack_require__(7777);
// EXTERNAL MODULE: ./src/data/tokens.ts
var tokens = __webpack_require__(3524);
// EXTERNAL MODULE: ./src/eval/graders.ts
var eval_graders = __webpack_require__(7662);
// EXTERNAL MODULE: ./src/eval/template.ts
var template = __webpack_require__(614);
;// CONCATENATED MODULE: ./src/eval/judge.ts

function scoreRange(grader) {
    const [low, high] = grader.range ?? [0, 1];
    return [low, high];
}
/**
 * The judge's messages: the grader's own, templates filled in, then one system message asking
 * for the score alone, so that any chat model's reply can be read (OpenAI's hosted grader asks
 * for structured output instead, which not every provider's models give).
 */
function judgeMessages(grader, item, outputText) {
    const messages = grader.input.map((message) => {
        const parts = Array.isArray(message.content) ? message.content : [message.content];
        const text = parts
            .map((part) => (0,template/* render */.XX)(typeof part === 'string' ? part : 'text' in part ? part.text : '', item, outputText))
            .join('\n');
        return { role: message.role, content: text };
    });
    const [low, high] = scoreRange(grader);
    messages.push({
        role: 'system',
        content: `Reply with the score alone: one number from ${low} to ${high}.`,
    });
    return messages;
}
/**
 * The score in a judge's reply: a bare number, a JSON object's `result` (the shape OpenAI's
 * score_model grader returns), or else the first number in the text. Throws when there is none
 * or it falls outside the range; the message never quotes the reply, which is the API's text.
 */
function readScore(reply, [low, high]) {
    const text = reply.trim();
    let score;
    try {
        const parsed = JSON.parse(text);
        if (typeof parsed === 'number')
            score = parsed;
        else if (typeof parsed === 'object' && parsed !== null && typeof parsed['result'] === 'number')
            score = parsed['result'];
    }
    catch {
        // not JSON: look for a number in the text
    }
    if (score === undefined) {
        const match = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text);
        if (!match)
            throw new Error('the judge replied without a score');
        score = Number(match[0]);
    }
    if (!(score >= low && score <= high))
        throw new Error(`the judge's score ${score} is outside the range ${low} to ${high}`);
    return score;
}

;// CONCATENATED MODULE: ./src/eval/estimate.ts



// A judge replies with a number. Reasoning tokens, which a reasoning judge also bills, are not
// known before it runs; a grader's max_completions_tokens bounds them and is taken when given.
const JUDGE_REPLY_TOKENS = 4;
/**
 * The tokens an evaluation will spend before anything is spent: each prompt sent to each model
 * (the candidate, and the baseline unless there is none), each answer estimated as long as the
 * example's reference answer, and each judge call per answer with the reference standing in for
 * the answer. Prompts are counted as chat messages, as the training data is (data/tokens.ts).
 */
async function estimateEvaluation(examples, options) {
    const models = options.baseline === undefined ? [options.candidate] : [options.candidate, options.baseline];
    const judging = (0,eval_graders/* judges */.N0)(options.graders);
    const byModel = {};
    const add = (model, input, output) => {
        const entry = (byModel[model] ??= { requests: 0, inputTokens: 0, outputTokens: 0 });
        entry.requests += 1;
        entry.inputTokens += input;
        entry.outputTokens += output;
    };
    let count = 0;
    let longestReference = 0;
    for await (const example of examples) {
        count += 1;
        const prompt = (0,tokens/* exampleTokens */.Lu)('supervised', { messages: example.prompt }, options.count);
        const answer = example.reference === undefined ? 0 : options.count(example.reference);
        longestReference = Math.max(longestReference, answer);
        // A judge's prompt holds the example, not the answer's model: counted once, asked per model.
        const calls = judging.map((judge) => ({
            model: judge.model,
            input: (0,tokens/* exampleTokens */.Lu)('supervised', { messages: judgeMessages(judge, example.item, example.reference ?? '') }, options.count),
            reply: judge.sampling_params?.max_completions_tokens ?? JUDGE_REPLY_TOKENS,
        }));
        for (const model of models) {
            add(model, prompt, answer);
            for (const call of calls)
                add(call.model, call.input, call.reply);
        }
    }
    const total = { requests: 0, inputTokens: 0, outputTokens: 0 };
    for (const entry of Object.values(byModel)) {
        total.requests += entry.requests;
        total.inputTokens += entry.inputTokens;
        total.outputTokens += entry.outputTokens;
    }
    return { examples: count, longestReference, byModel, total };
}

// EXTERNAL MODULE: ./src/eval/examples.ts
var examples = __webpack_require__(3187);
;// CONCATENATED MODULE: ./src/eval/gate.ts
// Means are sums of floating-point scores: a candidate that answers exactly as the baseline must
// not fail by a rounding error.
const EPSILON = 1e-9;
const show = (value) => value.toFixed(4).replace(/\.?0+$/, '');
/**
 * The gate: passes when the candidate's mean reaches `min-score` (when given) and is no more than
 * `max-regression` below the baseline's (when there is a baseline).
 */
function gate({ candidate, baseline, minScore, maxRegression = 0 }) {
    const reasons = [];
    if (minScore !== undefined && candidate < minScore - EPSILON)
        reasons.push(`the candidate's mean score ${show(candidate)} is below min-score ${show(minScore)}`);
    if (baseline !== undefined && candidate < baseline - maxRegression - EPSILON) {
        reasons.push(`the candidate's mean score ${show(candidate)} is ${show(baseline - candidate)} below the baseline's ` +
            `${show(baseline)}, more than max-regression ${show(maxRegression)} allows`);
    }
    return { passed: reasons.length === 0, reasons };
}

;// CONCATENATED MODULE: ./src/eval/record.ts
/**
 * One line of an eval file made of a model's answer (`record-answers`): the prompt, then the answer
 * as the final assistant message, which a later evaluation reads as the reference.
 */
function answerLine(record, side) {
    const answered = record[side];
    if (!answered)
        throw new Error(`the evaluation has no ${side} answers`);
    return JSON.stringify({ messages: [...record.prompt, { role: 'assistant', content: answered.answer }] });
}

;// CONCATENATED MODULE: ./src/eval/report.ts
/** The examples where the candidate scored furthest below the baseline, worst first; ties by line. */
function regressedMost(records, count) {
    return records
        .filter((record) => record.baseline !== undefined && record.baseline.score > record.candidate.score)
        .map((record) => ({ ...record, drop: record.baseline.score - record.candidate.score }))
        .sort((a, b) => b.drop - a.drop || a.line - b.line)
        .slice(0, count);
}
/** How many regressed examples the report lists; the summary may show fewer. */
const REGRESSED_IN_REPORT = 20;
function buildReport(result, graders, decision, rules) {
    return {
        version: 1,
        graders,
        summary: result.summary,
        gate: { ...decision, ...rules },
        regressed: regressedMost(result.records, REGRESSED_IN_REPORT),
        examples: result.records,
    };
}

// EXTERNAL MODULE: ./src/eval/formula.ts
var eval_formula = __webpack_require__(3272);
// EXTERNAL MODULE: ./src/eval/similarity.ts + 3 modules
var similarity = __webpack_require__(5376);
;// CONCATENATED MODULE: ./src/eval/grade.ts




/**
 * string_check as OpenAI's graders guide defines it: eq and ne compare exactly; like is "the input
 * contains the reference", ilike the same ignoring case. 1 or 0.
 */
function stringCheck(operation, input, reference) {
    switch (operation) {
        case 'eq':
            return input === reference ? 1 : 0;
        case 'ne':
            return input !== reference ? 1 : 0;
        case 'like':
            return input.includes(reference) ? 1 : 0;
        case 'ilike':
            return input.toLowerCase().includes(reference.toLowerCase()) ? 1 : 0;
    }
}
const formulas = new WeakMap();
/**
 * Grades one answer with one grader. A judge's failure to reply with a score is the grader's
 * error (scored 0, reported); a failed request to the judge, and an abort, are thrown.
 */
async function grade(grader, context) {
    const { item, output } = context;
    switch (grader.type) {
        case 'string_check': {
            const score = stringCheck(grader.operation, (0,template/* render */.XX)(grader.input, item, output), (0,template/* render */.XX)(grader.reference, item, output));
            return { score, passed: score === 1 };
        }
        case 'text_similarity': {
            const score = (0,similarity/* similarity */.k8)(grader.evaluation_metric, (0,template/* render */.XX)(grader.input, item, output), (0,template/* render */.XX)(grader.reference, item, output));
            return withThreshold({ score }, score, grader.pass_threshold);
        }
        case 'score_model': {
            if (!context.ask)
                throw new Error(`the score_model grader '${grader.name}' needs a judge to ask`);
            const range = scoreRange(grader);
            const reply = await context.ask(grader.model, judgeMessages(grader, item, output), grader.sampling_params, context.signal);
            try {
                const raw = readScore(reply, range);
                // The mean is taken on 0 to 1; pass_threshold is in the grader's own range, as OpenAI's.
                return withThreshold({ score: (raw - range[0]) / (range[1] - range[0]), raw }, raw, grader.pass_threshold);
            }
            catch (error) {
                return { score: 0, error: error.message };
            }
        }
        case 'multi':
            return gradeMulti(grader, context);
    }
}
function withThreshold(result, figure, threshold) {
    return threshold === undefined ? result : { ...result, passed: figure >= threshold };
}
/**
 * A multi grader: its graders' own figures (a score_model's in its range, as OpenAI's formulas
 * see them) through calculate_output; the result held to 0 to 1 for the means.
 */
async function gradeMulti(grader, context) {
    let formula = formulas.get(grader);
    if (!formula)
        formulas.set(grader, (formula = (0,eval_formula/* compileFormula */._)(grader.calculate_output, Object.keys(grader.graders))));
    const figures = {};
    for (const [key, inner] of Object.entries(grader.graders)) {
        const result = await grade(inner, context);
        if (result.error)
            return { score: 0, error: `${key}: ${result.error}` };
        figures[key] = result.raw ?? result.score;
    }
    const raw = formula(figures);
    if (!Number.isFinite(raw))
        return { score: 0, error: `calculate_output gave ${raw}` };
    return { score: Math.min(1, Math.max(0, raw)), raw };
}

;// CONCATENATED MODULE: ./src/eval/stats.ts
// Means and their 95% intervals by the paired bootstrap (Efron and Tibshirani, "An Introduction
// to the Bootstrap", 1993; Koehn, "Statistical Significance Tests for Machine Translation
// Evaluation", 2004, for the paired form): the examples are drawn with replacement, the same draw
// for the candidate and the baseline, and the interval is the 2.5th to the 97.5th percentile of
// the means over the draws.
/** Draws per interval: enough for percentiles stable to about a point on a 0..1 mean. */
const BOOTSTRAP_RESAMPLES = 1000;
/** A fixed seed: the same scores give the same interval on every run, so a re-run reads the same. */
const BOOTSTRAP_SEED = 0x5eed;
function mean(values) {
    let sum = 0;
    for (const value of values)
        sum += value;
    return values.length === 0 ? 0 : sum / values.length;
}
/** mulberry32: a small seeded generator of numbers in [0, 1), plenty for resampling. */
function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
/** The q-th quantile of sorted values, interpolated between neighbours (numpy's default). */
function quantile(sorted, q) {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}
/**
 * The 95% interval of the mean of each series, all series resampled with the same draws of
 * example indices: the series are per-example figures of the same examples (the candidate's
 * scores, the baseline's, their differences), so each draw keeps them paired.
 */
function pairedBootstrap(series, resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED) {
    const n = series[0]?.length ?? 0;
    if (n === 0)
        return series.map(() => [0, 0]);
    const random = seededRandom(seed);
    const means = series.map(() => new Float64Array(resamples));
    const sums = new Float64Array(series.length);
    for (let r = 0; r < resamples; r += 1) {
        sums.fill(0);
        for (let i = 0; i < n; i += 1) {
            const pick = Math.floor(random() * n);
            for (let s = 0; s < series.length; s += 1)
                sums[s] += series[s][pick];
        }
        for (let s = 0; s < series.length; s += 1)
            means[s][r] = sums[s] / n;
    }
    return means.map((values) => {
        const sorted = Array.from(values).sort((a, b) => a - b);
        return [quantile(sorted, 0.025), quantile(sorted, 0.975)];
    });
}

;// CONCATENATED MODULE: ./src/eval/summary.ts

const hasThreshold = (grader) => grader.type === 'string_check' ||
    ((grader.type === 'text_similarity' || grader.type === 'score_model') &&
        grader.pass_threshold !== undefined);
/** Means, pass rates and paired-bootstrap intervals of a finished evaluation. */
function summarize(records, graders, candidate, baseline) {
    const names = graders.map((grader) => grader.name);
    const side = (pick) => ({
        overall: records.map((record) => pick(record).score),
        graders: names.map((name) => records.map((record) => pick(record).graders[name].score)),
    });
    const ours = side((record) => record.candidate);
    const theirs = baseline === undefined ? undefined : side((record) => record.baseline);
    const minus = (a, b) => a.map((value, i) => value - b[i]);
    const series = [ours.overall, ...ours.graders];
    if (theirs) {
        series.push(theirs.overall, ...theirs.graders);
        series.push(minus(ours.overall, theirs.overall), ...ours.graders.map((values, g) => minus(values, theirs.graders[g])));
    }
    const intervals = pairedBootstrap(series);
    const width = names.length + 1;
    const model = (name, pick, offset) => ({
        model: name,
        score: mean(series[offset]),
        interval: intervals[offset],
        graders: Object.fromEntries(graders.map((grader, g) => {
            const results = records.map((record) => pick(record).graders[grader.name]);
            const summary = {
                mean: mean(series[offset + 1 + g]),
                interval: intervals[offset + 1 + g],
                errors: results.filter((result) => result.error !== undefined).length,
            };
            if (hasThreshold(grader))
                summary.passRate = results.filter((result) => result.passed).length / results.length;
            return [grader.name, summary];
        })),
    });
    const summary = {
        examples: records.length,
        candidate: model(candidate, (r) => r.candidate, 0),
    };
    if (baseline !== undefined) {
        summary.baseline = model(baseline, (r) => r.baseline, width);
        summary.difference = {
            score: mean(series[2 * width]),
            interval: intervals[2 * width],
            graders: Object.fromEntries(names.map((name, g) => [
                name,
                { mean: mean(series[2 * width + 1 + g]), interval: intervals[2 * width + 1 + g] },
            ])),
        };
    }
    return summary;
}

;// CONCATENATED MODULE: ./src/eval/run.ts




/**
 * At most `max` tasks running at once. Hand-written (a dozen lines) rather than a dependency: a
 * freed slot passes straight to the next waiting task, so no newcomer can slip in between.
 */
function limiter(max) {
    let active = 0;
    const waiting = [];
    return async (task) => {
        if (active < max)
            active += 1;
        else
            await new Promise((resolve) => waiting.push(resolve));
        try {
            return await task();
        }
        finally {
            const next = waiting.shift();
            if (next)
                next();
            else
                active -= 1;
        }
    };
}
function aborted(signal) {
    return new Promise((_, reject) => {
        if (signal.aborted)
            reject(signal.reason);
        else
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
}
/**
 * Answers every example with the candidate and the baseline and grades each answer. At most
 * `concurrency` requests are in flight; an abort of `signal` rejects at once with its reason and
 * cancels the requests in flight (their signal), as does the first request that fails.
 */
async function evaluate(options) {
    const { graders, candidate, baseline } = options;
    if (!(options.concurrency >= 1))
        throw new Error('concurrency must be at least 1');
    if (!options.ask && (0,eval_graders/* judges */.N0)(graders).length > 0)
        throw new Error('a score_model grader needs a judge to ask');
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const limit = limiter(options.concurrency);
    const guarded = (task) => limit(() => {
        signal.throwIfAborted();
        return task();
    });
    const ask = options.ask &&
        ((model, messages, params) => guarded(() => options.ask(model, messages, params, signal)));
    const answerAndGrade = async (model, example) => {
        const answer = await guarded(() => options.answer(model, example.prompt, signal));
        const scores = {};
        for (const grader of graders)
            scores[grader.name] = await grade(grader, { item: example.item, output: answer, ask, signal });
        return { answer, score: mean(Object.values(scores).map((s) => s.score)), graders: scores };
    };
    const records = [];
    const iterator = (Symbol.asyncIterator in options.examples
        ? options.examples[Symbol.asyncIterator]()
        : options.examples[Symbol.iterator]());
    const worker = async () => {
        for (;;) {
            signal.throwIfAborted();
            const next = await iterator.next();
            if (next.done)
                return;
            const example = next.value;
            const [answered, compared] = await Promise.all([
                answerAndGrade(candidate, example),
                baseline === undefined ? undefined : answerAndGrade(baseline, example),
            ]);
            records.push({
                line: example.line,
                prompt: example.prompt,
                reference: example.reference,
                candidate: answered,
                baseline: compared,
            });
        }
    };
    const workers = Promise.all(Array.from({ length: options.concurrency }, worker));
    try {
        await Promise.race([workers, aborted(signal)]);
    }
    catch (error) {
        stop.abort(error);
        workers.catch(() => { }); // the workers' own rejections follow the abort; the first error is the one
        throw options.signal?.aborted ? options.signal.reason : error;
    }
    if (records.length === 0)
        throw new Error('the eval file has no examples');
    records.sort((a, b) => a.line - b.line);
    return { records, summary: summarize(records, graders, candidate, baseline) };
}

// EXTERNAL MODULE: ./src/facts/inference-prices.ts
var inference_prices = __webpack_require__(8295);
// EXTERNAL MODULE: ./src/facts/input-error.ts
var input_error = __webpack_require__(2740);
// EXTERNAL MODULE: ./src/github/log.ts
var log = __webpack_require__(3385);
// EXTERNAL MODULE: ./src/jobs/lookup.ts
var lookup = __webpack_require__(5592);
// EXTERNAL MODULE: ./src/jobs/tags.ts
var tags = __webpack_require__(7299);
// EXTERNAL MODULE: ./src/report/evaluation.ts
var evaluation = __webpack_require__(9686);
;// CONCATENATED MODULE: ./src/modes/evaluation.ts




















const fineTunedName = (model) => model.startsWith('ft:');
/**
 * The evaluation's tokens and, where inference prices are known, dollars, before anything is
 * spent; over `max-cost` (with `trainingCost`, which the same ceiling covers) it refuses, naming
 * the input, before any upload or answer.
 */
async function estimateCost(settings, provider, candidate, baseline, ceiling) {
    const count = await (0,tokens/* loadTokenizer */.Ym)((0,models/* modelRules */.Bs)(candidate.pricedAs, provider).encoding);
    const estimate = await estimateEvaluation((0,examples/* readExamples */.A)((0,external_node_fs_.createReadStream)(settings.file), settings.graders), {
        graders: settings.graders,
        count,
        candidate: candidate.model,
        ...(baseline !== undefined ? { baseline } : {}),
    });
    const byModel = Object.entries(estimate.byModel).map(([model, tokens]) => {
        const [priced, fineTuned] = model === candidate.model ? [candidate.pricedAs, candidate.fineTuned] : [model, fineTunedName(model)];
        const price = (0,inference_prices/* inferencePrice */.po)(provider, (0,models/* modelRules */.Bs)(priced, provider).info?.name, fineTuned);
        return {
            model,
            ...tokens,
            ...(price
                ? {
                    dollars: (tokens.inputTokens * price.inputPerMillion + tokens.outputTokens * price.outputPerMillion) /
                        1e6,
                }
                : {}),
        };
    });
    const cost = {
        estimate: {
            examples: estimate.examples,
            longestReference: estimate.longestReference,
            total: estimate.total,
        },
        byModel,
        dollars: byModel.reduce((sum, entry) => sum + (entry.dollars ?? 0), 0),
        unpriced: byModel.filter((entry) => entry.dollars === undefined).map((entry) => entry.model),
    };
    core/* info */.pq((0,log/* logText */.k)(`The evaluation: ${(0,evaluation/* costText */.r)(cost)}`));
    if (ceiling) {
        const total = cost.dollars + (ceiling.trainingCost ?? 0);
        if (total > ceiling.maxCost) {
            const training = ceiling.trainingCost !== undefined
                ? ` (training ${(0,prices/* dollars */.E9)(ceiling.trainingCost)}, evaluation ${(0,prices/* dollars */.E9)(cost.dollars)})`
                : '';
            throw new input_error/* InputError */.d('max-cost', `is ${(0,prices/* dollars */.E9)(ceiling.maxCost)}, but this run would cost about ${(0,prices/* dollars */.E9)(total)}${training}; nothing was spent`);
        }
        if (cost.unpriced.length > 0) {
            // core.warning escapes line breaks itself.
            core/* warning */.$e(`max-cost does not cover ${cost.unpriced.join(', ')}: no inference price is known for them here`);
        }
    }
    return cost;
}
/**
 * The baseline: the one named, none, or by default the model of the last succeeded job of the same
 * lineage (found by tag and kept only when the job's own metadata carries it), else the base model.
 * On Azure the default is what `deployment-name` serves (evaluateOnItsDeployment).
 */
async function resolveBaseline(client, choice, lineage) {
    if (choice.kind === 'none')
        return { why: 'baseline-model is none' };
    if (choice.kind === 'model')
        return { model: choice.model, why: choice.why ?? 'set by baseline-model' };
    if (lineage.tag) {
        const last = await (0,lookup/* lastSucceeded */.gw)(client, lineage.tag, lineage.excludeJobId);
        if (last)
            return {
                model: last.fine_tuned_model,
                why: `the model of ${last.id}, the last succeeded job of this model and method here`,
            };
    }
    return {
        model: lineage.base,
        why: 'the base model: no earlier job of this model and method here succeeded',
    };
}
/** The file the `eval-report` output points at: under RUNNER_TEMP, in a folder of its own. */
function reportFile() {
    const folder = (0,external_node_fs_.mkdtempSync)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'eval-report-'));
    return external_node_path_default().join(folder, 'eval-report.json');
}
/** Writes lines to a path checked when the inputs were read; never through a symlink put there since. */
function writeLines(file, lines) {
    const fd = (0,external_node_fs_.openSync)(file, external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_TRUNC | external_node_fs_.constants.O_NOFOLLOW, 0o644);
    try {
        for (const line of lines)
            (0,external_node_fs_.writeSync)(fd, `${line}\n`);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/**
 * Answers, grades and decides; writes the report (and record-answers), and records it all for the
 * outputs and the summary. A failed gate throws after everything is written (on-eval-fail: fail)
 * or warns (warn). Nothing is promoted here.
 */
async function runEvaluation(client, settings, models, evaluation, signal) {
    const { candidate, baseline } = models;
    evaluation.candidate = candidate;
    evaluation.baseline = baseline;
    evaluation.baselineWhy = models.baselineWhy;
    const answerer = new Answerer((body, requestSignal) => client.chat(body, requestSignal));
    const cap = answerCap(evaluation.cost.estimate.longestReference);
    const against = baseline
        ? ` against ${(0,log/* logText */.k)(baseline)} (${(0,log/* logText */.k)(models.baselineWhy)})`
        : ' with no baseline';
    const result = await core/* group */.Os(`Evaluate ${(0,log/* logText */.k)(candidate)}${against}`, () => evaluate({
        examples: (0,examples/* readExamples */.A)((0,external_node_fs_.createReadStream)(settings.file), settings.graders),
        graders: settings.graders,
        answer: (model, prompt, requestSignal) => answerer.answer(model, prompt, cap, requestSignal),
        ask: (model, messages, params, requestSignal) => answerer.judge(model, messages, params, requestSignal),
        candidate,
        ...(baseline !== undefined ? { baseline } : {}),
        concurrency: settings.concurrency,
        ...(signal ? { signal } : {}),
    }));
    const rules = {
        ...(settings.minScore !== undefined ? { minScore: settings.minScore } : {}),
        maxRegression: settings.maxRegression,
    };
    const decision = gate({
        candidate: result.summary.candidate.score,
        baseline: result.summary.baseline?.score,
        ...rules,
    });
    const report = buildReport(result, settings.graders, decision, rules);
    evaluation.report = report;
    evaluation.passed = decision.passed;
    const file = reportFile();
    (0,external_node_fs_.writeFileSync)(file, JSON.stringify(report));
    evaluation.reportPath = file;
    if (settings.recordAnswers) {
        writeLines(settings.recordAnswers, result.records.map((record) => answerLine(record, models.recordSide)));
        evaluation.recordedAnswers = settings.recordAnswers;
    }
    const scores = `${result.summary.candidate.score.toFixed(4)}${result.summary.baseline ? ` against the baseline's ${result.summary.baseline.score.toFixed(4)}` : ''}`;
    if (decision.passed) {
        core/* info */.pq(`The evaluation gate passed: mean score ${scores}`);
        return;
    }
    const failed = `The evaluation gate failed: ${decision.reasons.join('; ')}`;
    if (settings.onFail === 'warn') {
        core/* warning */.$e(`${failed} (on-eval-fail: warn; nothing was promoted)`);
        return;
    }
    throw new Error(`${failed}; nothing was promoted`);
}
/** Mode evaluate's and a job's evaluation both start here: a record, in the run's record. */
function startEvaluation(record, cost) {
    record.evaluation = { cost, promoted: false };
    return record.evaluation;
}
/**
 * fine-tune, before anything is uploaded: the evaluation of the model to come, priced at the
 * fine-tuned rate of its base model, against the baseline it would meet today; `max-cost` covers
 * the training and this together.
 */
async function estimateBeforeTraining(config, client, record) {
    const settings = config.evaluation;
    if (!settings)
        return;
    const base = config.job.model;
    const { model: baseline } = await resolveBaseline(client, settings.baseline, {
        tag: (0,tags/* lineageTag */.QG)(config.job, config.run.repository),
        base,
    });
    const candidate = { model: `${base} (fine-tuned)`, pricedAs: base, fineTuned: true };
    const ceiling = config.maxCost !== undefined
        ? {
            maxCost: config.maxCost,
            ...(record.data?.cost !== undefined ? { trainingCost: record.data.cost } : {}),
        }
        : undefined;
    startEvaluation(record, await estimateCost(settings, config.connection.provider, candidate, baseline, ceiling));
}
/**
 * fine-tune and wait, once the job succeeded (or was reused): its model against the baseline. On
 * Azure (`deployment-name`) the model answers from a deployment of its own, and deployment-name
 * serves it only when the gate passes. A job that did not succeed (wait: false, on-timeout:
 * continue) has no model to evaluate.
 */
async function evaluateAfterJob(config, client, record, context) {
    const settings = config.evaluation;
    const job = record.job;
    if (!settings || !job)
        return;
    if (job.status !== 'succeeded' || !job.fine_tuned_model) {
        const why = `eval-file: job ${job.id} is ${job.status}, so there was no model to evaluate`;
        record.notes.push(`${why}.`);
        core/* warning */.$e(why);
        return;
    }
    const candidate = job.fine_tuned_model;
    const priced = { model: candidate, pricedAs: candidate, fineTuned: true };
    if (config.deploy) {
        await evaluateOnItsDeployment(config, config.deploy, client, record, context, priced);
        return;
    }
    const lineage = {
        tag: job.metadata?.[tags/* TAG */.Dk.lineage] ?? record.tags?.lineage,
        base: job.model,
        excludeJobId: job.id,
    };
    const baseline = await resolveBaseline(client, settings.baseline, lineage);
    const evaluation = record.evaluation ??
        startEvaluation(record, await estimateCost(settings, config.connection.provider, priced, baseline.model));
    await runEvaluation(client, settings, {
        candidate,
        ...(baseline.model ? { baseline: baseline.model } : {}),
        baselineWhy: baseline.why,
        recordSide: 'baseline',
    }, evaluation, context.signal);
}
/**
 * Azure: a fine-tuned model answers only from a deployment. The candidate gets one of its own for
 * the evaluation (deleted in every outcome), the baseline answers through deployment-name, and a
 * passing gate points deployment-name at the candidate.
 */
async function evaluateOnItsDeployment(config, deploy, client, record, context, priced) {
    const settings = config.evaluation;
    const { evaluateAndPromote } = await __webpack_require__.e(/* import() */ 408).then(__webpack_require__.bind(__webpack_require__, 2408));
    const choice = settings.baseline;
    const baseline = choice.kind === 'none' ? 'none' : choice.kind === 'model' ? { deployment: choice.model } : 'served';
    const evaluation = record.evaluation ??
        startEvaluation(record, await estimateCost(settings, config.connection.provider, priced, choice.kind === 'none' ? undefined : choice.kind === 'model' ? choice.model : deploy.name));
    const run = 'run' in config ? config.run : (await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 9556))).readRunContext();
    const result = await evaluateAndPromote(deploy, record, context, {
        run,
        baseline,
        evaluate: async (candidateDeployment, baselineDeployment) => {
            const why = choice.kind === 'model' ? 'set by baseline-model' : `the model ${deploy.name} serves now`;
            await runEvaluation(client, settings, {
                candidate: candidateDeployment,
                ...(baselineDeployment
                    ? { baseline: baselineDeployment, baselineWhy: why }
                    : { baselineWhy: 'none' }),
                recordSide: 'baseline',
            }, evaluation, context.signal);
            return { passed: evaluation.passed === true };
        },
    });
    evaluation.promoted = result?.promoted === true;
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


/***/ })

};
