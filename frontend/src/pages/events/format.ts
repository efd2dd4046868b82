/** The first of `texts` that is not empty (messages and names may be sent blank). */
export function firstText(...texts: (string | undefined)[]): string | undefined {
  return texts.find((text) => text !== undefined && text !== '');
}

/** A duration in milliseconds as people read it: "0.42 ms", "125 ms", "1.25 s", "2.5 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${String(Math.round(ms * 10) / 10)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** An interval in seconds in words: "30 s", "5 min", "1 h", "1 h 30 min", "2 days". */
export function formatInterval(seconds: number): string {
  if (seconds < 60) return `${String(seconds)} s`;
  if (seconds < 3600) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return rest ? `${String(minutes)} min ${String(rest)} s` : `${String(minutes)} min`;
  }
  if (seconds < 86_400) {
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.round((seconds % 3600) / 60);
    return minutes ? `${String(hours)} h ${String(minutes)} min` : `${String(hours)} h`;
  }
  const days = Math.round((seconds / 86_400) * 10) / 10;
  return `${String(days)} ${days === 1 ? 'day' : 'days'}`;
}
