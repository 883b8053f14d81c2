export const id = 917;
export const ids = [917];
export const modules = {

/***/ 9917:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  plan: () => (/* binding */ plan)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/modes/evaluation.ts + 10 modules
var evaluation = __webpack_require__(8742);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/api/errors.ts
var errors = __webpack_require__(3249);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(481);
;// CONCATENATED MODULE: ./src/data/compare.ts


/** 48 bits of SHA-1: a number rather than a string per example; a collision only miscounts one. */
const digest48 = (text) => (0,external_node_crypto_.createHash)('sha1').update(text).digest().readUIntBE(0, 6);
/**
 * What an example asks, by method: the messages other than the assistant's (and the tools they may
 * call), a DPO example's input, a completion model's prompt. A reinforcement example's other
 * fields are what the grader checks against, so they are its answer.
 */
function compare_prompt(method, example) {
    if (method === 'dpo')
        return example['input'];
    if (typeof example['prompt'] === 'string' && !('messages' in example))
        return example['prompt'];
    const messages = Array.isArray(example['messages']) ? example['messages'] : [];
    if (method === 'reinforcement')
        return messages;
    return {
        messages: messages.filter((message) => message?.['role'] !== 'assistant'),
        tools: example['tools'],
        functions: example['functions'],
    };
}
/** Reads a JSONL stream once: its SHA-256 and its examples by prompt. Lines that do not parse are skipped. */
async function readExamples(stream, method) {
    const sha256 = (0,external_node_crypto_.createHash)('sha256');
    stream.on('data', (chunk) => sha256.update(chunk));
    const byPrompt = new Map();
    let examples = 0;
    for await (const line of (0,external_node_readline_.createInterface)({ input: stream, crlfDelay: Infinity })) {
        if (line.trim() === '')
            continue;
        let example;
        try {
            example = JSON.parse(line);
        }
        catch {
            continue;
        }
        if (typeof example !== 'object' || example === null || Array.isArray(example))
            continue;
        examples += 1;
        const key = digest48(JSON.stringify(compare_prompt(method, example)) ?? '');
        const whole = digest48(JSON.stringify(example));
        const list = byPrompt.get(key);
        if (list)
            list.push(whole);
        else
            byPrompt.set(key, [whole]);
    }
    return { sha256: sha256.digest('hex'), examples, byPrompt };
}
/**
 * Examples added, removed, changed (the same prompt, another answer) and unchanged. A prompt asked
 * several times is matched answer by answer: equal answers first, then the rest pair up as changed.
 */
function compareExamples(before, after) {
    const changes = { added: 0, removed: 0, changed: 0, unchanged: 0 };
    for (const [key, now] of after.byPrompt) {
        const then = [...(before.byPrompt.get(key) ?? [])];
        let unmatched = 0;
        for (const whole of now) {
            const at = then.indexOf(whole);
            if (at === -1)
                unmatched += 1;
            else {
                then.splice(at, 1);
                changes.unchanged += 1;
            }
        }
        const paired = Math.min(unmatched, then.length);
        changes.changed += paired;
        changes.added += unmatched - paired;
        changes.removed += then.length - paired;
    }
    for (const [key, then] of before.byPrompt) {
        if (!after.byPrompt.has(key))
            changes.removed += then.length;
    }
    return changes;
}

// EXTERNAL MODULE: ./src/data/hash.ts
var hash = __webpack_require__(1038);
// EXTERNAL MODULE: ./src/data/models.ts + 1 modules
var models = __webpack_require__(8108);
// EXTERNAL MODULE: ./src/data/retirement.ts
var retirement = __webpack_require__(8517);
// EXTERNAL MODULE: ./src/data/preflight.ts + 2 modules
var preflight = __webpack_require__(2540);
// EXTERNAL MODULE: ./src/data/prices.ts + 1 modules
var prices = __webpack_require__(7777);
// EXTERNAL MODULE: ./src/github/log.ts
var log = __webpack_require__(3385);
// EXTERNAL MODULE: ./src/github/markdown.ts
var markdown = __webpack_require__(5566);
// EXTERNAL MODULE: ./src/jobs/lookup.ts
var lookup = __webpack_require__(5592);
// EXTERNAL MODULE: ./src/jobs/tags.ts
var tags = __webpack_require__(7299);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./src/github/secrets.ts
var secrets = __webpack_require__(298);
// EXTERNAL MODULE: ./src/git/commit.ts
var git_commit = __webpack_require__(5895);
;// CONCATENATED MODULE: ./src/git/history.ts





// Reading a file as it was at an earlier commit, from the checkout's own history: the data a model
// was trained on, which a provider may refuse to hand back (OpenAI does not serve fine-tune files).
/** The first line of a Git LFS pointer: the blob names the data rather than holding it. */
const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1';
/** LFS pointers are far smaller than this; a blob this size or more is read as data. */
const POINTER_MAX_BYTES = 1024;
/** Why a file could not be read at a commit, in words for the plan. */
class HistoryError extends Error {
}
const has = async (dir, object) => (0,git_commit/* git */.$Y)(dir, ['cat-file', '-e', '--end-of-options', object]).then(() => true, () => false);
/**
 * Credentials for one git command through the environment (never its arguments, which a process
 * list shows): the Authorization header actions/checkout itself uses, scoped to the GitHub server.
 */
function tokenConfig(access, token) {
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    (0,secrets/* protectSecret */.o)(basic);
    const count = Number(process.env['GIT_CONFIG_COUNT'] ?? '0') || 0;
    return {
        GIT_CONFIG_COUNT: String(count + 1),
        [`GIT_CONFIG_KEY_${count}`]: `http.${new URL(access.serverUrl).origin}/.extraheader`,
        [`GIT_CONFIG_VALUE_${count}`]: `AUTHORIZATION: basic ${basic}`,
    };
}
const lost = (commit) => new HistoryError(`the repository's history no longer has commit ${commit} (force-pushed or squashed away?)`);
/** git's words when the remote answered but has no such commit (any more), rather than refused us. */
const NOT_THERE = /not our ref|unadvertised object|couldn't find remote ref/i;
/**
 * Fetches one commit, at depth 1, into a shallow checkout that lacks it (actions/checkout fetches
 * one commit). Credentials the checkout kept are tried first; then the token, for this command only.
 */
async function fetchCommit(dir, commit, access) {
    const args = [
        'fetch',
        '--depth=1',
        '--no-tags',
        '--no-recurse-submodules',
        '--end-of-options',
        'origin',
        commit,
    ];
    const attempts = [{}];
    if (access.token)
        attempts.push({ env: tokenConfig(access, access.token) });
    let failure = '';
    for (const options of attempts) {
        try {
            await (0,git_commit/* git */.$Y)(dir, args, options);
            return;
        }
        catch (error) {
            failure = (0,git_commit/* gitError */.N7)(error);
            if (NOT_THERE.test(failure))
                throw lost(commit);
        }
    }
    throw new HistoryError(access.token
        ? `the checkout is shallow and fetching commit ${commit} failed, with \`github-token\` too ` +
            `(${failure}): give the token \`contents: read\`, or check out with \`fetch-depth: 0\``
        : `the checkout is shallow and fetching commit ${commit} failed (${failure}): ` +
            'set `github-token` (with `contents: read`) or check out with `fetch-depth: 0`');
}
/**
 * The file at `file`'s path in its repository as it was at `commit`, streamed from git (files may
 * be gigabytes). A commit the shallow checkout lacks is fetched alone; one the history no longer
 * has (force-pushed, squashed away), a path the commit lacks, and a Git LFS pointer are said plainly.
 */
async function readAtCommit(file, commit, access) {
    if (!(0,git_commit/* isCommitId */.jh)(commit)) {
        // Not echoed: the tag is anyone's text.
        throw new HistoryError("the job's tag names a commit that is not a commit id (40 hex digits): refused");
    }
    const dir = external_node_path_default().dirname(file);
    if (!(await has(dir, `${commit}^{commit}`))) {
        let shallow;
        try {
            shallow = (await (0,git_commit/* git */.$Y)(dir, ['rev-parse', '--is-shallow-repository'])) === 'true';
        }
        catch (error) {
            throw new HistoryError(`${external_node_path_default().basename(file)} is not in a git checkout (${(0,git_commit/* gitError */.N7)(error)})`);
        }
        if (shallow)
            await fetchCommit(dir, commit, access);
        if (!(await has(dir, `${commit}^{commit}`)))
            throw lost(commit);
    }
    const object = `${commit}:${(0,git_commit/* revisionPath */.v0)(file)}`;
    let size;
    try {
        size = Number(await (0,git_commit/* git */.$Y)(dir, ['cat-file', '-s', '--end-of-options', object]));
    }
    catch {
        throw new HistoryError(`commit ${commit} has no file at the path of ${external_node_path_default().basename(file)}`);
    }
    if (size < POINTER_MAX_BYTES) {
        const text = await (0,git_commit/* git */.$Y)(dir, ['cat-file', 'blob', '--end-of-options', object]);
        if (text.startsWith(LFS_POINTER)) {
            throw new HistoryError(`at commit ${commit} the file is a Git LFS pointer, not the data itself; the action does not fetch LFS objects`);
        }
    }
    return catBlob(dir, object);
}
/** git's output as a stream that fails, rather than ends short, when git does. */
function catBlob(dir, object) {
    const child = (0,external_node_child_process_.spawn)('git', ['-C', dir, 'cat-file', 'blob', '--end-of-options', object], {
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = new external_node_stream_.PassThrough();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
    child.stdout.pipe(out, { end: false });
    child.on('error', (error) => out.destroy(error));
    child.on('close', (code) => {
        if (code === 0)
            out.end();
        else
            out.destroy(new HistoryError(`git cat-file failed: ${(0,git_commit/* gitError */.N7)({ stderr })}`));
    });
    // A reader that stops early (an error in the data) stops git too.
    out.on('close', () => {
        if (child.exitCode === null)
            child.kill();
    });
    return out;
}

// EXTERNAL MODULE: ./src/github/context.ts
var context = __webpack_require__(9556);
// EXTERNAL MODULE: ./src/report/evaluation.ts
var report_evaluation = __webpack_require__(9686);
// EXTERNAL MODULE: ./src/report/format.ts
var format = __webpack_require__(2011);
;// CONCATENATED MODULE: ./src/report/plan.ts





/** Problems listed in the comment; the rest are counted, and all are annotated in the run. */
const LISTED_PROBLEMS = 20;
const count = (value) => value.toLocaleString('en-US');
function problems(files) {
    const rows = files
        .flatMap(({ given, report }) => report.errors.map(({ line, message }) => `| ${(0,markdown/* code */.aY)(given)} | ${line || ''} | ${(0,markdown/* cell */.Hn)(message)} |`))
        .slice(0, LISTED_PROBLEMS);
    const more = files.reduce((sum, file) => sum + file.report.errorCount, 0) - rows.length;
    const table = ['| file | line | problem |', '| --- | --- | --- |', ...rows].join('\n');
    return more > 0
        ? `${table}\n\n${count(more)} more problems are annotated on their lines in the run.`
        : table;
}
function estimateText(data) {
    const price = data.price?.price;
    if (data.billedTokens === undefined) {
        return `Billed by the hour of training${price && 'perHour' in price ? ` at **${(0,prices/* dollars */.E9)(price.perHour)} per hour**` : ''}, not by the token: no cost is estimated from the data.`;
    }
    const about = data.approximate ? 'about ' : '';
    const tokens = `**${about}${count(data.billedTokens)}** billed tokens (${count(data.files[0].report.tokens.total)} training tokens x ${data.epochs} epochs${data.autoEpochs ? ', auto' : ''})`;
    return data.cost !== undefined && price && 'perMillionTokens' in price
        ? `${tokens}, **${about}${(0,prices/* dollars */.E9)(data.cost)}** at ${(0,prices/* dollars */.E9)(price.perMillionTokens)} per million tokens (${data.price.source}).`
        : `${tokens}; no training price is known for this model here (set \`price-per-million-tokens\`).`;
}
function comparisonText(plan) {
    const c = plan.comparison;
    if (!c)
        return `Not compared: ${plan.noComparison ?? 'no earlier model'}.`;
    // The run tag is the run's own path on GitHub: `owner/repo/actions/runs/N/attempts/M`.
    const by = c.run
        ? ` (trained by [this run](${(0,context.serverPage)(c.run.split('/').map(encodeURIComponent).join('/'))}))`
        : '';
    const from = c.commit ? ` from commit ${(0,format/* commitLink */.wn)(c.commit)}` : '';
    const lines = [
        `Compared with ${(0,markdown/* code */.aY)(c.job.id)}, which trained ${(0,markdown/* code */.aY)(c.job.fine_tuned_model ?? '')}${from}${by}.`,
    ];
    if (c.unreadable)
        lines.push(`Its training data could not be read, so examples were not compared: ${(0,markdown/* code */.aY)(c.unreadable, markdown/* ERROR_CHARS */.jI)}.`);
    const after = plan.data?.files[0].report.examples;
    const rows = [
        '| | last model | this pull request |',
        '| --- | --- | --- |',
        `| examples | ${c.examplesBefore !== undefined ? count(c.examplesBefore) : '?'} | ${after !== undefined ? count(after) : '?'} |`,
        `| billed tokens | ${c.job.trained_tokens != null ? count(c.job.trained_tokens) : '?'} (trained) | ${plan.data?.billedTokens !== undefined ? `${count(plan.data.billedTokens)} (estimated)` : '-'} |`,
    ];
    if (c.costBefore !== undefined || plan.data?.cost !== undefined) {
        rows.push(`| cost | ${c.costBefore !== undefined ? (0,prices/* dollars */.E9)(c.costBefore) : '?'} | ${plan.data?.cost !== undefined ? (0,prices/* dollars */.E9)(plan.data.cost) : '?'} |`);
    }
    lines.push(rows.join('\n'));
    if (c.changes) {
        const { added, removed, changed, unchanged } = c.changes;
        lines.push(c.sameData
            ? 'The data is the same, byte for byte.'
            : `Examples: **${count(added)} added**, **${count(removed)} removed**, **${count(changed)} changed** (the same prompt, another answer), ${count(unchanged)} unchanged.`);
    }
    return lines.join('\n\n');
}
function mergeText(plan) {
    if (plan.decision === 'invalid')
        return 'Nothing would train: the data fails the check (see above).';
    if (plan.decision === 'skip') {
        return `**skip**: the same model, method and data already trained ${(0,markdown/* code */.aY)(plan.comparison.job.fine_tuned_model ?? plan.comparison.job.id)}; with \`skip-if-unchanged\` the fine-tune step starts nothing.`;
    }
    const cost = plan.data?.cost !== undefined ? `, about ${(0,prices/* dollars */.E9)(plan.data.cost)}` : '';
    const why = plan.comparison?.sameData
        ? ' The data is unchanged, but without `skip-if-unchanged` the fine-tune step trains again.'
        : '';
    return `**train**: the fine-tune step will train a new ${(0,markdown/* code */.aY)(plan.model)} model${cost}.${why}`;
}
/** When the model a merge trains, and the last model, stop serving; and the warning, if any. */
function retirementText(plan) {
    const dates = [
        plan.decision === 'train' && plan.retiresOn
            ? `The model a merge trains stops serving on ${(0,format/* stopsServing */.GF)(plan.retiresOn, plan.provider)}.`
            : undefined,
        plan.comparison?.retiresOn
            ? `The last model, ${(0,markdown/* code */.aY)(plan.comparison.job.fine_tuned_model ?? plan.comparison.job.id)}, stops serving on ${(0,format/* stopsServing */.GF)(plan.comparison.retiresOn, plan.provider)}.`
            : undefined,
    ].filter((line) => line !== undefined);
    // The warning is the action's own text, from its own table: a GitHub alert, as on the run page.
    const warning = plan.retirementWarning && `> [!WARNING]\n> ${plan.retirementWarning}`;
    const parts = [dates.join(' '), warning].filter(Boolean);
    return parts.length > 0 ? parts.join('\n\n') : undefined;
}
function renderPlan(plan) {
    const where = `${(0,markdown/* code */.aY)(plan.model)}, ${plan.method}, on ${format/* PROVIDER_NAMES */.xd[plan.provider]}`;
    const parts = [`### Fine-tuning plan: ${plan.decision}`, where];
    if (plan.decision === 'invalid') {
        parts.push('#### The data fails the check', problems(plan.files));
    }
    else {
        const table = [
            '| file | examples | tokens |',
            '| --- | --- | --- |',
            ...plan.files.map(({ given, report }) => `| ${(0,markdown/* code */.aY)(given)} | ${count(report.examples)} | ${count(report.tokens.total)} |`),
        ].join('\n');
        parts.push('#### Data', table, estimateText(plan.data));
        if (plan.evaluation)
            parts.push(`Then the evaluation (\`eval-file\`): ${(0,report_evaluation/* costText */.r)(plan.evaluation)}.`);
        parts.push('#### Since the last model', comparisonText(plan));
    }
    parts.push('#### What merging does', mergeText(plan));
    const retirement = retirementText(plan);
    if (retirement)
        parts.push(retirement);
    return parts.join('\n\n');
}

;// CONCATENATED MODULE: ./src/modes/plan.ts

















/**
 * plan: check the data as the fine-tune step would, estimate its cost, compare it with the last
 * model of the same lineage, and keep one comment on the pull request saying what a merge would
 * do. It only reads: nothing is uploaded or created. Invalid data fails the step once the comment
 * says where.
 */
async function plan(config, client, record) {
    const files = await core/* group */.Os('Check the data', () => (0,preflight/* checkFiles */.gw)(config, config.training));
    const report = {
        decision: 'invalid',
        model: config.job.model,
        method: config.job.method?.type ?? 'supervised',
        provider: config.provider,
        files,
    };
    record.plan = report;
    // The run's own start is its clock, so a test pins every date with the record it passes.
    const notice = (0,retirement/* retirementNotice */.A8)(config.modelRules, new Date(record.startedAt));
    if (notice?.warning) {
        core/* warning */.$e(notice.warning, { title: 'Model retirement' });
        report.retirementWarning = notice.warning;
    }
    if (notice?.retiresOn)
        report.retiresOn = notice.retiresOn;
    const invalid = files.some((file) => file.report.errorCount > 0);
    if (!invalid) {
        report.data = record.data = (0,preflight/* estimate */.jA)(config, files);
        if (client) {
            // A comparison that fails (a revoked key, an API that is down) leaves a plan that is still
            // worth a comment: it says why the comparison is missing, and the step goes on.
            try {
                const comparison = await core/* group */.Os('Compare with the last model', () => compare(config, client));
                if (comparison)
                    report.comparison = comparison;
                else
                    report.noComparison = 'no earlier job of this model and method in this repository succeeded';
            }
            catch (error) {
                report.noComparison = `earlier jobs could not be read (${(0,markdown/* code */.aY)((0,errors/* describeError */.U)(error), markdown/* ERROR_CHARS */.jI)})`;
                core/* warning */.$e(`The plan is not compared with the last model: ${(0,errors/* describeError */.U)(error)}`);
            }
        }
        else {
            report.noComparison =
                'no API key or keyless sign-in was available to read earlier jobs (a pull request from a fork gets no secrets)';
        }
        report.decision = config.skipIfUnchanged && report.comparison?.sameData ? 'skip' : 'train';
        if (config.evaluation && report.decision === 'train') {
            // The baseline the evaluation would meet: the last model when there is one, else the base.
            const choice = config.evaluation.baseline;
            const baseline = choice.kind === 'none'
                ? undefined
                : choice.kind === 'model'
                    ? choice.model
                    : (report.comparison?.job.fine_tuned_model ?? config.job.model);
            const candidate = {
                model: `${config.job.model} (fine-tuned)`,
                pricedAs: config.job.model,
                fineTuned: true,
            };
            report.evaluation = await core/* group */.Os('Estimate the evaluation', () => (0,evaluation/* estimateCost */.a3)(config.evaluation, config.provider, candidate, baseline ?? undefined));
        }
    }
    core/* info */.pq(`Plan: ${report.decision}`);
    record.planMarkdown = renderPlan(report);
    await comment(config, record);
    if (invalid)
        (0,preflight/* refuseInvalid */.Q5)(files);
}
/**
 * The last model's copy of one data file: from the repository's own history at the commit its job
 * records (the same path as this plan's file), else, where the provider hands fine-tune files
 * back, downloaded. Either way streamed: a file may be gigabytes.
 */
async function readBefore(config, client, job, local, fileId) {
    const commit = (0,tags/* readRunTag */.Em)(job.metadata?.[tags/* TAG */.Dk.run])?.commit;
    let why;
    if (commit === undefined) {
        why = `${job.id} records no commit (trained from a file id, a file changed before upload, or by an older version of the action)`;
    }
    else {
        try {
            return await readAtCommit(local.path, commit, { token: config.githubToken, serverUrl: (0,context.serverUrl)() });
        }
        catch (error) {
            why = (0,errors/* describeError */.U)(error);
        }
    }
    if (!client.traits.trainingFileDownloads) {
        throw new Error(`${why}; and this provider does not hand back files uploaded for fine-tuning`);
    }
    try {
        return await client.fileStream(fileId);
    }
    catch (error) {
        throw new Error(`${why}; downloading ${fileId} failed too: ${(0,errors/* describeError */.U)(error)}`);
    }
}
async function compare(config, client) {
    const job = await (0,lookup/* lastSucceeded */.gw)(client, (0,tags/* lineageTag */.QG)(config.job, config.run.repository));
    if (!job)
        return undefined;
    const method = config.job.method?.type ?? 'supervised';
    const comparison = { job, sameData: false };
    // The last job's own base model: an alias then may name another snapshot than this plan's.
    const retiresOn = (0,retirement/* fineTunedRetiresOn */.Yo)((0,models/* modelRules */.Bs)(job.model, config.provider));
    if (retiresOn)
        comparison.retiresOn = retiresOn;
    const run = (0,tags/* readRunTag */.Em)(job.metadata?.[tags/* TAG */.Dk.run]);
    if (run)
        comparison.run = run.path;
    const commit = (0,tags/* taggedCommit */.yg)(job.metadata?.[tags/* TAG */.Dk.run]);
    if (commit)
        comparison.commit = commit;
    const price = config.price?.price;
    if (job.trained_tokens != null && price && 'perMillionTokens' in price) {
        comparison.costBefore = (0,prices/* tokenCost */.LU)(job.trained_tokens, price.perMillionTokens);
    }
    let before;
    try {
        before = await readExamples(await readBefore(config, client, job, config.training, job.training_file), method);
    }
    catch (error) {
        comparison.unreadable = (0,errors/* describeError */.U)(error);
        core/* warning */.$e(`The last model's training data could not be read: ${comparison.unreadable}`);
        return comparison;
    }
    const after = await readExamples((0,external_node_fs_.createReadStream)(config.training.path), method);
    comparison.examplesBefore = before.examples;
    comparison.changes = compareExamples(before, after);
    // The same bytes in both files, validation included, is what skip-if-unchanged needs to start nothing.
    let sameValidation = !job.validation_file && !config.validation;
    if (job.validation_file && config.validation) {
        try {
            const then = await readBefore(config, client, job, config.validation, job.validation_file);
            sameValidation =
                (await readExamples(then, method)).sha256 === (await (0,hash/* hashFile */.D)(config.validation.path)).sha256;
        }
        catch (error) {
            core/* warning */.$e(`Could not read the last model's validation data: ${(0,errors/* describeError */.U)(error)}`);
        }
    }
    comparison.sameData = before.sha256 === after.sha256 && sameValidation;
    return comparison;
}
/**
 * One comment on the pull request, kept up to date. A run that cannot comment (no token, not a
 * pull request, a read-only token) still plans: the plan is in the summary, and the reason in a
 * warning, never a failed step.
 */
async function comment(config, record) {
    if (!config.githubToken) {
        core/* warning */.$e('No github-token: the plan is in the step summary, not on the pull request');
        return;
    }
    const { githubClient, pullRequestTarget, upsertComment } = await __webpack_require__.e(/* import() */ 318).then(__webpack_require__.bind(__webpack_require__, 7318));
    const target = await pullRequestTarget();
    if (!target) {
        core/* info */.pq('Not a pull request run: the plan is in the step summary only');
        return;
    }
    try {
        record.commentUrl = await upsertComment(await githubClient(config.githubToken), target, record.planMarkdown);
        core/* info */.pq(`The plan is on the pull request: ${(0,log/* logText */.k)(record.commentUrl)}`);
    }
    catch (error) {
        core/* warning */.$e((0,errors/* describeError */.U)(error), { title: 'The plan could not be commented' });
    }
}


/***/ })

};
