/**
 * The strict exposition reader used by the /metrics tests: it accepts what prom-client
 * writes and refuses each malformed shape, so a test that passes through it means something.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../helpers/prometheus-text.js';

describe('the exposition reader', () => {
  it("reads prom-client's output: types, help, escaped labels and histograms", async () => {
    const registry = new Registry();
    new Counter({ name: 'x_total', help: 'a "counter" \\ with\nnewline', labelNames: ['k'], registers: [registry] }).inc({ k: 'a"b\\c\nd' }, 3);
    new Gauge({ name: 'g', help: 'gauge', registers: [registry] }).set(-1.5);
    const h = new Histogram({ name: 'h_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] });
    h.observe(0.05);
    h.observe(5);
    const families = parsePrometheusText(await registry.metrics());
    expect(families.get('x_total')).toMatchObject({ type: 'counter', help: 'a "counter" \\ with\nnewline' });
    expect(sampleValue(families, 'x_total', { k: 'a"b\\c\nd' })).toBe(3);
    expect(sampleValue(families, 'g')).toBe(-1.5);
    expect(sampleValue(families, 'h_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(sampleValue(families, 'h_seconds_bucket', { le: '+Inf' })).toBe(2);
    expect(sampleValue(families, 'h_seconds_count')).toBe(2);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no final newline', '# TYPE a gauge\na 1', /newline/],
    ['an untyped sample', 'a 1\n', /no TYPE/],
    ['a bad value', '# TYPE a gauge\na one\n', /bad value/],
    ['a bad escape', '# TYPE a gauge\na{k="\\t"} 1\n', /bad escape/],
    ['a negative counter', '# TYPE a_total counter\na_total -1\n', /below zero/],
    ['a series twice', '# TYPE a gauge\na{k="1"} 1\na{k="1"} 2\n', /twice/],
    ['a second TYPE', '# TYPE a gauge\n# TYPE a gauge\na 1\n', /second TYPE/],
    ['split samples', '# TYPE a gauge\na{k="1"} 1\n# TYPE b gauge\nb 1\na{k="2"} 1\n', /not contiguous|closed/],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', /\+Inf/],
    ['a falling bucket', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', /cumulative/],
    ['+Inf != count', '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n', /_count/],
    ['a bad label name', '# TYPE a gauge\na{1k="v"} 1\n', /bad label/],
  ];
  it.each(bad)('refuses %s', (_what, text, error) => {
    expect(() => parsePrometheusText(text)).toThrow(error);
  });
});
