// @ts-check
// Builds the static docs site from the bundled OpenAPI document:
//   openapi.json / openapi.yaml  the document, with generated x-codeSamples on every operation
//   postman.json                 a Postman collection (v2.1) generated from it
//   index.html + assets          the Redoc reference page, loading nothing from other origins
//   <route>/index.html, 404.html  a page for every address the reference links to (src/routes.mjs), so
//                                that each loads when opened directly, under the base path it is built for

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { addCodeSamples } from '@reportei-connect/codegen-samples';
import { toPostmanCollection } from './postman.mjs';
import { renderRedocPage } from './redoc-page.mjs';
import { normalizeBasePath, writeRoutes } from './routes.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * @param {object} [options]
 * @param {string} [options.outDir]   default: the package's dist/
 * @param {string} [options.basePath] the URL path the site is served under, default `/`; a GitHub Pages
 *                                    project site is under `/<repo>/`
 */
export async function buildSite({ outDir = path.join(packageDir, 'dist'), basePath = '/' } = {}) {
  const base = normalizeBasePath(basePath);
  const specPath = fileURLToPath(import.meta.resolve('@reportei-connect/openapi/openapi.json'));
  const bundled = JSON.parse(await readFile(specPath, 'utf8'));
  const withSamples = addCodeSamples(bundled);

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const jsonPath = path.join(outDir, 'openapi.json');
  await writeFile(jsonPath, `${JSON.stringify(withSamples, null, 2)}\n`);
  await writeFile(path.join(outDir, 'openapi.yaml'), stringify(withSamples, { lineWidth: 0 }));
  await writeFile(path.join(outDir, 'postman.json'), `${JSON.stringify(await toPostmanCollection(bundled), null, 2)}\n`);

  await renderRedocPage({
    specPath: jsonPath,
    outDir,
    templateDir: path.join(packageDir, 'template'),
    configPath: path.join(packageDir, 'redocly.yaml'),
    description: withSamples.info.summary ?? withSamples.info.title,
  });
  await writeRoutes({ outDir, basePath: base });
}
