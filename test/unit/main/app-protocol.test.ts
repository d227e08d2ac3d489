/**
 * The app:// handler on real files: the renderer's files come back with our CSP; any
 * way out of the renderer folder (dot-dot, encoded slashes, symbolic links), another
 * host, or another method is refused.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolHandler } from '../../../src/main/app-protocol.js';
import { resolveRendererPath } from '../../../src/main/renderer-files.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/content-security-policy.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const dir = makeTempDir('sy-app-protocol-');
const root = join(dir.path, 'renderer');
let handle: (request: Request) => Promise<Response>;
const get = (url: string, init?: RequestInit) => handle(new Request(url, init));

beforeAll(() => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Switchyard</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dir.path, 'secret.txt'), 'SECRET');
  symlinkSync(join(dir.path, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handle = appProtocolHandler(root);
});
afterAll(() => dir.remove());

describe('app:// handler', () => {
  it('serves the entry page with our CSP and its content type', async () => {
    const response = await get('app://switchyard/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Switchyard</title>');
  });

  it('serves / as the entry page and assets by path, HEAD without a body', async () => {
    expect(await (await get('app://switchyard/')).text()).toContain('Switchyard');
    const script = await get('app://switchyard/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    const head = await get('app://switchyard/assets/index-abc.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each([
    'app://switchyard/../secret.txt',
    'app://switchyard/%2e%2e/secret.txt',
    'app://switchyard/assets/link.txt',
    'app://switchyard/missing.js',
    'app://switchyard/assets',
    'app://other/index.html',
  ])('refuses %s without leaking the file', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('SECRET');
  });

  it.each([
    'app://switchyard/%E0%A4%A',
    'app://switchyard/a%00.js',
    'app://switchyard/..%5csecret.txt',
    'app://switchyard/..%2fsecret.txt',
    'app://switchyard/assets/..%2f..%2fsecret.txt',
    'app://switchyard/%2E%2E%2F%2E%2E%2Fsecret.txt',
  ])(
    'answers 400 to the malformed path %s',
    async (url) => {
      const response = await get(url);
      expect(response.status).toBe(400);
      expect(await response.text()).not.toContain('SECRET');
    },
  );

  it('refuses methods other than GET and HEAD', async () => {
    const response = await get('app://switchyard/index.html', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says the renderer is not built when its folder is missing', async () => {
    const response = await appProtocolHandler(join(dir.path, 'not-built'))(new Request('app://switchyard/index.html'));
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/npm run build/);
  });
});

describe('resolveRendererPath', () => {
  it('keeps every resolved file strictly inside the root', () => {
    expect(resolveRendererPath('/srv/r', '/assets/a.js')).toEqual({ ok: true, file: join('/srv/r', 'assets', 'a.js') });
    expect(resolveRendererPath('/srv/r', '/')).toEqual({ ok: true, file: join('/srv/r', 'index.html') });
    expect(resolveRendererPath('/srv/r', '/..%2f..%2fetc/passwd')).toMatchObject({ ok: false, status: 400 });
    expect(resolveRendererPath('/srv/r', '/..%2fr2/x')).toMatchObject({ ok: false, status: 400 });
    expect(resolveRendererPath('/srv/r', '/%2e%2e')).toMatchObject({ ok: false, status: 400 });
    expect(resolveRendererPath('/srv/r', '/%')).toMatchObject({ ok: false, status: 400 });
  });
});
