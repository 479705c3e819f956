export { default } from '../tools/vitest.config.base.mjs';
