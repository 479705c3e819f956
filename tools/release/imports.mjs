// @ts-check
// Every package of the workspace declares what its code imports. pnpm links only declared dependencies
// into a package's node_modules, but a link left over from an earlier install, or the root's own
// devDependencies (found by walking up), can hide a missing declaration until a fresh clone builds the
// packages in another order: this check finds it from the source instead.

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { ROOT, workspacePackages } from './workspace.mjs';

// By require: imported as ESM, TypeScript's 9 MB of CommonJS is first scanned for exports (0.5 CPU-s).
/** @type {typeof import('typescript')} */
const ts = createRequire(import.meta.url)('typescript');

const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
/**
 * Folders that hold installed or built files, not a package's own source. Generated code is skipped
 * too: the builds rewrite it while this check may run (its test task waits for no build).
 */
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.turbo', 'coverage', 'generated']);

/**
 * The package's source files, recursively, skipping installed and built folders.
 *
 * @param {string} dir
 * @returns {string[]}
 */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(full);
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * The module specifiers a file's code names: static imports and exports, `import()` in code and in
 * types (JSDoc included), `require()`, `import.meta.resolve()` and `require.resolve()`. Text that only
 * looks like an import (inside a string or a comment) is not one.
 *
 * @param {string} file
 * @returns {string[]}
 */
export function importedSpecifiers(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  /** @type {string[]} */
  const found = [];
  /** @param {import('typescript').Node | undefined} node */
  const literal = (node) => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  /** @param {import('typescript').Node} node */
  const visit = (node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node) && isModuleCall(node.expression)) literal(node.arguments[0]);
    for (const doc of /** @type {{ jsDoc?: import('typescript').JSDoc[] }} */ (node).jsDoc ?? []) ts.forEachChild(doc, visit);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** @param {import('typescript').Expression} callee */
function isModuleCall(callee) {
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'resolve') return false;
  const owner = callee.expression;
  return (ts.isIdentifier(owner) && owner.text === 'require') || (ts.isMetaProperty(owner) && owner.keywordToken === ts.SyntaxKind.ImportKeyword);
}

/**
 * The package a bare specifier names (`@scope/name` or `name`), or undefined for a relative path, an
 * absolute one, a URL or a built-in module.
 *
 * @param {string} specifier
 */
export function packageOf(specifier) {
  if (/^[./]|^[a-z][a-z+.-]*:/i.test(specifier) || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Each import of a package that the importing package's package.json does not declare (in
 * dependencies, devDependencies or peerDependencies) and that is not the package itself.
 *
 * @param {string} [root]
 * @returns {string[]}
 */
export function undeclaredImports(root = ROOT) {
  /** @type {string[]} */
  const problems = [];
  for (const pkg of workspacePackages(root)) {
    const { manifest } = pkg;
    const declared = new Set([manifest.name, ...['dependencies', 'devDependencies', 'peerDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}))]);
    for (const file of sourceFiles(pkg.absDir)) {
      const missing = new Set(importedSpecifiers(file).map(packageOf).filter((name) => name !== undefined && !declared.has(name)));
      for (const name of missing) {
        problems.push(`${path.relative(root, file).split(path.sep).join('/')} imports ${name}, which ${pkg.dir}/package.json does not declare: add it to dependencies (devDependencies if only tests, tools or types use it)`);
      }
    }
  }
  return problems;
}
