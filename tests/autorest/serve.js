// Starts the autorest test server installed by install.sh, listening on 127.0.0.1 only (the
// server itself listens on every interface). Run by the harness (tests/autorest/harness):
//   node serve.js <install folder> --port <port> [--coverageDirectory <folder>]
"use strict";
const net = require("net");
const path = require("path");

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" && typeof args[1] !== "string") {
    args.splice(1, 0, "127.0.0.1");
  }
  return listen.apply(this, args);
};

const [install, ...options] = process.argv.slice(2);
const cli = path.join(install, "node_modules", "@microsoft.azure", "autorest.testserver", "dist", "cli", "cli.js");
process.argv = [process.argv[0], cli, "run", ...options];
require(cli);
