import { describe, expect, it } from 'vitest';
import { readRequestTarget } from '../../../src/core/bridge/request-target.js';
import { requestedPath } from '../../../src/main/static-server.js';

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

describe('requestedPath', () => {
  it('decodes a served path', () => {
    expect(requestedPath('/assets/app%20x.js')).toBe('/assets/app x.js');
    expect(requestedPath('/')).toBe('/');
  });

  it('refuses bad escapes, NUL, backslashes and .. segments that decoding brings back', () => {
    for (const target of ['/%E0%A4%A', '/%', '/%zz', '/a%00b', '/..%2fx', '/a%2f..%2f..%2fx', '/%5c..', '/a%5cb']) {
      expect(requestedPath(target), target).toBeNull();
    }
  });

  it('leaves literal and %2e%2e segments to the URL parser, which resolves them inside the root', () => {
    expect(requestedPath('/../x')).toBe('/x');
    expect(requestedPath('/a/%2e%2e/%2e%2e/x')).toBe('/x');
  });
});
