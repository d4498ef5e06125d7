// One place that validates option values and throws TypeErrors naming the option, value and type.

export function optionError(name: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new TypeError(`option "${name}" must be ${expected}, got ${shown} (${typeof value})`);
}

export function checkInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw optionError(name, min === 0 ? 'a non-negative integer' : `an integer >= ${min}`, value);
  }
  return value;
}

const isBytes = (value: unknown): value is string | Buffer => typeof value === 'string' || Buffer.isBuffer(value);

/** A non-empty string or Buffer (a path the kernel gets as it is). */
export function checkBytes(name: string, value: unknown): string | Buffer {
  if (!isBytes(value) || value.length === 0) throw optionError(name, 'a non-empty string or Buffer', value);
  return value;
}

export function checkBytesArray(name: string, value: unknown): Array<string | Buffer> {
  if (!Array.isArray(value) || !value.every(isBytes)) throw optionError(name, 'an array of strings or Buffers', value);
  return value as Array<string | Buffer>;
}
