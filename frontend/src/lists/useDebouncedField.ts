import { useEffect, useEffectEvent, useState } from 'react';

/**
 * A text box bound to a URL search parameter: what the user types is committed (`commit`) once
 * they pause for `delayMs`, and the box follows the URL when it changes otherwise (a tab, a link,
 * back/forward). Surrounding spaces are not worth a navigation.
 */
export function useDebouncedField(
  urlValue: string | undefined,
  commit: (value: string | undefined) => void,
  delayMs = 300,
): [string, (text: string) => void] {
  const [text, setText] = useState(urlValue ?? '');
  const [shown, setShown] = useState(urlValue);
  if (shown !== urlValue) {
    setShown(urlValue);
    if (text.trim() !== (urlValue ?? '')) setText(urlValue ?? '');
  }
  const onCommit = useEffectEvent((value: string | undefined) => {
    commit(value);
  });
  useEffect(() => {
    const value = text.trim() || undefined;
    if (value === urlValue) return undefined;
    const timer = setTimeout(() => { onCommit(value); }, delayMs);
    return () => { clearTimeout(timer); };
  }, [text, urlValue, delayMs]);
  return [text, setText];
}
