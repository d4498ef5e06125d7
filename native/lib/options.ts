// One place that validates option values and throws TypeErrors naming the option, value and type.

export function optionError(name: string, expected: string, value: unknown): TypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new TypeError(`option "${name}" must be ${expected}, got ${shown} (${typeof value})`);
}

export function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw optionError(name, 'a non-empty string', value);
  return value;
}

export function checkInteger(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw optionError(name, min === 0 ? 'a non-negative integer' : `an integer >= ${min}`, value);
  }
  return value;
}

export function checkStringArray(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw optionError(name, 'an array of strings', value);
  }
  return value as string[];
}
