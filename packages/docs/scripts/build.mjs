// @ts-check
// `pnpm build`: writes the docs site to dist/.
import { buildSite } from '../src/build-site.mjs';

await buildSite();
