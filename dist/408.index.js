export const id = 408;
export const ids = [408];
export const modules = {

/***/ 2408:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   evaluateAndPromote: () => (/* binding */ evaluateAndPromote)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _api_sign_in_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7979);
/* harmony import */ var _azure_promotion_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9342);
/* harmony import */ var _github_markdown_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5566);
/* harmony import */ var _github_log_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3385);
/* harmony import */ var _deploy_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5769);






/**
 * Azure with `eval-file`, in place of deployIfAsked: the succeeded job's model (or best checkpoint)
 * is evaluated on a Developer deployment of its own, which is deleted in every outcome, and
 * `deployment-name` is pointed at it only when the gate passes. Undefined when the job did not
 * succeed (nothing to evaluate).
 */
async function evaluateAndPromote(settings, record, context, options) {
    if (record.job?.status !== 'succeeded')
        return undefined;
    const model = (0,_deploy_js__WEBPACK_IMPORTED_MODULE_5__/* .modelToDeploy */ .M5)(settings, record);
    const token = _api_sign_in_js__WEBPACK_IMPORTED_MODULE_1__/* .EntraToken */ .Gu.for(settings.signIn, _api_sign_in_js__WEBPACK_IMPORTED_MODULE_1__/* .ENTRA_SCOPE */ .oh.management);
    const result = await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os(`Evaluate ${model} on Azure before it serves as ${settings.name}`, () => (0,_azure_promotion_js__WEBPACK_IMPORTED_MODULE_2__/* .evaluateOnAzure */ .S)({
        target: settings,
        candidateModel: model,
        run: options.run,
        baseline: options.baseline,
        evaluate: options.evaluate,
        token: () => token.get(),
        deploy: { deadline: context.deadline, signal: context.signal, pollIntervalMs: _deploy_js__WEBPACK_IMPORTED_MODULE_5__/* .DEPLOYMENT_POLL_MS */ .fO },
    }));
    const candidate = (0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .code */ .aY)(result.candidate.name);
    record.notes.push(result.candidate.deleted
        ? `The candidate was evaluated on its own deployment ${candidate}, which is deleted.`
        : `The candidate's deployment ${candidate} could not be deleted; the post step tries again.`);
    if (result.promoted && result.deployment) {
        record.deployment = {
            name: settings.name,
            id: result.deployment.id,
            model,
            sku: result.deployment.deployment.sku?.name,
        };
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Deployment ${settings.name} serves ${(0,_github_log_js__WEBPACK_IMPORTED_MODULE_4__/* .logText */ .k)(model)}: the evaluation passed`);
    }
    else {
        record.notes.push(`The evaluation did not pass: ${(0,_github_markdown_js__WEBPACK_IMPORTED_MODULE_3__/* .code */ .aY)(settings.name)} was left as it was.`);
    }
    return result;
}


/***/ })

};
