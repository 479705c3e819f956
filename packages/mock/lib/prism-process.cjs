// Runs the Prism CLI in this process, with this process's arguments (`mock <document.json> ...`), and
// ends it as soon as its standard input closes. startMock() holds the other end of that pipe, so Prism
// can never outlive the process that started it, however that process ends (even killed with SIGKILL).
// Prism's request listener is wrapped by the JSON body guard (json-body-guard.cjs), so that a body that
// does not parse gets an answer instead of hanging.
'use strict';

const { readFileSync } = require('node:fs');
const http = require('node:http');
const { loadJsonBodyGuard } = require('./json-body-guard.cjs');

const prism = require.resolve('@stoplight/prism-cli/dist/index.js');

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

const [command, documentPath] = process.argv.slice(2);
if (command !== 'mock' || !documentPath?.endsWith('.json')) {
  console.error(`prism-process: expected "mock <document.json> [options]", got "${process.argv.slice(2).join(' ')}"`);
  process.exit(2);
}

const readDocument = () => JSON.parse(readFileSync(documentPath, 'utf8'));

loadJsonBodyGuard()
  .then((guardFor) => [guardFor, guardFor(readDocument())])
  .then(
    ([guardFor, firstGuard]) => {
      // Prism's servers (micri's serve) are the only HTTP servers this process creates: one at start,
      // then a new one each time the document changes, since Prism watches the file and reloads it (a
      // rebuild of the spec while the mock runs). Each gets the guard of the document as it is then;
      // were only the first guarded, every bad body after a reload would hang again.
      let guard = firstGuard;
      const createServer = http.createServer;
      http.createServer = function createGuardedServer(...args) {
        try {
          guard = guardFor(readDocument());
        } catch {
          // Prism reloads only once the file has stopped changing; should it still not parse, the
          // previous document's guard is the best there is.
        }
        const index = args.findIndex((arg) => typeof arg === 'function');
        if (index !== -1) args[index] = guard(args[index]);
        return createServer.apply(this, args);
      };
      // Prism's CLI parses process.argv itself: make it look as if `prism <args>` had been run.
      process.argv = [process.argv[0], prism, ...process.argv.slice(2)];
      require(prism);
    },
    (error) => {
      console.error(`prism-process: could not read ${documentPath}: ${error.stack ?? error}`);
      process.exit(1);
    },
  );
