/**
 * A panel: a titled section of the grid, with optional header actions, and its body by the state
 * of its data (PanelItems): loading, empty, or the list.
 */
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

/**
 * A panel's body by the state of its list: grey placeholder lines while the first answer is on its
 * way (null), the empty message when it has nothing, else the content made from the items.
 */
export function PanelItems<T>({
  items,
  loading,
  empty,
  children,
}: {
  items: readonly T[] | null;
  /** The placeholder's shape: lines of text, or a block of a chart's height. */
  loading: { lines?: number; height?: number };
  empty: ReactNode;
  children: (items: readonly T[]) => ReactNode;
}): React.JSX.Element {
  if (items === null) return <Skeleton {...loading} />;
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return <>{children(items)}</>;
}
