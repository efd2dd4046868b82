type Validatable = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export function isValidatable(element: Element): element is Validatable {
  return (
    element instanceof HTMLInputElement ||
    element instanceof HTMLSelectElement ||
    element instanceof HTMLTextAreaElement
  );
}

/**
 * Our own words for a browser constraint failure (required, minlength, type=email...), so that
 * the form shows them inline like the API's field errors, in one style and one language.
 */
export function validityMessage(element: Validatable): string | undefined {
  const { validity } = element;
  if (validity.valid) return undefined;
  if (validity.valueMissing) return 'This field is required.';
  if (validity.typeMismatch && element.type === 'email') return 'Enter an e-mail address, like name@example.com.';
  if (validity.tooShort && 'minLength' in element) {
    return `Use at least ${String(element.minLength)} characters.`;
  }
  if (validity.tooLong && 'maxLength' in element) {
    return `Use at most ${String(element.maxLength)} characters.`;
  }
  if (validity.rangeUnderflow || validity.rangeOverflow) {
    const input = element as HTMLInputElement;
    return `Enter a number from ${input.min} to ${input.max}.`;
  }
  if (validity.patternMismatch) return element.title || 'This value is not in the expected format.';
  return element.validationMessage || 'This value is not valid.';
}
