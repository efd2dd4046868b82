/** Typed reads of a submitted form's fields, by their `name`. */
export class FormValues {
  readonly #data: FormData;

  constructor(data: FormData) {
    this.#data = data;
  }

  /** The field's text, '' when absent. Passwords must be read with this (never trimmed). */
  string(name: string): string {
    const value = this.#data.get(name);
    return typeof value === 'string' ? value : '';
  }

  /** The field's text without surrounding white space. */
  trimmed(name: string): string {
    return this.string(name).trim();
  }

  /** The field as a whole number, undefined when empty or not a number. */
  integer(name: string): number | undefined {
    const text = this.trimmed(name);
    if (!/^-?\d+$/.test(text)) return undefined;
    return Number(text);
  }
}
