/**
 * Reads an optional text search parameter. The router parses `?q=42` as the number 42 and
 * `?q=true` as a boolean, so those are turned back into text; anything else (objects, empty
 * text) is dropped.
 */
export function optionalString(search: Record<string, unknown>, key: string): string | undefined {
  const value = search[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
