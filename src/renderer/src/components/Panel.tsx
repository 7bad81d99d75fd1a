/** A panel: a titled section of the grid, with optional header actions and loading/empty states. */
import { useId, type ReactNode } from 'react';

export function Panel({
  title,
  subtitle,
  actions,
  className,
  busy = false,
  error,
  testId,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  className?: string;
  busy?: boolean;
  error?: string | undefined;
  testId?: string;
  children: ReactNode;
}): React.JSX.Element {
  const id = useId();
  return (
    <section
      className={`panel ${className ?? ''}`}
      aria-labelledby={id}
      aria-busy={busy}
      data-panel={testId}
    >
      <header className="panel-head">
        <div>
          <h2 id={id}>{title}</h2>
          {subtitle && <p className="panel-subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="panel-actions">{actions}</div>}
      </header>
      {error && (
        <p className="panel-error" role="status">
          Could not load: {error}
        </p>
      )}
      {children}
    </section>
  );
}

/** Grey placeholder lines while a panel's first answer is on its way. */
export function Skeleton({ lines = 3, height }: { lines?: number; height?: number }) {
  return (
    <div className="skeleton" style={height ? { height } : undefined}>
      {Array.from({ length: height ? 0 : lines }, (_, i) => (
        <span
          key={i}
          aria-hidden="true"
          className="skeleton-line"
          style={{ width: `${90 - i * 15}%` }}
        />
      ))}
      <span className="sr-only">Loading…</span>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }): React.JSX.Element {
  return <p className="empty">{children}</p>;
}
