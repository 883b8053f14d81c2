export const id = 556;
export const ids = [556];
export const modules = {

/***/ 9556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   l: () => (/* binding */ serverPage),
/* harmony export */   readRunContext: () => (/* binding */ readRunContext)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);

/** A page of this GitHub server, from a path such as a job's `gha_run` tag. */
const serverPage = (pagePath) => `${_actions_github__WEBPACK_IMPORTED_MODULE_0__.context.serverUrl}/${pagePath}`;
function readRunContext() {
    let repository = '';
    try {
        const { owner, repo } = _actions_github__WEBPACK_IMPORTED_MODULE_0__.context.repo;
        repository = `${owner}/${repo}`;
    }
    catch {
        // Outside Actions there is no repository: the tags then name none.
    }
    // NaN when the variables are unset, as they are outside Actions.
    const runId = Number.isFinite(_actions_github__WEBPACK_IMPORTED_MODULE_0__.context.runId) ? String(_actions_github__WEBPACK_IMPORTED_MODULE_0__.context.runId) : '';
    const attempt = Number.isFinite(_actions_github__WEBPACK_IMPORTED_MODULE_0__.context.runAttempt) ? String(_actions_github__WEBPACK_IMPORTED_MODULE_0__.context.runAttempt) : '1';
    return {
        repository,
        runId,
        attempt,
        job: _actions_github__WEBPACK_IMPORTED_MODULE_0__.context.job ?? '',
        action: _actions_github__WEBPACK_IMPORTED_MODULE_0__.context.action ?? '',
    };
}


/***/ })

};
