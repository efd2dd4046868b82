import { useEffect, useState } from 'react';

function plural(n: number, word: string): string {
  return `${String(n)} ${word}${n === 1 ? '' : 's'}`;
}

/** "Try again in 42 seconds", counting down; "You can try again now." at zero. */
export function RetryAfter({ seconds, onDone }: { seconds: number; onDone?: () => void }) {
  const [until] = useState(() => Date.now() + seconds * 1000);
  const [left, setLeft] = useState(seconds);

  useEffect(() => {
    const timer = setInterval(() => {
      const remaining = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) {
        clearInterval(timer);
        onDone?.();
      }
    }, 1000);
    return () => { clearInterval(timer); };
  }, [until, onDone]);

  if (left === 0) return <span>You can try again now.</span>;
  const text = left >= 90 ? plural(Math.ceil(left / 60), 'minute') : plural(left, 'second');
  return <span>Too many attempts: try again in {text}.</span>;
}
