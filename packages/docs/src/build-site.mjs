// @ts-check
// Builds the static docs site from the bundled OpenAPI document:
//   openapi.json / openapi.yaml  the document, with generated x-codeSamples on every operation
//   postman.json                 a Postman collection (v2.1) generated from it
//   index.html + assets          the Redoc reference page, loading nothing from other origins

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { addCodeSamples } from '@reportei-connect/codegen-samples';
import { toPostmanCollection } from './postman.mjs';
import { renderRedocPage } from './redoc-page.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * @param {object} [options]
 * @param {string} [options.outDir] default: the package's dist/
 */
export async function buildSite({ outDir = path.join(packageDir, 'dist') } = {}) {
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
}
