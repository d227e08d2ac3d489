/** The opt-in switches of /metrics: the desktop's port variable and the coordinator's listen address. */
import { describe, expect, it } from 'vitest';
import { METRICS_PORT_ENV, metricsPortOf, parseMetricsListen } from '../../../src/core/metrics/index.js';

describe('metrics settings', () => {
  it('reads SWITCHYARD_METRICS_PORT: unset or empty is off, a port is on, anything else a ValidationError', () => {
    expect(metricsPortOf({})).toBeUndefined();
    expect(metricsPortOf({ [METRICS_PORT_ENV]: '' })).toBeUndefined();
    expect(metricsPortOf({ [METRICS_PORT_ENV]: '9465' })).toBe(9465);
    expect(() => metricsPortOf({ [METRICS_PORT_ENV]: 'nine' })).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => metricsPortOf({ [METRICS_PORT_ENV]: '70000' })).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it('reads host:port, [v6]:port or a bare port (on 127.0.0.1)', () => {
    expect(parseMetricsListen('9464', 'x')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsListen('0.0.0.0:9464', 'x')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseMetricsListen('[::1]:9464', 'x')).toEqual({ host: '::1', port: 9464 });
    expect(() => parseMetricsListen('localhost', 'x')).toThrow(/host:port/);
    expect(() => parseMetricsListen('h:99999', 'x')).toThrow(/65535/);
  });
});
