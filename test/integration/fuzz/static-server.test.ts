/**
 * The static server (src/main/static-server.ts) on a real HTTP server over a temp root
 * with a secret file beside it: traversal in every spelling is a 4xx and nothing outside
 * the root is ever served; then 1,000+ generated requests (paths, percent escapes,
 * methods) are each answered below 500, and a valid request is served afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardRequests, staticHandler } from '../../../src/main/static-server.js';
import { FuzzTally, fuzzRuns } from './fuzz-report.js';
import { httpGet } from './host-probes.js';

const INDEX = '<!doctype html><html>INDEX</html>';
const FILE = 'inside-the-root';
const SECRET = 'SECRET-OUTSIDE-THE-ROOT';

let dir: string;
let server: Server;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 2 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-static-'));
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'a'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'a', 'file.txt'), FILE);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'renderer-secret.txt'), SECRET);
  server = createServer(guardRequests(staticHandler(root)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a request line byte for byte (for targets no HTTP client would send). */
function rawRequest(line: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.end(`${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

describe('static server: traversal and malformed targets', () => {
  it('serves files inside the root and index.html for unknown paths', async () => {
    expect(await httpGet(port, '/a/file.txt')).toEqual({ status: 200, body: FILE });
    expect(await httpGet(port, '/settings/view')).toEqual({ status: 200, body: INDEX });
  });

  it.each([
    ['/..%2fsecret.txt'],
    ['/..%2f..%2fsecret.txt'],
    ['/a%2f..%2f..%2fsecret.txt'],
    ['/..%5csecret.txt'],
    ['/%5c..%5csecret.txt'],
    ['/a/file.txt%00.html'],
    ['/%00'],
    ['/%E0%A4%A'],
    ['/%'],
    ['/%zz'],
    ['/%ff'],
  ])('answers %s with a 4xx and never the secret', async (target) => {
    const answer = await httpGet(port, target);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).not.toContain(SECRET);
  });

  it('resolves /../ and %2e%2e inside the URL (as browsers do), so they cannot climb out either', async () => {
    const targets = ['/../secret.txt', '/a/../../secret.txt', '/../renderer-secret.txt', '/..\\secret.txt', '/%2e%2e/secret.txt', '/%2E%2E/secret.txt', '/a/%2e%2e/%2e%2e/secret.txt'];
    for (const target of targets) {
      const answer = await httpGet(port, target);
      expect(answer.body, target).not.toContain(SECRET);
      expect([200, 400], target).toContain(answer.status);
      if (answer.status === 200) expect(answer.body, target).toBe(INDEX);
    }
  });

  it('answers targets that are not paths with a 400: //, absolute-form, *', async () => {
    expect((await httpGet(port, '//')).status).toBe(200); // a path: the app's index
    expect(await rawRequest('GET http://evil.example/secret.txt HTTP/1.1')).toBe(400);
    expect(await rawRequest('GET * HTTP/1.1')).toBe(400);
    expect(await rawRequest('GET \u0000 HTTP/1.1')).toBe(400); // refused by the HTTP parser itself
  });

  it('answers other methods with 405', async () => {
    expect((await httpGet(port, '/', 'POST')).status).toBe(405);
    expect((await httpGet(port, '/', 'DELETE')).status).toBe(405);
  });
});

/** Path pieces that have broken static servers before, mixed with random ones. */
const segment = fc.oneof(
  fc.constantFrom('..', '%2e%2e', '%2E%2e', '.%2e', '%2e.', '.', '', 'a', 'file.txt', 'secret.txt', 'renderer', 'index.html'),
  fc.constantFrom('%2f', '%2F', '%5c', '%5C', '\\', '..\\', '%00', '%', '%E0%A4%A', '%zz', '%252e%252e', '%c0%ae', '%uff0e'),
  fc.uint8Array({ maxLength: 6 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  fc.string({ unit: fc.integer({ min: 0x21, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
);
const target = fc.tuple(fc.constantFrom('/', '//', '/a/', '/%2e%2e/'), fc.array(segment, { maxLength: 8 }), fc.constantFrom('/', '\\', '%2f')).map(
  ([prefix, parts, glue]) => prefix + parts.join(glue),
);
const method = fc.oneof(fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'), fc.stringMatching(/^[A-Z]{1,8}$/));

describe('static server fuzz', () => {
  it('answers every generated request below 500, never with a file outside the root', async () => {
    const tally = new FuzzTally('static-server');
    await fc.assert(
      fc.asyncProperty(target, method, async (path, verb) => {
        tally.inputs++;
        const answer = await httpGet(port, path, verb, agent);
        if (answer.status >= 400 && answer.status < 500) tally.http4xx++;
        expect(answer.status).toBeLessThan(500);
        expect(answer.body).not.toContain(SECRET);
        if (answer.status === 200 && verb === 'GET') expect([INDEX, FILE]).toContain(answer.body);
      }),
      fuzzRuns(),
    );
    const after = await httpGet(port, '/a/file.txt');
    const summary = tally.report(after.status === 200 && after.body === FILE);
    expect(summary.inputs).toBeGreaterThanOrEqual(1_000);
    expect(summary.hostAlive).toBe(true);
  });
});
