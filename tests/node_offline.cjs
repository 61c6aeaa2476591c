// Loaded with `node --require` by tests/test_openapi_lint.py: every network connection the
// linters try fails at once, and is reported on stderr. The tests must pass offline, so a
// tool that phones home (telemetry, update checks, remote rulesets) is caught, not waited for.
"use strict";

const dns = require("node:dns");
const net = require("node:net");

const MARKER = "NETWORK ATTEMPT BLOCKED";

function blocked(what) {
  process.stderr.write(`${MARKER}: ${what}\n`);
  const error = new Error(`offline: ${what}`);
  error.code = "ENETUNREACH";
  return error;
}

// Every TCP or TLS connection, whatever the library (http, https, undici's fetch), goes through here;
// local IPC sockets (a path, no host) stay allowed.
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0]; // net's normalized [options, callback]
  if (typeof options !== "object" || options === null) options = { port: args[0], host: args[1] };
  if (options.path !== undefined) return connect.apply(this, args);
  const error = blocked(`connect ${options.host ?? "localhost"}:${options.port}`);
  process.nextTick(() => this.destroy(error));
  return this;
};

// Name lookups come before connections: refuse them too.
dns.lookup = (hostname, options, callback) => {
  const done = typeof options === "function" ? options : callback;
  process.nextTick(() => done(blocked(`lookup ${hostname}`)));
};
dns.promises.lookup = async (hostname) => {
  throw blocked(`lookup ${hostname}`);
};
