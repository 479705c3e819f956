// @ts-check
// `pnpm build`: writes the docs site to dist/, for the site's root.
// `pnpm docs:build --base /<repo>/` (after `pnpm build`): the same, for a site served under that path,
// as a GitHub Pages project site is. Options: --base <path> (default /), --out <dir> (default dist/).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSite } from '../src/build-site.mjs';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: '/' },
    out: { type: 'string' },
  },
});
await buildSite({ basePath: values.base, ...(values.out !== undefined && { outDir: path.resolve(values.out) }) });
