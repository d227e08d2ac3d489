import { describe, expect, it } from 'vitest';
import { readRequestTarget } from '../../../src/core/bridge/request-target.js';
import { resolveRendererPath } from '../../../src/main/renderer-files.js';

/** What the static server does with a target: read it, then resolve its path under a root. */
const served = (target: string) => {
  const url = readRequestTarget(target);
  return url ? resolveRendererPath('/srv/r', url.pathname) : null;
};

describe('readRequestTarget', () => {
  it('reads origin-form targets, including ones new URL(target, base) throws on', () => {
    expect(readRequestTarget('/bridge?token=abc')?.searchParams.get('token')).toBe('abc');
    expect(readRequestTarget('//')?.pathname).toBe('//');
    expect(readRequestTarget('//[')?.pathname).toBe('//[');
    expect(readRequestTarget('//evil.example/x')?.host).toBe('127.0.0.1');
  });

  it('refuses what is not a path', () => {
    for (const target of [undefined, '', '*', 'http://evil.example/', 'bridge']) expect(readRequestTarget(target)).toBeNull();
  });
});

describe('a request target resolved under the renderer root', () => {
  it('decodes a served path', () => {
    expect(served('/assets/app%20x.js')).toEqual({ ok: true, file: '/srv/r/assets/app x.js' });
    expect(served('/')).toEqual({ ok: true, file: '/srv/r/index.html' });
  });

  it('refuses bad escapes, NUL, backslashes and .. segments that decoding brings back', () => {
    for (const target of ['/%E0%A4%A', '/%', '/%zz', '/a%00b', '/..%2fx', '/a%2f..%2f..%2fx', '/%5c..', '/a%5cb']) {
      expect(served(target), target).toMatchObject({ ok: false, status: 400 });
    }
  });

  it('leaves literal and %2e%2e segments to the URL parser, which resolves them inside the root', () => {
    expect(served('/../x')).toEqual({ ok: true, file: '/srv/r/x' });
    expect(served('/a/%2e%2e/%2e%2e/x')).toEqual({ ok: true, file: '/srv/r/x' });
  });
});
