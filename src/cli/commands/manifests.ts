/**
 * `manifests list` and `manifests install <dir|file>`: installs every manifest (*.json)
 * of a folder, or one file. A command or argument starting with `./` or `../`, and a
 * relative `cwd`, are made absolute against that folder first, so the installed copy
 * (in the data folder's agents/) still finds the scripts it ships with.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InstallManifestInput } from '../../shared/agent-protocol.js';
import type { ManifestView } from '../../shared/agent-protocol.js';
import { UsageError } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { emit } from '../context.js';
import { parseInput, parseJsonArgument } from '../parse-input.js';
import { action, verb } from '../verb.js';

/** The manifest files of `path` (a folder's *.json, or the file itself), with their install inputs. */
export function manifestInputs(path: string, replace: boolean, cwd: string) {
  const target = resolve(cwd, path);
  let files: string[];
  try {
    files = statSync(target).isDirectory()
      ? readdirSync(target)
          .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
          .sort()
          .map((name) => join(target, name))
      : [target];
  } catch (error) {
    throw new UsageError(`manifests install: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (files.length === 0) throw new UsageError(`manifests install: no *.json manifest in ${path}`);
  return files.map((file) => {
    const raw = parseJsonArgument(readFileSync(file, 'utf8'), `manifests install ${file}`);
    const manifest = anchor(raw, dirname(file));
    return { file, input: parseInput(InstallManifestInput, { manifest, replace }, `manifests install ${file}`) };
  });
}

/** Makes `./x`-style paths and a relative cwd absolute against the manifest's folder. */
function anchor(raw: unknown, folder: string): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const manifest = { ...(raw as Record<string, unknown>) };
  const relative = (value: unknown): unknown =>
    typeof value === 'string' && (value.startsWith('./') || value.startsWith('../')) ? resolve(folder, value) : value;
  manifest.command = relative(manifest.command);
  if (Array.isArray(manifest.args)) manifest.args = manifest.args.map(relative);
  if (typeof manifest.cwd === 'string' && !isAbsolute(manifest.cwd)) manifest.cwd = resolve(folder, manifest.cwd);
  return manifest;
}

export function registerManifestVerbs(program: Command, ctx: CliContext): void {
  const manifests = program.command('manifests').description('agent manifests: the types `start` and `scale` know');
  const list = verb(manifests, 'list', 'every installed manifest, and files that were skipped');
  action(list, async ({ options, command }) => {
    const found = await (await ctx.session(command)).call('manifests.list');
    emit(ctx.io, options.json, found, () => {
      ctx.io.out(found.manifests.map((view) => `${view.manifest.type.padEnd(14)} ${view.source.padEnd(8)} ${view.manifest.description}`).join('\n') || 'no manifests');
      for (const problem of found.problems) ctx.io.err(`skipped ${problem.file}: ${problem.message}`);
    });
  });

  const install = verb(manifests, 'install <dir>', 'install the manifests (*.json) of a folder, or one manifest file').option(
    '--replace',
    'overwrite an installed manifest of the same type',
  );
  action<{ replace?: boolean }>(install, async ({ args, options, command }) => {
    const inputs = manifestInputs(args[0] ?? '', options.replace ?? false, ctx.io.cwd);
    const session = await ctx.session(command);
    const installed: ManifestView[] = [];
    for (const { input } of inputs) installed.push(await session.call('manifests.install', input));
    emit(ctx.io, options.json, installed, () => ctx.io.out(installed.map((view) => `installed ${view.manifest.type} → ${view.file}`).join('\n')));
  });
}
