/**
 * Turns off zod's eval-based fast path. Imported first by main.tsx, before any module
 * that defines or parses a schema.
 *
 * The CSP forbids eval. Without this, zod probes `new Function` on its first object
 * parse; the probe's error is caught, but Chromium still reports a CSP violation.
 */
import { z } from 'zod';

z.config({ jitless: true });
