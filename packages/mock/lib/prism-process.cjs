// Runs the Prism CLI in this process, with this process's arguments, and ends it as soon as its
// standard input closes. startMock() holds the other end of that pipe, so Prism can never outlive
// the process that started it, however that process ends (even killed with SIGKILL).
'use strict';

const prism = require.resolve('@stoplight/prism-cli/dist/index.js');

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

// Prism's CLI parses process.argv itself: make it look as if `prism <args>` had been run.
process.argv = [process.argv[0], prism, ...process.argv.slice(2)];
require(prism);
