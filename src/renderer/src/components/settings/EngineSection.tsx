/**
 * The engine: which one (built-in, or a job on an Apache Flink cluster, with its REST address,
 * parallelism and checkpoint interval), window size, out-of-orderness and allowed lateness (in
 * seconds here, ms in the settings), and the alert rules as a table (cards on narrow screens),
 * with Add and Remove.
 */
import { memo } from 'react';
import { isRateMetric, type RuleField } from '../../store/settings-store';
import { ariaProps, FieldNotes, NumberField, RadioField, TextField, useFieldMeta } from './fields';
import { useSettings } from './settings-context';
import { SettingsSection } from './SettingsSection';

export const EngineSection = memo(function EngineSection(): React.JSX.Element {
  const kind = useSettings((s) => s.form?.engine.kind);
  const backend = useSettings((s) => s.form?.log.backend);
  return (
    <SettingsSection
      title="Engine"
      name="engine"
      subtitle="Event-time windows, watermarks and alerts"
      className="span-all"
    >
      <RadioField
        path="engine.kind"
        label="Engine"
        options={[
          ['builtin', 'Built-in (in this app)'],
          ['flink', 'Apache Flink (a job on your cluster)'],
        ]}
      />
      <fieldset className="subsection" aria-describedby="flink-used-when">
        <legend>Apache Flink</legend>
        <p className="field-hint" id="flink-used-when">
          {kind === 'flink'
            ? backend === 'kafka'
              ? 'The cluster the job runs on. Switching stops the running engine without losing or doubling an event.'
              : 'The Flink engine reads the events from Kafka: set the event log to Apache Kafka.'
            : 'Used when the engine is Apache Flink.'}
        </p>
        <TextField
          path="engine.flink.restUrl"
          label="JobManager REST URL"
          type="url"
          placeholder="http://127.0.0.1:8081"
        />
        <div className="field-row">
          <NumberField path="engine.flink.parallelism" label="Parallelism" step={1} />
          <NumberField path="engine.flink.checkpointIntervalMs" label="Checkpoint interval" />
        </div>
      </fieldset>
      <div className="field-row field-row-3">
        <NumberField path="engine.windowSizeMs" label="Window size" />
        <NumberField path="engine.outOfOrdernessMs" label="Out-of-orderness" />
        <NumberField path="engine.allowedLatenessMs" label="Allowed lateness" />
        <NumberField path="engine.maxFutureMs" label="Future bound" />
      </div>
      <AlertRules />
    </SettingsSection>
  );
});

const COLUMNS: ReadonlyArray<readonly [RuleField, string]> = [
  ['type', 'Type'],
  ['metric', 'Metric'],
  ['direction', 'Direction'],
  ['threshold', 'Threshold'],
  ['criticalThreshold', 'Critical threshold'],
  ['consecutiveWindows', 'Consecutive windows'],
  ['minEvents', 'Min events'],
];

function AlertRules(): React.JSX.Element {
  const count = useSettings((s) => s.form?.engine.alertRules.length ?? 0);
  const addRule = useSettings((s) => s.addRule);
  const meta = useFieldMeta('engine.alertRules');
  return (
    <div className="rules-block" id={meta.id} tabIndex={-1}>
      <h4 className="subheading" id="alert-rules-title">
        Alert rules
      </h4>
      {count === 0 ? (
        <p className="empty">No alert rules: no alerts will be raised. Add one below.</p>
      ) : (
        <table className="rules" aria-labelledby="alert-rules-title">
          <thead>
            <tr>
              {COLUMNS.map(([key, label]) => (
                <th key={key} scope="col">
                  {label}
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: count }, (_, i) => (
              <RuleRow key={i} index={i} />
            ))}
          </tbody>
        </table>
      )}
      <FieldNotes meta={meta} />
      <div className="buttons">
        <button type="button" className="button-secondary" onClick={addRule}>
          Add rule
        </button>
      </div>
    </div>
  );
}

function RuleRow({ index }: { index: number }): React.JSX.Element | null {
  const rule = useSettings((s) => s.form?.engine.alertRules[index]);
  const removeRule = useSettings((s) => s.removeRule);
  if (!rule) return null;
  const name = `Rule ${index + 1}`;
  const rate = isRateMetric(rule.metric);
  return (
    <tr data-rule={rule.id}>
      <RuleCell index={index} field="type" label="Type">
        {(props) => <input type="text" spellCheck={false} {...props} />}
      </RuleCell>
      <RuleCell index={index} field="metric" label="Metric">
        {(props) => (
          <select {...props}>
            <option value="errorRate">error rate</option>
            <option value="slowRate">slow rate</option>
            <option value="downloads">downloads</option>
          </select>
        )}
      </RuleCell>
      <RuleCell index={index} field="direction" label="Direction">
        {(props) => (
          <select {...props}>
            <option value="above">above</option>
            <option value="below">below</option>
          </select>
        )}
      </RuleCell>
      <RuleCell index={index} field="threshold" label="Threshold" unit={rate ? '%' : 'downloads'}>
        {(props) => <input type="number" inputMode="decimal" min={0} step="any" {...props} />}
      </RuleCell>
      <RuleCell
        index={index}
        field="criticalThreshold"
        label="Critical threshold"
        unit={rate ? '%' : 'downloads'}
      >
        {(props) => (
          <input type="number" inputMode="decimal" min={0} step="any" placeholder="—" {...props} />
        )}
      </RuleCell>
      <RuleCell index={index} field="consecutiveWindows" label="Consecutive windows">
        {(props) => <input type="number" inputMode="numeric" min={1} step={1} {...props} />}
      </RuleCell>
      <RuleCell index={index} field="minEvents" label="Min events">
        {(props) => <input type="number" inputMode="numeric" min={0} step={1} {...props} />}
      </RuleCell>
      <td className="rule-remove">
        <button
          type="button"
          className="button-small"
          aria-label={`Remove ${name.toLowerCase()} (${rule.type || 'no type'})`}
          onClick={() => removeRule(index)}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

interface CellInputProps {
  id: string;
  value: string;
  'aria-label': string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
  disabled: boolean;
  onChange: (event: { target: { value: string } }) => void;
}

function RuleCell({
  index,
  field,
  label,
  unit,
  children,
}: {
  index: number;
  field: RuleField;
  label: string;
  unit?: string;
  children: (props: CellInputProps) => React.JSX.Element;
}): React.JSX.Element {
  const path = `engine.alertRules.${index}.${field}`;
  const meta = useFieldMeta(path);
  const value = useSettings((s) => s.form?.engine.alertRules[index]?.[field] ?? '');
  const setField = useSettings((s) => s.setField);
  return (
    <td data-label={unit ? `${label} (${unit})` : label}>
      <span className="with-unit">
        {children({
          id: meta.id,
          value,
          'aria-label': `Rule ${index + 1} ${label.toLowerCase()}${unit ? ` (${unit})` : ''}`,
          disabled: meta.overridden,
          onChange: (event) => setField(path, event.target.value),
          ...ariaProps(meta, false),
        })}
        {unit === '%' && (
          <span className="unit" aria-hidden="true">
            %
          </span>
        )}
      </span>
      <FieldNotes meta={meta} />
    </td>
  );
}
