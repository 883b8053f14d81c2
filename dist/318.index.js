export const id = 318;
export const ids = [318];
export const modules = {

/***/ 7318:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   githubClient: () => (/* binding */ githubClient),
/* harmony export */   pullRequestTarget: () => (/* binding */ pullRequestTarget),
/* harmony export */   upsertComment: () => (/* binding */ upsertComment)
/* harmony export */ });
/* unused harmony exports MAX_COMMENT_CHARS, commentMarker, stepKey */
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(298);

/** The longest body GitHub takes for a comment. */
const MAX_COMMENT_CHARS = 65_536;
/**
 * The hidden line that marks a step's comment. The key is escaped so that nothing in a workflow's
 * name can end the HTML comment (`-->`) or break the line, and two keys never share a marker.
 */
function commentMarker(key) {
    const safe = key.replace(/[^\w .:/@+=,()-]/gu, (c) => encodeURIComponent(c));
    return `<!-- openai-fine-tune-action:plan:${safe} -->`;
}
/**
 * A step's key: the workflow's name (its file's path when it has none), the job's id and the step's
 * id (`GITHUB_ACTION`: the step's `id`, or for a step without one `__owner_repo`, with `_2`, `_3`
 * for later uses of the action in the same job). All three stay the same from one push to the next
 * and tell apart two plan steps in one job, or in two jobs or workflows. Job and step ids cannot
 * hold a `/`, so the key reads back unambiguously even when the workflow's path has one. The legs of
 * a matrix job share their job's id, and so their key: a caller that runs in a matrix adds what sets
 * its leg apart.
 */
function stepKey(step) {
    return `${step.workflow}/${step.job}/${step.action}`;
}
/**
 * The pull request this run is for and this step's key, from the run's context; `null` when the
 * run is not for a pull request (a push, a schedule) and there is nothing to comment on.
 */
async function pullRequestTarget() {
    const { context } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 2413));
    const { pull_request: pull, issue } = context.payload;
    // pull_request and pull_request_target carry the pull request; a comment on one (issue_comment)
    // carries it as an issue that links to a pull request.
    const pullNumber = pull?.number ?? (issue?.pull_request ? issue.number : undefined);
    if (pullNumber === undefined)
        return null;
    const { owner, repo } = context.repo;
    return { owner, repo, pullNumber, key: stepKey(context) };
}
/**
 * An Octokit for GitHub's REST API, at GITHUB_API_URL (GitHub Enterprise Server's API, or a local
 * stand-in) as @actions/github reads it, behind the runner's proxy if it has one. The token is
 * masked first: the runner masks `secrets.GITHUB_TOKEN`, but a token passed some other way (an
 * app's, from an earlier step's output) it may not know to.
 */
async function githubClient(token) {
    (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .protectSecret */ .o)(token);
    const { getOctokit } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 2413));
    return getOctokit(token);
}
/** Who the workflow's own token (GITHUB_TOKEN) comments as. */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
/**
 * The login the token comments as. GraphQL's `viewer` names it for a person's token; GitHub
 * refuses it (as it refuses REST `GET /user`) to an installation's token, which for the workflow's
 * own token is `github-actions[bot]`. A GitHub App's token cannot be told apart from that one, so
 * its earlier comment is not found and each run adds a comment.
 */
async function commentAuthor(octokit) {
    try {
        const { viewer } = await octokit.graphql('query { viewer { login } }');
        return viewer.login;
    }
    catch {
        return ACTIONS_BOT_LOGIN;
    }
}
/**
 * Writes `body` as the step's comment on the pull request: edits the comment that carries the
 * step's marker, or adds one when there is none yet. Answers the comment's web address.
 *
 * Only a comment the token's own account wrote, with the marker as its first line, is edited:
 * anyone else's comment that holds the marker (a person quoting the comment's source, another
 * bot's report echoing the pull request's text) is theirs and is never overwritten.
 */
async function upsertComment(octokit, target, body) {
    const marker = commentMarker(target.key);
    const text = fitted(`${marker}\n${(0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E)(body)}`);
    const issue = { owner: target.owner, repo: target.repo, issue_number: target.pullNumber };
    try {
        const author = await commentAuthor(octokit);
        const ours = (comment) => comment.user?.login === author && !!comment.body?.startsWith(`${marker}\n`);
        // Pages are read until the comment turns up, oldest first, as GitHub lists them.
        const [existing] = await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 }, (response, done) => {
            const found = response.data.find(ours);
            if (found)
                done();
            return found ? [found] : [];
        });
        const { data } = existing
            ? await octokit.rest.issues.updateComment({ ...issue, comment_id: existing.id, body: text })
            : await octokit.rest.issues.createComment({ ...issue, body: text });
        return data.html_url;
    }
    catch (error) {
        throw new Error(whyNoComment(error, target.pullNumber), { cause: error });
    }
}
/** The body, cut to what GitHub takes, saying so. */
function fitted(text) {
    if (text.length <= MAX_COMMENT_CHARS)
        return text;
    const note = `\n\n… (cut: a comment holds at most ${MAX_COMMENT_CHARS} characters)`;
    return text.slice(0, MAX_COMMENT_CHARS - note.length) + note;
}
/** What went wrong, in terms of what the user controls: the token and the job's permissions. */
function whyNoComment(error, pullNumber) {
    const status = error.status;
    const said = (0,_secrets_js__WEBPACK_IMPORTED_MODULE_0__/* .redact */ .E)(error instanceof Error ? error.message : String(error));
    const failed = `Could not comment on pull request #${pullNumber}`;
    if (status === 401) {
        return `${failed}: GitHub refused github-token (401: ${said}). Pass a valid token, such as secrets.GITHUB_TOKEN.`;
    }
    if (status === 403) {
        return (`${failed}: github-token may not write to pull requests (403: ${said}). Give the job ` +
            '`permissions: pull-requests: write`. A pull request from a fork gets a read-only token ' +
            'whatever the workflow asks for.');
    }
    return `${failed}: ${said}`;
}


/***/ })

};
