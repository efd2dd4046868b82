export function Loading({ children }: { children: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      {children}
    </p>
  );
}
