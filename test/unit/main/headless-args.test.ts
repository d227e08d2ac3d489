/**
 * The headless host's command line: parsed with zod, with a typed error naming the bad
 * option rather than a crash or a silently wrong port.
 */
import { describe, expect, it } from 'vitest';
import { parseHeadlessArgs } from '../../../src/main/headless-args.js';
import { ValidationError } from '../../../src/shared/errors.js';

describe('parseHeadlessArgs', () => {
  it('defaults to a free port, the default data folder and no extra origins', () => {
    expect(parseHeadlessArgs([])).toEqual({ port: 0, dataDir: undefined, allowOrigin: [] });
  });

  it('reads --port, --data-dir and repeated --allow-origin', () => {
    expect(
      parseHeadlessArgs([
        '--port', '5174', '--data-dir', 'some/dir',
        '--allow-origin', 'http://localhost:5173', '--allow-origin=http://127.0.0.1:5173',
      ]),
    ).toEqual({ port: 5174, dataDir: 'some/dir', allowOrigin: ['http://localhost:5173', 'http://127.0.0.1:5173'] });
  });

  it.each([
    [['--port', '70000'], 'port'],
    [['--port', '-1'], 'port'],
    [['--port', '80.5'], 'port'],
    [['--port', 'eighty'], 'port'],
    [['--data-dir', ''], 'dataDir'],
    [['--allow-origin', 'not a url'], 'allowOrigin.0'],
  ])('refuses %j with a ValidationError naming %s', (argv, path) => {
    let thrown: unknown;
    try {
      parseHeadlessArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).what).toBe('command line');
    expect((thrown as ValidationError).issues.map((issue) => issue.path)).toContain(path);
  });

  it.each([
    [['--prot', '8080'], /Unknown option '--prot'/],
    [['--port'], /Option '--port <value>' argument missing/],
  ])('refuses %j with a ValidationError, not a bare TypeError', (argv, message) => {
    expect(() => parseHeadlessArgs(argv)).toThrow(ValidationError);
    expect(() => parseHeadlessArgs(argv)).toThrow(message);
  });
});
