// Runs inside each Emscripten module instance (--post-js): maps the "!canvas" selector used by
// the C++ WebGL code to this instance's own canvas, so several rooms can live in one page.
specialHTMLTargets['!canvas'] = Module['canvas'];
