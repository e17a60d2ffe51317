/**
 * The run-time check at every context boundary: a schema parses an unknown value into a fresh
 * object of its type (unknown keys dropped, so nothing a page adds is spread into stored state),
 * or throws SchemaError naming the first offending path. Types protect nothing at run time; a
 * content script and the relay frame live in pages the extension does not control.
 */
export class SchemaError extends Error {
  override name = 'SchemaError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || 'value'}: ${problem}`);
  }
}

export interface Schema<T> {
  parse(value: unknown, path?: string): T;
  /** Marks an object key as optional (absent or undefined). */
  readonly optional?: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  return typeof value;
}

export function str(options: { min?: number; max: number; pattern?: RegExp }): Schema<string> {
  const { min = 0, max, pattern } = options;
  return {
    parse(value, path = '') {
      if (typeof value !== 'string') throw new SchemaError(path, `expected a string, got ${describe(value)}`);
      if (value.length < min || value.length > max)
        throw new SchemaError(path, `length ${value.length} is outside ${min}..${max}`);
      if (pattern && !pattern.test(value)) throw new SchemaError(path, `does not match ${String(pattern)}`);
      return value;
    },
  };
}

export function num(options: { min?: number; max?: number; int?: boolean } = {}): Schema<number> {
  const { min = -Infinity, max = Infinity, int = false } = options;
  return {
    parse(value, path = '') {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new SchemaError(path, `expected a finite number, got ${describe(value)}`);
      if (int && !Number.isInteger(value)) throw new SchemaError(path, `${value} is not an integer`);
      if (value < min || value > max) throw new SchemaError(path, `${value} is outside ${min}..${max}`);
      return value;
    },
  };
}

export const bool: Schema<boolean> = {
  parse(value, path = '') {
    if (typeof value !== 'boolean') throw new SchemaError(path, `expected a boolean, got ${describe(value)}`);
    return value;
  },
};

export function oneOf<const T extends readonly (string | number | boolean)[]>(values: T): Schema<T[number]> {
  return {
    parse(value, path = '') {
      if (!values.includes(value as T[number]))
        throw new SchemaError(path, `expected one of ${values.join(', ')}`);
      return value as T[number];
    },
  };
}

export function arr<T>(item: Schema<T>, options: { min?: number; max: number }): Schema<T[]> {
  const { min = 0, max } = options;
  return {
    parse(value, path = '') {
      if (!Array.isArray(value)) throw new SchemaError(path, `expected an array, got ${describe(value)}`);
      if (value.length < min || value.length > max)
        throw new SchemaError(path, `${value.length} items, outside ${min}..${max}`);
      return value.map((x, i) => item.parse(x, `${path}[${i}]`));
    },
  };
}

export function optional<T>(schema: Schema<T>): Schema<T | undefined> {
  return {
    optional: true,
    parse: (value, path = '') => (value === undefined ? undefined : schema.parse(value, path)),
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K]['optional'] extends true ? K : never }[keyof S];
type ObjectOf<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

/** An object of exactly these keys; unknown keys are dropped, absent optional keys stay absent. */
export function obj<S extends Shape>(shape: S): Schema<{ [K in keyof ObjectOf<S>]: ObjectOf<S>[K] }> {
  return {
    parse(value, path = '') {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new SchemaError(path, `expected an object, got ${describe(value)}`);
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(shape)) {
        const field = (value as Record<string, unknown>)[key];
        const parsed = schema.parse(field, path ? `${path}.${key}` : key);
        if (parsed !== undefined) out[key] = parsed;
      }
      return out as { [K in keyof ObjectOf<S>]: ObjectOf<S>[K] };
    },
  };
}
