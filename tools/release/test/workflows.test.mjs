// The GitHub Actions workflows cannot run here: they are validated against the workflow schema
// (@action-validator/core, offline) and checked for what each must do, with the scripts people run.

import { describe, expect, it } from 'vitest';
import { changesetProblems, readWorkflows, schemaProblems, workflowProblems } from '../workflows.mjs';

describe('the GitHub Actions workflows', () => {
  it('are ci.yml, release.yml and docs.yml', () => {
    expect(Object.keys(readWorkflows()).sort()).toEqual(['ci.yml', 'docs.yml', 'release.yml']);
  });

  it('validate against the workflow schema and do what RELEASING.md says, with the scripts of package.json', () => {
    expect(workflowProblems()).toEqual([]);
  });

  it('are really checked: the schema rejects an unknown event and a misspelt key', () => {
    const broken = ['name: broken', 'on: [pushh]', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    stepz:', '      - run: pnpm test', ''].join('\n');
    const problems = schemaProblems(broken);
    expect(problems.join('\n')).toContain("Additional property 'stepz' is not allowed");
    expect(problems.some((line) => line.startsWith('/on'))).toBe(true);
  });
});

describe('the Changesets setup', () => {
  it('has its config, the changeset, version-packages and release scripts, and @changesets/cli 2.x', () => {
    expect(changesetProblems()).toEqual([]);
  });
});
