/**
 * The desktop's OS notifications of problems, through the same path as the coding
 * agents' (src/main/os-notifications.ts): a serious problem just raised notifies while
 * the window is not focused; a repeat, a warning, a focused window or a stopped
 * notifier does not.
 */
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/core/events.js';
import { ProblemCenter } from '../../../src/core/problems/index.js';
import { registrationRefused, outboxGrowing } from '../../../src/core/problems/reports.js';
import { notifyFromCore } from '../../../src/main/os-notifications.js';
import type { OsNotification } from '../../../src/shared/coding-notifications.js';

describe('desktop notifications of problems', () => {
  it('notify for a serious problem raised while the window is not focused, once', () => {
    const hub = new EventHub();
    const center = new ProblemCenter({ now: () => 1_000 }, (change) => hub.emit('problems.changed', change));
    const shown: OsNotification[] = [];
    let focused = false;
    const stop = notifyFromCore(hub, { show: (n) => shown.push(n), windowFocused: () => focused });
    const refusal = registrationRefused('demo', 'two', 'alice.two', { name: 'QuotaExceeded', message: 'the limit is 1' });
    center.raise(refusal);
    center.raise(refusal);
    center.raise(outboxGrowing(120, 100, undefined));
    focused = true;
    center.raise(registrationRefused('demo', 'three', 'alice.three', { name: 'NotAllowed', message: 'no' }));
    focused = false;
    stop();
    center.raise(registrationRefused('demo', 'four', 'alice.four', { name: 'NotAllowed', message: 'no' }));
    expect(shown.map((n) => [n.kind, n.title])).toEqual([['problem', 'The team refused to register two (as alice.two): QuotaExceeded']]);
    expect(shown[0]?.body).toMatch(/^the limit is 1 — You have reached your share/);
  });
});
