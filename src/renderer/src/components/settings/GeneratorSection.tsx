/** The generator's defaults: its rate, seed and outcome mix when the pipeline starts. */
import { memo } from 'react';
import { FieldNotes, NumberField, TextField, useFieldMeta } from './fields';
import { SettingsSection } from './SettingsSection';

export const GeneratorSection = memo(function GeneratorSection(): React.JSX.Element {
  // failed + slow over 100 %: an error of the pair, shown under both.
  const mix = useFieldMeta('generator.outcomeMix');
  return (
    <SettingsSection
      title="Generator defaults"
      name="generator"
      subtitle="At start; the dashboard’s controls change them while running"
    >
      <NumberField path="generator.ratePerSecond" label="Event rate" />
      <TextField path="generator.seed" label="Seed" />
      <div className="field-row">
        <NumberField path="generator.outcomeMix.failed" label="Failed" />
        <NumberField path="generator.outcomeMix.slow" label="Slow" />
      </div>
      <div id={mix.id} tabIndex={-1}>
        <FieldNotes meta={mix} />
      </div>
    </SettingsSection>
  );
});
