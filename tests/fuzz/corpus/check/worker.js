// A classic worker that loads a helper with importScripts.
importScripts("helper.js");
postMessage(helperAnswer());
