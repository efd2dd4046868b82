import { useEffect, useState } from 'react';
import { Icon } from './Icon';

async function copyText(text: string): Promise<void> {
  // Undefined outside secure contexts (plain http to a host other than localhost).
  const clipboard = navigator.clipboard as Clipboard | undefined;
  if (clipboard) {
    await clipboard.writeText(text);
    return;
  }
  throw new Error('The clipboard is not available.');
}

/** Copies `text` to the clipboard and says so for two seconds ("Copied"). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => { setState('idle'); }, 2000);
    return () => { clearTimeout(timer); };
  }, [state]);

  return (
    <button
      type="button"
      className="btn btn--secondary"
      onClick={() => {
        copyText(text).then(
          () => { setState('copied'); },
          () => { setState('failed'); },
        );
      }}
    >
      <Icon name={state === 'copied' ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select and copy' : label}
      </span>
    </button>
  );
}
