import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({});
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
;// CONCATENATED MODULE: ./src/method.ts

const METHOD_TYPES = ['supervised', 'dpo', 'reinforcement'];
const BATCH_SIZE = { kind: 'integer', min: 1, max: 256 };
const LEARNING_RATE = { kind: 'number', min: 0, exclusiveMin: true };
const EPOCHS = { kind: 'integer', min: 1, max: 50 };
/**
 * Each method's hyperparameters and the ranges the API accepts, as written in the OpenAPI contract
 * (FineTune*Hyperparameters). A unit test compares this table with the contract, so the two cannot
 * drift; it lives here rather than as a schema validator at run time to keep start-up cheap.
 */
const HYPERPARAMETER_RULES = {
    supervised: { batch_size: BATCH_SIZE, learning_rate_multiplier: LEARNING_RATE, n_epochs: EPOCHS },
    dpo: {
        batch_size: BATCH_SIZE,
        learning_rate_multiplier: LEARNING_RATE,
        n_epochs: EPOCHS,
        beta: { kind: 'number', min: 0, exclusiveMin: true, max: 2 },
    },
    reinforcement: {
        batch_size: BATCH_SIZE,
        learning_rate_multiplier: LEARNING_RATE,
        n_epochs: EPOCHS,
        compute_multiplier: { kind: 'number', min: 0.00001, exclusiveMin: true, max: 10 },
        eval_interval: { kind: 'integer', min: 1 },
        eval_samples: { kind: 'integer', min: 1 },
        reasoning_effort: { kind: 'enum', values: ['default', 'low', 'medium', 'high'] },
    },
};
/** The fields each grader type requires, from the contract's Grader* schemas (checked by a test). */
const GRADER_REQUIRED = {
    string_check: ['type', 'name', 'input', 'reference', 'operation'],
    text_similarity: ['type', 'name', 'input', 'reference', 'evaluation_metric'],
    python: ['type', 'name', 'source'],
    score_model: ['type', 'name', 'input', 'model'],
    multi: ['type', 'name', 'graders', 'calculate_output'],
};
/** Checks a hyperparameters mapping against the method's rules; throws the problem in words. */
function checkHyperparameters(method, values) {
    const rules = HYPERPARAMETER_RULES[method];
    const checked = {};
    for (const [key, raw] of Object.entries(values)) {
        // hasOwn: a key such as 'constructor' must not find Object's prototype.
        const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
        if (!rule) {
            throw new Error(`has unknown key '${key}' for method ${method}; allowed: ${Object.keys(rules).join(', ')}`);
        }
        checked[key] = checkValue(key, rule, raw);
    }
    return checked;
}
function checkValue(key, rule, raw) {
    if (rule.kind === 'enum') {
        if (typeof raw === 'string' && rule.values.includes(raw))
            return raw;
        throw new Error(`key '${key}' must be one of ${rule.values.join(', ')}, got ${describe(raw)}`);
    }
    if (raw === 'auto')
        return raw;
    // Workflow expressions often arrive quoted ("3"), so a plain decimal string counts as its number.
    const value = typeof raw === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isFinite(value) && inRange(value, rule))
        return value;
    throw new Error(`key '${key}' must be auto or ${rangeText(rule)}, got ${describe(raw)}`);
}
function inRange(value, rule) {
    if (rule.kind === 'integer' && !Number.isInteger(value))
        return false;
    if (rule.exclusiveMin ? value <= rule.min : value < rule.min)
        return false;
    return rule.max === undefined || value <= rule.max;
}
function rangeText(rule) {
    const noun = rule.kind === 'integer' ? 'a whole number' : 'a number';
    const low = rule.exclusiveMin ? `greater than ${rule.min}` : `at least ${rule.min}`;
    return rule.max === undefined ? `${noun} ${low}` : `${noun} ${low} and at most ${rule.max}`;
}
/** Checks the shape the API requires of a grader; the API itself judges the grader's content. */
function checkGrader(value) {
    if (!isMapping(value))
        throw new Error(`must be a grader mapping, got ${describe(value)}`);
    const type = value['type'];
    const required = typeof type === 'string' && Object.hasOwn(GRADER_REQUIRED, type) ? GRADER_REQUIRED[type] : undefined;
    if (!required) {
        throw new Error(`has type ${describe(type)}; expected one of ${Object.keys(GRADER_REQUIRED).join(', ')}`);
    }
    const missing = required.filter((field) => !(field in value));
    if (missing.length > 0)
        throw new Error(`(a ${type} grader) lacks ${missing.join(', ')}`);
    return value;
}
/** The `method` object of the create request, in the SDK's own type. */
function buildMethod(type, hyperparameters, grader) {
    const settings = hyperparameters && Object.keys(hyperparameters).length > 0 ? { hyperparameters } : {};
    switch (type) {
        case 'supervised':
            return { type, supervised: settings };
        case 'dpo':
            return { type, dpo: settings };
        case 'reinforcement':
            // The grader's inner shape is the API's to judge; checkGrader has checked its type and required fields.
            return { type, reinforcement: { ...settings, grader: grader } };
    }
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/runner.ts


const escapeData = (text) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
function command(name, properties, message) {
    const props = Object.entries(properties)
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
    process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
/**
 * A delimiter found nowhere in the key or the value, so that the value cannot end its own block
 * early and write other outputs. @actions/core draws a random UUID for this, and the checks it
 * then makes are what keep the block whole; making the same checks while counting up gives the
 * same safety without loading node:crypto, about 4 ms of every start (`npm run bench`).
 */
function delimiterFor(key, value) {
    for (let n = 0;; n++) {
        const delimiter = `ghadelimiter_${n}`;
        if (!key.includes(delimiter) && !value.includes(delimiter))
            return delimiter;
    }
}
/** A `name<<delimiter` block, the form that carries any value, newlines included. */
function fileCommand(variable, key, value) {
    const file = process.env[variable];
    if (!file)
        return false;
    const delimiter = delimiterFor(key, value);
    appendFileSync(file, `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
    return true;
}
/** An input as the runner passes it (`INPUT_<NAME>`), trimmed; '' when unset. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
/** The runner replaces the value with *** in every log line from now on. */
function setSecret(value) {
    command('add-mask', {}, value);
}
function setOutput(name, value) {
    // Outside the runner (no GITHUB_OUTPUT) the command form still shows the value in the log.
    if (!fileCommand('GITHUB_OUTPUT', name, value))
        command('set-output', { name }, value);
}
/** For the post step, which reads it back as STATE_<name>. */
function saveState(name, value) {
    if (!fileCommand('GITHUB_STATE', name, value))
        command('save-state', { name }, value);
}
function getState(name) {
    return process.env[`STATE_${name}`] ?? '';
}
/** Shown only when the run is re-run with debug logging. */
function debug(message) {
    command('debug', {}, message);
}
function info(message) {
    process.stdout.write(message + external_node_os_namespaceObject.EOL);
}
function annotation(kind, message, properties) {
    command(kind, { title: properties.title, file: properties.file, line: properties.startLine }, message);
}
function warning(message, properties = {}) {
    annotation('warning', message, properties);
}
function error(message, properties = {}) {
    annotation('error', message, properties);
}
/** Fails the step with this message, without ending the process (outputs may still be written). */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** Runs `work` inside a collapsible group of the log, closing it whatever happens. */
async function group(name, work) {
    command('group', {}, name);
    try {
        return await work();
    }
    finally {
        command('endgroup', {}, '');
    }
}
/** Adds Markdown to the job summary; outside the runner there is none, and nothing is written. */
function appendSummary(markdown) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (file)
        appendFileSync(file, markdown, 'utf8');
}

;// CONCATENATED MODULE: ./src/input-error.ts
/** A problem with one input: the step fails before any request that creates or changes anything. */
class InputError extends Error {
    input;
    constructor(input, problem) {
        super(`Input '${input}' ${problem}`);
        this.input = input;
        this.name = 'InputError';
    }
}

;// CONCATENATED MODULE: ./src/data/formats.ts
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const PART_TYPES = new Set(['text', 'image_url']);
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
function kind(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
function checkContent(message, at, errors) {
    const content = message['content'];
    if (typeof content === 'string')
        return;
    if (content === null || content === undefined) {
        // Only an assistant message that calls tools may leave its content out.
        if (message['role'] === 'assistant' && Array.isArray(message['tool_calls']))
            return;
        errors.push(`${at}.content is missing`);
        return;
    }
    if (!Array.isArray(content)) {
        errors.push(`${at}.content must be a string or a list of parts, not ${kind(content)}`);
        return;
    }
    content.forEach((part, i) => {
        if (!isObject(part) || typeof part['type'] !== 'string' || !PART_TYPES.has(part['type'])) {
            errors.push(`${at}.content[${i}] must be a part of type text or image_url`);
        }
        else if (part['type'] === 'text' && typeof part['text'] !== 'string') {
            errors.push(`${at}.content[${i}].text must be a string`);
        }
        else if (part['type'] === 'image_url' && !isObject(part['image_url'])) {
            errors.push(`${at}.content[${i}].image_url must be an object with a url`);
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
/** Checks a list of chat messages; returns how many assistant messages carry weight. */
function checkMessages(value, at, errors) {
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
        if (typeof role !== 'string' || !ROLES.has(role)) {
            errors.push(`${here}.role must be one of ${[...ROLES].join(', ')}, not ${JSON.stringify(role ?? null)}`);
            return;
        }
        checkContent(message, here, errors);
        checkToolCalls(message, here, errors);
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
function checkSupervised(example, errors, warnings) {
    const messages = example['messages'];
    const learned = checkMessages(messages, 'messages', errors);
    if (Array.isArray(messages) && messages.length > 0 && errors.length === 0) {
        if (learned === 0)
            errors.push('has no assistant message to learn from (all are missing or have weight 0)');
        if (!messages.some((m) => isObject(m) && (m['role'] === 'system' || m['role'] === 'developer'))) {
            warnings.push('has no system message');
        }
    }
    if (example['tools'] !== undefined && !Array.isArray(example['tools']))
        errors.push('tools must be a list');
    const parallel = example['parallel_tool_calls'];
    if (parallel !== undefined && typeof parallel !== 'boolean')
        errors.push('parallel_tool_calls must be true or false');
    return Array.isArray(messages) ? messages.length : 0;
}
function checkOutput(value, at, errors) {
    if (!Array.isArray(value) ||
        value.length !== 1 ||
        !isObject(value[0]) ||
        value[0]['role'] !== 'assistant') {
        errors.push(`${at} must be a list holding one assistant message`);
        return;
    }
    checkContent(value[0], `${at}[0]`, errors);
}
function checkDpo(example, errors) {
    const input = example['input'];
    if (!isObject(input)) {
        errors.push('input must be an object with messages');
        return 0;
    }
    checkMessages(input['messages'], 'input.messages', errors);
    checkOutput(example['preferred_output'], 'preferred_output', errors);
    checkOutput(example['non_preferred_output'], 'non_preferred_output', errors);
    if (errors.length === 0 &&
        JSON.stringify(example['preferred_output']) === JSON.stringify(example['non_preferred_output'])) {
        errors.push('preferred_output and non_preferred_output are the same');
    }
    const messages = input['messages'];
    return (Array.isArray(messages) ? messages.length : 0) + 2;
}
function checkReinforcement(example, errors, graderFields) {
    const messages = example['messages'];
    checkMessages(messages, 'messages', errors);
    if (Array.isArray(messages) &&
        isObject(messages.at(-1)) &&
        messages.at(-1)['role'] === 'assistant') {
        errors.push('the last message must not be an assistant message: the model writes the answer');
    }
    const missing = graderFields.filter((field) => !(field in example));
    if (missing.length > 0)
        errors.push(`lacks ${missing.map((f) => `'${f}'`).join(', ')}, which the grader refers to as item.${missing[0]}`);
    return Array.isArray(messages) ? messages.length : 0;
}
function checkExample(method, value, graderFields) {
    const errors = [];
    const warnings = [];
    if (!isObject(value))
        return { errors: [`is ${kind(value)}, not a JSON object`], warnings, messages: 0 };
    let messages;
    if (method === 'supervised')
        messages = checkSupervised(value, errors, warnings);
    else if (method === 'dpo')
        messages = checkDpo(value, errors);
    else
        messages = checkReinforcement(value, errors, graderFields);
    return { errors, warnings, messages };
}
/** The `item.<field>` names a grader's templates refer to, which every example must then hold. */
function graderFields(grader) {
    const text = JSON.stringify(grader ?? null);
    return [...new Set([...text.matchAll(/\{\{\s*item\.([A-Za-z0-9_]+)/g)].map((m) => m[1]))];
}

;// CONCATENATED MODULE: ./src/data/tokens.ts
/** The base model a name stands for: a fine-tuned model (`ft:gpt-4o-mini-...:org::id`) trains like its base. */
function baseModel(model) {
    return model.startsWith('ft:') ? model.slice(3) : model;
}
/** o200k_base for the gpt-4o generation and later; cl100k_base for gpt-3.5, gpt-4 and the 002 models. */
function encodingFor(model) {
    return /^(gpt-3\.5|gpt-4(?!o|\.)|babbage-002|davinci-002)/.test(baseModel(model))
        ? 'cl100k_base'
        : 'o200k_base';
}
/**
 * Loads the model's tokenizer (gpt-tokenizer, which ships OpenAI's encodings). Imported lazily:
 * the ranks are megabytes that only a run validating local data needs, so other runs start fast.
 */
async function loadTokenizer(model) {
    const encoding = encodingFor(model) === 'cl100k_base'
        ? await Promise.all(/* import() */[__nccwpck_require__.e(626), __nccwpck_require__.e(79)]).then(__nccwpck_require__.bind(__nccwpck_require__, 79))
        : await Promise.all(/* import() */[__nccwpck_require__.e(626), __nccwpck_require__.e(877)]).then(__nccwpck_require__.bind(__nccwpck_require__, 877));
    return (text) => encoding.countTokens(text);
}
/** The most tokens one training example may hold: the model's training context. */
function exampleTokenLimit(model) {
    const base = baseModel(model);
    if (/^gpt-4-0613/.test(base))
        return 8_192;
    if (/^(babbage-002|davinci-002)/.test(base))
        return 16_384;
    if (/^gpt-3\.5-turbo/.test(base))
        return 16_385;
    return 65_536;
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
// Per OpenAI's counting recipe for chat: each message costs 3 tokens of framing, the reply 3 more.
const PER_MESSAGE = 3;
const PER_REPLY = 3;
function contentText(content) {
    if (typeof content === 'string')
        return content;
    if (!Array.isArray(content))
        return '';
    return content
        .map((part) => (typeof part?.['text'] === 'string' ? part['text'] : ''))
        .join('');
}
function messagesTokens(messages, count) {
    if (!Array.isArray(messages))
        return 0;
    let total = PER_REPLY;
    for (const message of messages) {
        total += PER_MESSAGE + count(String(message?.['role'] ?? '')) + count(contentText(message?.['content']));
        if (typeof message?.['name'] === 'string')
            total += 1 + count(message['name']);
        if (message?.['tool_calls'] !== undefined)
            total += count(JSON.stringify(message['tool_calls']));
    }
    return total;
}
/** The tokens one valid example trains on. */
function exampleTokens(method, example, count) {
    if (method === 'dpo') {
        const input = example['input'];
        return (messagesTokens(input['messages'], count) +
            messagesTokens(example['preferred_output'], count) +
            messagesTokens(example['non_preferred_output'], count));
    }
    const tools = example['tools'] === undefined ? 0 : count(JSON.stringify(example['tools']));
    return messagesTokens(example['messages'], count) + tools;
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:readline"
const external_node_readline_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:readline");
;// CONCATENATED MODULE: ./src/data/validate.ts





/** The API's minimum number of training examples. */
const MIN_TRAINING_EXAMPLES = 10;
const KEPT_ERRORS = 50;
/** Examples counted exactly before sampling starts, then one in SAMPLE_EVERY. */
const EXACT_FIRST = 1_000;
const SAMPLE_EVERY = 32;
const BLOCK = 256;
/**
 * Duplicates are found by a 48-bit slice of each example's SHA-1, so the validator keeps a number
 * per example, not the example; a collision would only mean a spurious "duplicate" warning.
 */
function digest48(text) {
    // The one-shot hash() skips a Hash object per line: on 200 MB it was a quarter of the check.
    return (0,external_node_crypto_namespaceObject.hash)('sha1', text, 'buffer').readUIntBE(0, 6);
}
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
 * Checks a JSONL file line by line (never whole in memory) against the method's format, and
 * counts its tokens. Tokenizing every example of a large file would cost many times the parse,
 * so after the first EXACT_FIRST examples only one in SAMPLE_EVERY is tokenized; each other one
 * is estimated from its length at the tokens-per-character rate of the samples in its own block
 * of BLOCK examples, so a file whose language or style changes part way is estimated from the
 * part it is in. No limit check is guessed: a token is at least one byte, so an example whose
 * UTF-8 size could exceed the limit is always counted exactly.
 */
async function validateFile(filePath, options) {
    const lines = (0,external_node_readline_namespaceObject.createInterface)({ input: (0,external_node_fs_namespaceObject.createReadStream)(filePath), crlfDelay: Infinity });
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
    let lineNumber = 0;
    const fail = (line, message) => {
        errorCount += 1;
        if (errors.length < KEPT_ERRORS)
            errors.push({ line, message });
    };
    const warn = (line, message) => {
        const seen = warnings.get(message);
        if (seen)
            seen.count += 1;
        else
            warnings.set(message, { line, message, count: 1 });
    };
    for await (const raw of lines) {
        lineNumber += 1;
        // A byte-order mark is how some editors start a UTF-8 file; it is not part of the first example.
        const line = lineNumber === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        if (line.trim() === '') {
            warn(lineNumber, 'blank line (skipped)');
            continue;
        }
        let value;
        try {
            value = JSON.parse(line);
        }
        catch {
            fail(lineNumber, 'is not valid JSON');
            continue;
        }
        const check = checkExample(options.method, value, options.graderFields);
        for (const message of check.errors)
            fail(lineNumber, message);
        for (const message of check.warnings)
            warn(lineNumber, message);
        if (check.errors.length > 0)
            continue;
        const hash = digest48(line);
        const first = firstSeen.get(hash);
        if (first !== undefined)
            warn(lineNumber, 'repeats an earlier example');
        else
            firstSeen.set(hash, lineNumber);
        if (options.trainingHashes?.has(hash))
            warn(lineNumber, 'also appears in the training file');
        const index = messageCounts.length;
        messageCounts.push(check.messages);
        // UTF-8 takes at most 3 bytes per UTF-16 unit: only a line that long can hold `tokenLimit` tokens.
        const couldExceed = line.length * 3 > options.tokenLimit && Buffer.byteLength(line) > options.tokenLimit;
        if (options.exact || index < EXACT_FIRST || index % SAMPLE_EVERY === 0 || couldExceed) {
            const tokens = exampleTokens(options.method, value, options.count);
            const block = Math.floor(index / BLOCK);
            blockTokens[block] = (blockTokens[block] ?? 0) + tokens;
            blockChars[block] = (blockChars[block] ?? 0) + line.length;
            countedTokens += tokens;
            countedChars += line.length;
            exactlyCounted += 1;
            tokenValues.push(tokens);
            if (tokens > options.tokenLimit) {
                fail(lineNumber, `has ${tokens.toLocaleString('en-US')} tokens; an example may hold ${options.tokenLimit.toLocaleString('en-US')}`);
            }
        }
        else {
            tokenValues.push(-line.length);
        }
    }
    const examples = messageCounts.length;
    if (options.role === 'training' && errorCount === 0 && examples < MIN_TRAINING_EXAMPLES) {
        fail(0, `holds ${examples} examples; the API needs at least ${MIN_TRAINING_EXAMPLES}`);
    }
    if (options.role === 'validation' && errorCount === 0 && examples === 0)
        fail(0, 'holds no examples');
    const overall = countedChars > 0 ? countedTokens / countedChars : 0;
    const rateOf = (block) => (blockChars[block] ? blockTokens[block] / blockChars[block] : overall);
    const resolved = Float64Array.from(tokenValues, (value, index) => value >= 0 ? value : Math.round(-value * rateOf(Math.floor(index / BLOCK))));
    let total = 0;
    for (const value of resolved)
        total += Math.min(value, options.tokenLimit);
    return {
        examples,
        errorCount,
        errors,
        warnings: [...warnings.values()],
        messages: summarize(messageCounts),
        tokens: { ...summarize(resolved), total, exactlyCounted },
        hashes: new Set(firstSeen.keys()),
    };
}

;// CONCATENATED MODULE: ./src/data/preflight.ts





/** Annotations shown on the file in the run page; more than these would drown the log. */
const ANNOTATED_ERRORS = 10;
const ANNOTATED_WARNINGS = 10;
function annotate(file) {
    const { given, report } = file;
    for (const { line, message } of report.errors.slice(0, ANNOTATED_ERRORS)) {
        // Line 0 is the file as a whole (too few examples): annotated on the file, without a line.
        if (line === 0)
            error(`${given} ${message}`, { title: 'Fine-tuning data', file: given });
        else
            error(`line ${line} ${message}`, {
                title: 'Invalid fine-tuning example',
                file: given,
                startLine: line,
            });
    }
    if (report.errorCount > ANNOTATED_ERRORS) {
        error(`${report.errorCount - ANNOTATED_ERRORS} more errors in ${given} are not shown`, {
            file: given,
        });
    }
    for (const { line, message, count } of report.warnings.slice(0, ANNOTATED_WARNINGS)) {
        const where = count > 1 ? `${count} examples, the first at line ${line}` : `line ${line}`;
        warning(`${message} (${where})`, { title: 'Fine-tuning data', file: given, startLine: line });
    }
}
async function preflight(config, 
/** Count every example exactly instead of a sample (the CLI's --exact). */
exact = false) {
    if (!config.validate || config.training.kind !== 'path')
        return undefined;
    const { model, method } = config.job;
    const type = method?.type ?? 'supervised';
    const count = await loadTokenizer(model);
    const shared = {
        method: type,
        count,
        tokenLimit: exampleTokenLimit(model),
        graderFields: graderFields(method?.reinforcement?.grader),
        exact,
    };
    const files = [];
    const training = config.training;
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
    // Every file's problems are annotated before the step fails on the first file that has any.
    for (const file of files)
        annotate(file);
    for (const { report, given, input } of files) {
        if (report.errorCount > 0) {
            const [first] = report.errors;
            throw new InputError(input, `(${given}) has ${report.errorCount} ${report.errorCount === 1 ? 'problem' : 'problems'}; the first: ${first.line ? `line ${first.line} ` : ''}${first.message}`);
        }
        info(`${input}: ${given} holds ${report.examples} valid examples, about ${report.tokens.total.toLocaleString('en-US')} tokens`);
    }
    const requested = method?.[type]?.hyperparameters?.n_epochs;
    const epochs = typeof requested === 'number' ? requested : autoEpochs(files[0].report.examples);
    const billedTokens = files[0].report.tokens.total * epochs;
    info(`Estimated billed tokens: ${billedTokens.toLocaleString('en-US')} (${epochs} epochs)`);
    if (config.maxBilledTokens !== undefined && billedTokens > config.maxBilledTokens) {
        throw new InputError('max-billed-tokens', `is ${config.maxBilledTokens.toLocaleString('en-US')}, but this job would bill about ${billedTokens.toLocaleString('en-US')} tokens (${files[0].report.tokens.total.toLocaleString('en-US')} training tokens x ${epochs} epochs); nothing was uploaded`);
    }
    return { files, epochs, autoEpochs: typeof requested !== 'number', billedTokens };
}

;// CONCATENATED MODULE: ./src/validate-cli.ts




// `node dist/validate/index.js train.jsonl`: the action's own pre-flight check, on its own, for a
// pull-request check or a laptop. It never calls the API and needs no key. Errors and warnings
// print as GitHub annotations (read as plain lines in a terminal); the exit code is 1 on errors.
const USAGE = `usage: validate [--method supervised|dpo|reinforcement] [--model NAME] [--epochs N]
                [--validation FILE] [--max-billed-tokens N] [--exact] TRAINING.jsonl
  --exact  count every example's tokens (slower; by default large files are sampled past 1,000 examples)`;
async function main() {
    const { values, positionals } = (0,external_node_util_namespaceObject.parseArgs)({
        allowPositionals: true,
        options: {
            method: { type: 'string', default: 'supervised' },
            model: { type: 'string', default: 'gpt-4o-mini-2024-07-18' },
            epochs: { type: 'string' },
            validation: { type: 'string' },
            'max-billed-tokens': { type: 'string' },
            exact: { type: 'boolean', default: false },
            help: { type: 'boolean' },
        },
    });
    if (values.help ||
        positionals.length !== 1 ||
        !METHOD_TYPES.includes(values.method)) {
        console.error(USAGE);
        return 2;
    }
    const method = values.method;
    const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
    const source = (given) => ({ kind: 'path', path: external_node_path_default().resolve(given), given });
    const report = await preflight({
        validate: true,
        training: source(positionals[0]),
        ...(values.validation ? { validation: source(values.validation) } : {}),
        // A grader is not known here, so reinforcement data is checked without grader fields.
        job: {
            model: values.model,
            method: buildMethod(method, epochs ? { n_epochs: epochs } : undefined, {}),
        },
        ...(values['max-billed-tokens'] ? { maxBilledTokens: Number(values['max-billed-tokens']) } : {}),
    }, values.exact);
    for (const { given, report: file } of report?.files ?? []) {
        const t = file.tokens;
        console.log(`${given}: ${file.examples} examples; tokens per example min ${t.min}, mean ${Math.round(t.mean)}, p95 ${t.p95}, max ${t.max}; ${t.total} in all`);
    }
    return 0;
}
main().then((code) => (process.exitCode = code), (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
});

