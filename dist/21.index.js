export const id = 21;
export const ids = [21];
export const modules = {

/***/ 8021:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   evaluateModel: () => (/* binding */ evaluateModel)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _evaluation_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8742);


/**
 * Mode evaluate: an existing model against `baseline-model` on the eval file. It reads and asks
 * for chat completions only: nothing is created, uploaded or deployed.
 */
async function evaluateModel(config, client, record, signal) {
    const settings = config.evaluation;
    const baseline = settings.baseline.kind === 'model' ? settings.baseline : undefined;
    const candidate = {
        model: config.model,
        pricedAs: config.model,
        fineTuned: config.model.startsWith('ft:'),
    };
    const cost = await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os('Estimate the evaluation', () => (0,_evaluation_js__WEBPACK_IMPORTED_MODULE_1__/* .estimateCost */ .a3)(settings, config.connection.provider, candidate, baseline?.model, config.maxCost !== undefined ? { maxCost: config.maxCost } : undefined));
    await (0,_evaluation_js__WEBPACK_IMPORTED_MODULE_1__/* .runEvaluation */ .K2)(client, settings, {
        candidate: config.model,
        ...(baseline ? { baseline: baseline.model } : {}),
        baselineWhy: baseline ? (baseline.why ?? 'set by baseline-model') : 'baseline-model is none',
        recordSide: 'candidate',
    }, (0,_evaluation_js__WEBPACK_IMPORTED_MODULE_1__/* .startEvaluation */ .RY)(record, cost), signal);
}


/***/ })

};
