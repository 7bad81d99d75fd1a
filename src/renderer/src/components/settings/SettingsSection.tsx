/** A section of the settings page: a titled panel (a landmark region named by its title). */
import { useId, type ReactNode } from 'react';

export function SettingsSection({
  title,
  subtitle,
  name,
  className,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  /** data-section, for tests. */
  name: string;
  className?: string;
  children: ReactNode;
}): React.JSX.Element {
  const id = useId();
  return (
    <section
      className={`panel settings-section ${className ?? ''}`}
      aria-labelledby={id}
      data-section={name}
    >
      <header className="panel-head">
        <div>
          <h3 id={id} className="section-title">
            {title}
          </h3>
          {subtitle && <p className="panel-subtitle">{subtitle}</p>}
        </div>
      </header>
      {children}
    </section>
  );
}
