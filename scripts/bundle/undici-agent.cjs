'use strict';
/**
 * The part of undici the CLI uses: `Agent`, with the request API on every dispatcher. undici's `index.js`
 * also loads fetch, WebSocket, EventSource, the cache and mock agents, cookies and HTTP/2 helpers: 115–150
 * ms of start-up for code a run never calls. These three requires and the `Object.assign` are what
 * `index.js` itself does for them (undici 7); `scripts/bundle-cli.js` points the CLI bundle's `undici`
 * here, and `test/e2e` runs every request of the CLI through it.
 */
const Agent = require('undici/lib/dispatcher/agent.js');
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js');
const api = require('undici/lib/api/index.js');

Object.assign(Dispatcher.prototype, api);

module.exports = { Agent, Dispatcher };
