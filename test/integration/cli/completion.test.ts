/**
 * Shell completion as a shell runs it: the bash script `switchyard completion bash`
 * prints passes `bash -n`, and bash's own completion machinery (COMP_WORDS, COMPREPLY)
 * offers the verbs, the subcommands of a group, a verb's options, an option's choices,
 * and files for an option's value. zsh and fish are not installed here: their scripts
 * are checked for every verb and option of the tree.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionScript } from '../../../src/cli/completion-scripts.js';
import type { CompletionNode } from '../../../src/cli/completion-tree.js';
import { completionTree, walk } from '../../../src/cli/completion-tree.js';
import { buildProgram } from '../../../src/cli/program.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let tree: CompletionNode;
let temp: ReturnType<typeof makeTempDir>;
let bashFile: string;

beforeAll(() => {
  const io = { out: () => undefined, err: () => undefined, env: {}, cwd: '/', connect: () => Promise.reject(new Error('no')), interrupted: () => Promise.resolve() };
  tree = completionTree(buildProgram({ io, session: () => Promise.reject(new Error('no')) }));
  temp = makeTempDir('sy-completion-');
  bashFile = join(temp.path, 'switchyard.bash');
  writeFileSync(bashFile, completionScript('bash', tree));
});
afterAll(() => temp.remove());

/** What bash completes for the words typed so far (the last one being completed). */
function complete(...words: string[]): string[] {
  const script = `source ${JSON.stringify(bashFile)}
COMP_WORDS=(${['switchyard', ...words].map((word) => `'${word}'`).join(' ')})
COMP_CWORD=${words.length}
_switchyard
printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { cwd: temp.path, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe('bash completion', () => {
  it('is valid bash', () => {
    expect(() => execFileSync('bash', ['-n', bashFile])).not.toThrow();
  });

  it('offers the verbs, a group\'s subcommands, a verb\'s options and an option\'s choices', () => {
    expect(complete('')).toEqual(expect.arrayContaining(['agents', 'approve', 'approvals', 'completion', 'manifests', 'send', 'spawn', 'trace', 'traces', 'task', 'tasks', 'context', '--url', '--data-dir']));
    expect(complete('tr')).toEqual(['trace', 'traces']);
    expect(complete('manifests', '')).toEqual(expect.arrayContaining(['install', 'list']));
    expect(complete('manifests', 'i')).toEqual(['install']);
    expect(complete('context', 's')).toEqual(['set']);
    expect(complete('send', 'coder', '--w')).toEqual(['--wait']);
    expect(complete('spawn', 'worker', '--prefer', '')).toEqual(['local', 'remote']);
    expect(complete('--data-dir', '/tmp', 'approvals', '--state', 'p')).toEqual(['pending']);
    // A global option's value is skipped when finding the verb.
    expect(complete('--url', 'http://x', 'agents', '--')).toEqual(expect.arrayContaining(['--repo', '--watch', '--json', '--url']));
  });

  it('offers files for an option that takes a path', () => {
    writeFileSync(join(temp.path, 'notes.md'), 'x');
    expect(complete('start', 'coder', '--workspace', 'not')).toEqual(['notes.md']);
  });
});

describe('zsh and fish completion', () => {
  it('name every verb and option of the tree', () => {
    const zsh = completionScript('zsh', tree);
    const fish = completionScript('fish', tree);
    expect(zsh.startsWith('#compdef switchyard')).toBe(true);
    for (const { path, node } of walk(tree)) {
      if (path.length > 0) {
        expect(zsh).toContain(`'${path.at(-1)}:`);
        expect(fish).toContain(`-a '${path.at(-1)}'`);
      }
      for (const option of node.options) {
        for (const flag of option.flags) expect(zsh).toContain(`'${flag}:`);
        const long = option.flags.find((flag) => flag.startsWith('--'));
        if (long) expect(fish).toContain(`-l ${long.slice(2)}`);
      }
    }
    expect(fish).toContain("-l prefer -x -a 'local remote'");
  });
});
