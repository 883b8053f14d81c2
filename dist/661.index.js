export const id = 661;
export const ids = [661];
export const modules = {

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8186);
/* harmony import */ var _cleanup_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2691);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5271);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9473);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3916);
/* harmony import */ var _secret_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7355);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2462);







/**
 * The post step: a backstop for a main step that was killed before it could clean up. When the
 * main step ended on its own terms it does nothing; otherwise it cancels the job the main step
 * recorded (or tagged, if its id never arrived) while that job is still in progress.
 */
async function post() {
    const left = (0,_state_js__WEBPACK_IMPORTED_MODULE_6__/* .readLeftBehind */ .gf)();
    if (left.done || (!left.jobId && !left.intent))
        return;
    try {
        const config = (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .readCleanupConfig */ .vn)();
        if (!config.cancelOnAbort) {
            _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('The main step did not finish; cancel-on-abort is false, so its job is left as it is');
            return;
        }
        const client = new _client_js__WEBPACK_IMPORTED_MODULE_2__/* .JobClient */ .vA(config.connection).forCleanup();
        const jobs = await (0,_cleanup_js__WEBPACK_IMPORTED_MODULE_1__/* .cancelLeftBehind */ .o)(client, left);
        if (jobs.length === 0)
            _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('The main step did not finish and had created no job; nothing to cancel');
        for (const job of jobs) {
            _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`The main step did not finish; job ${job.id} is now ${job.status} (cancel-on-abort)`);
        }
    }
    catch (error) {
        _runner_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_secret_js__WEBPACK_IMPORTED_MODULE_5__/* .redact */ .E)(`Could not cancel the job the main step left behind: ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .describeError */ .U)(error)}`));
    }
}


/***/ })

};
