#!/usr/bin/env node
// The bin is a committed file so that installing the workspace can link it before the build has run.
import "../dist/server.js";
