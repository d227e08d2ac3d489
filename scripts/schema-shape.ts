/**
 * Renders a zod schema as a compact, TypeScript-like shape for the docs.
 *
 * The docs list what each call and endpoint takes and returns; a reader of any language
 * wants the fields, their types and their limits, not JSON Schema's nesting. So the
 * schema goes through zod's own `z.toJSONSchema` (the same rules the parser applies)
 * and comes out as `{ name: string; // /^…$/ }` lines, with well-known types (those in
 * `named`) printed once by name instead of in full wherever they appear.
 */
import { z } from 'zod';

type Json = Record<string, unknown>;

/** The shared types the docs print by name: each is shown once, in its own section. */
export interface NamedTypes {
  registry: z.core.$ZodRegistry<{ id: string }>;
  ids: ReadonlySet<string>;
}

/** Builds the registry of named types from `{ id: schema }`. */
export function namedTypes(types: Record<string, z.ZodType>): NamedTypes {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(types)) registry.add(schema, { id });
  return { registry, ids: new Set(Object.keys(types)) };
}

/** A rendered shape and the named types it refers to (for links beside the code block). */
export interface Shape {
  text: string;
  uses: string[];
}

/** What a call's input looks like when it may be left out (`z.void()`, `.optional()`). */
export function acceptsNothing(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/**
 * The shape of `schema` as it is parsed (`io: 'input'`: defaults make a field optional)
 * or as it is produced (`io: 'output'`).
 */
export function shapeOf(schema: z.ZodType, io: 'input' | 'output', named?: NamedTypes, self?: string): Shape {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    ...(named ? { metadata: named.registry } : {}),
  }) as Json;
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  const writer = new ShapeWriter(defs, named, self);
  const text = writer.type(json, 0);
  return { text, uses: [...writer.uses] };
}

/** Walks one JSON Schema and writes its shape. */
/** JSON Schema's scalar types as TypeScript writes them. */
const PRIMITIVES: Record<string, string> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', null: 'null' };

class ShapeWriter {
  readonly uses = new Set<string>();

  constructor(
    private readonly defs: Record<string, Json>,
    private readonly named: NamedTypes | undefined,
    /** The named type being defined: its own root is written out, not referred to. */
    private readonly self: string | undefined,
  ) {}

  type(schema: Json, depth: number): string {
    if (typeof schema.$ref === 'string') return this.ref(schema.$ref, depth);
    if (schema.const !== undefined) return JSON.stringify(schema.const);
    if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
    if (union) return union.map((member) => this.type(member, depth)).join(' | ');
    if (Array.isArray(schema.type)) return schema.type.map((t) => this.type({ ...schema, type: t }, depth)).join(' | ');
    const primitive = PRIMITIVES[String(schema.type)];
    if (primitive) return primitive;
    if (schema.type === 'array') {
      const items = this.type((schema.items ?? {}) as Json, depth);
      return /[|{ ]/.test(items) ? `Array<${items}>` : `${items}[]`;
    }
    return schema.type === 'object' ? this.object(schema, depth) : 'unknown';
  }

  private ref(ref: string, depth: number): string {
    const id = ref.replace(/^#\/\$defs\//, '');
    const def = this.defs[id];
    if (ref === '#' && this.self) return this.self;
    if (!def) return 'unknown';
    if (isJsonValue(def, ref)) return 'JSON';
    if (id === this.self) return this.type(def, depth);
    if (this.named?.ids.has(id)) {
      this.uses.add(id);
      return id;
    }
    return this.type(def, depth);
  }

  private object(schema: Json, depth: number): string {
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    const required = new Set((schema.required ?? []) as string[]);
    const keys = Object.keys(properties);
    const extra = schema.additionalProperties;
    if (keys.length === 0) {
      if (extra && typeof extra === 'object') {
        const keyType = schema.propertyNames ? this.type(schema.propertyNames as Json, depth) : 'string';
        return `Record<${keyType}, ${this.type(extra as Json, depth)}>`;
      }
      return extra === false ? '{}' : 'Record<string, unknown>';
    }
    const pad = '  '.repeat(depth + 1);
    const lines = keys.map((key) => {
      const property = properties[key]!;
      const note = notes(property);
      const optional = required.has(key) ? '' : '?';
      return `${pad}${key}${optional}: ${this.type(property, depth + 1)};${note ? ` // ${note}` : ''}`;
    });
    return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
  }
}

/** The limits and default of one value, in a few words (nothing for a plain type). */
export function notes(schema: Json): string {
  const out: string[] = [];
  // `x.nullable()` and other unions: the limits of the members that have any.
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union) out.push(...union.map(notes).filter((note) => note !== ''));
  if (typeof schema.pattern === 'string') out.push(`/${schema.pattern}/`);
  else out.push(...lengthNotes(schema));
  if (schema.type === 'integer') out.push('integer');
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? `> ${String(schema.exclusiveMinimum)}` : undefined);
  out.push(...rangeNotes(low, schema.maximum === Number.MAX_SAFE_INTEGER ? undefined : schema.maximum, ''));
  out.push(...rangeNotes(schema.minItems, schema.maxItems, ' items'));
  if (schema.type === 'array' && schema.items && typeof schema.items === 'object') {
    const inner = notes(schema.items as Json);
    if (inner) out.push(`each ${inner}`);
  }
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`);
  return out.join(', ').replace('≥ > ', '> ');
}

/** A string's length limits: "non-empty" for the common `min(1)`, else a range. */
function lengthNotes(schema: Json): string[] {
  if (schema.minLength === 1 && schema.maxLength === undefined) return ['non-empty'];
  return rangeNotes(schema.minLength, schema.maxLength, ' chars');
}

function rangeNotes(low: unknown, high: unknown, unit: string): string[] {
  if (low !== undefined && high !== undefined) return [`${String(low)}–${String(high)}${unit}`];
  if (low !== undefined) return [`≥ ${String(low)}${unit}`];
  if (high !== undefined) return [`≤ ${String(high)}${unit}`];
  return [];
}

/** `z.json()`: any JSON value, written out recursively by zod; the docs say `JSON`. */
function isJsonValue(def: Json, ref: string): boolean {
  const members = def.anyOf as Json[] | undefined;
  if (!members || members.length !== 6) return false;
  const types = members.map((m) => m.type).sort().join(',');
  return types === 'array,boolean,null,number,object,string' && JSON.stringify(def).includes(`"${ref}"`);
}
