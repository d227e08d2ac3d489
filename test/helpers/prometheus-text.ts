/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests
 * that scrape a `/metrics` endpoint. prom-client writes the format but cannot read it,
 * so this checks what a Prometheus server would refuse, and a little more:
 *
 * - every line is `# HELP`, `# TYPE`, another comment, or a sample; the text ends in a newline;
 * - names and label names match the format's patterns; label values use only `\\`, `\"`, `\n` escapes;
 * - a family's TYPE comes before its samples, once; its samples are contiguous;
 * - values are floats, NaN or ±Inf (any case, as Go's ParseFloat reads them); no series appears twice;
 * - counters are never negative; a histogram's buckets have `le`, rise with it, end in
 *   `+Inf`, never decrease, and the `+Inf` bucket equals `_count`, with `_sum` beside it.
 *
 * Throws an Error naming the line on the first violation.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string | undefined;
  samples: Sample[];
}

interface ReadState {
  families: Map<string, Family>;
  closed: Set<string>;
  typed: Set<string>;
  current: Family | undefined;
  seriesSeen: Set<string>;
}

/** `# HELP name text`, `# TYPE name type`, or a plain comment. */
function readComment(line: string, where: string, state: ReadState): void {
  const match = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
  if (!match) return;
  const [, keyword, name, rest] = match as unknown as [string, 'HELP' | 'TYPE', string, string | undefined];
  if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
  if (state.closed.has(name)) throw new Error(`${where}: ${name} was already written and closed`);
  let family = state.families.get(name);
  if (!family) {
    if (state.current) state.closed.add(state.current.name);
    family = { name, type: 'untyped', help: undefined, samples: [] };
    state.families.set(name, family);
    state.current = family;
  }
  if (keyword === 'HELP') {
    if (family.help !== undefined) throw new Error(`${where}: a second HELP for ${name}`);
    family.help = unescapeHelp(rest ?? '', where);
    return;
  }
  const type = (rest ?? '').trim();
  if (!TYPES.has(type)) throw new Error(`${where}: unknown type "${type}"`);
  if (state.typed.has(name)) throw new Error(`${where}: a second TYPE for ${name}`);
  if (family.samples.length > 0) throw new Error(`${where}: TYPE after samples of ${name}`);
  state.typed.add(name);
  family.type = type as Family['type'];
}

function readSampleLine(line: string, where: string, state: ReadState): void {
  const sample = parseSample(line, where);
  const family = familyOf(sample.name, state.families);
  if (!family) throw new Error(`${where}: sample ${sample.name} has no TYPE (every family here is typed)`);
  if (family !== state.current) throw new Error(`${where}: samples of ${family.name} are not contiguous`);
  const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
  if (state.seriesSeen.has(series)) throw new Error(`${where}: series written twice`);
  state.seriesSeen.add(series);
  if (family.type === 'counter' && !(sample.value >= 0)) throw new Error(`${where}: a counter below zero`);
  family.samples.push(sample);
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<Family['type'], string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

export function parsePrometheusText(text: string): Map<string, Family> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const seriesSeen = new Set<string>();
  const closed = new Set<string>();
  const typed = new Set<string>();
  const lines = text.split('\n').slice(0, -1);
  const state: ReadState = { families, closed, typed, current: undefined, seriesSeen };
  lines.forEach((line, index) => {
    const where = `line ${index + 1} (${JSON.stringify(line.slice(0, 120))})`;
    if (line.trim() === '') return;
    if (line.startsWith('#')) readComment(line, where, state);
    else readSampleLine(line, where, state);
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  for (const family of families.values()) {
    for (const suffix of SUFFIXES[family.type]) if (family.name + suffix === sampleName) return family;
  }
  return undefined;
}

function parseSample(line: string, where: string): Sample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(?:\s+(-?\d+))?$/.exec(line);
  if (!match) throw new Error(`${where}: not a sample`);
  const [, name, labelText, valueText] = match as unknown as [string, string, string | undefined, string];
  const labels = labelText ? parseLabels(labelText.slice(1, -1), where) : {};
  return { name, labels, value: parseValue(valueText, where) };
}

/** Prometheus reads values with Go's strconv.ParseFloat, which takes NaN and Inf in any case (prom-client writes `Nan`). */
function parseValue(text: string, where: string): number {
  if (/^nan$/i.test(text)) return Number.NaN;
  if (/^\+?inf(inity)?$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: bad value "${text}"`);
  return Number(text);
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const pair = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(?:,|$)/.exec(rest);
    if (!pair) throw new Error(`${where}: bad label at "${rest.slice(0, 40)}"`);
    const [all, name, raw] = pair as unknown as [string, string, string];
    if (name.startsWith('__')) throw new Error(`${where}: reserved label name ${name}`);
    if (Object.hasOwn(labels, name)) throw new Error(`${where}: label ${name} twice`);
    labels[name] = raw.replace(/\\(.)/g, (_e, next: string) => {
      if (next === '\\' || next === '"') return next;
      if (next === 'n') return '\n';
      throw new Error(`${where}: bad escape \\${next} in a label value`);
    });
    rest = rest.slice(all.length);
  }
  return labels;
}

function unescapeHelp(text: string, where: string): string {
  return text.replace(/\\(.?)/g, (_all, next: string) => {
    if (next === '\\') return '\\';
    if (next === 'n') return '\n';
    throw new Error(`${where}: bad escape in HELP`);
  });
}

/** Buckets per label set (without `le`): rising `le`, ending in +Inf, cumulative, +Inf = _count, _sum present. */
function checkHistogram(family: Family): void {
  const groups = new Map<string, { buckets: Array<{ le: number; value: number }>; count?: number; sum?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const group = groups.get(key) ?? { buckets: [] };
    groups.set(key, group);
    if (sample.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${family.name}: a bucket without le`);
      group.buckets.push({ le: parseValue(le, `${family.name} le`), value: sample.value });
    } else if (sample.name.endsWith('_count')) group.count = sample.value;
    else group.sum = sample.value;
  }
  for (const [key, group] of groups) {
    const where = `${family.name}${key}`;
    if (group.buckets.length === 0 || group.count === undefined || group.sum === undefined) throw new Error(`${where}: buckets, _sum and _count all needed`);
    for (let i = 1; i < group.buckets.length; i++) {
      if (!(group.buckets[i]!.le > group.buckets[i - 1]!.le)) throw new Error(`${where}: le does not rise`);
      if (group.buckets[i]!.value < group.buckets[i - 1]!.value) throw new Error(`${where}: buckets not cumulative`);
    }
    const last = group.buckets.at(-1)!;
    if (last.le !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
    if (last.value !== group.count) throw new Error(`${where}: +Inf bucket ${last.value} != _count ${group.count}`);
  }
}

/** The value of one series, or undefined; `labels` must match exactly the ones given (others ignored). */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) return sample.value;
    }
  }
  return undefined;
}

/** Scrapes a /metrics URL and parses it strictly; fails on a non-200 answer or a wrong content type. */
export async function scrape(url: string): Promise<Map<string, Family>> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain') || !type.includes('version=0.0.4')) throw new Error(`${url}: content type ${type}`);
  return parsePrometheusText(await response.text());
}
