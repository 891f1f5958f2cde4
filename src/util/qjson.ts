/** JSON as QEMU writes it (qobject/qjson.c): `{"key": value, "other": [1, 2]}`. */
export function qjson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(qjson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${qjson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
