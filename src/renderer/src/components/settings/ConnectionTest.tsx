/**
 * "Test connection": tries the form's current settings (unsaved, with the secrets typed) and says
 * what happened, in a live region next to the button.
 */
import type { ConnectionProblem } from '../../../../shared/settings';
import type { ConnectionKind } from '../../store/settings-store';
import { useSettings } from './settings-context';

const PROBLEMS: Readonly<Record<ConnectionProblem, string>> = {
  invalid: 'Invalid settings',
  dns: 'Host not found',
  unreachable: 'Unreachable',
  refused: 'Connection refused',
  timeout: 'Timed out',
  'tls-required': 'TLS required',
  tls: 'TLS problem',
  authentication: 'Authentication failed',
  authorization: 'Not authorised',
  'database-missing': 'No such database',
  permissions: 'Missing permissions',
  topic: 'Topic problem',
  other: 'Failed',
};

export function ConnectionTest({
  kind,
  what,
}: {
  kind: ConnectionKind;
  /** "Kafka", "PostgreSQL": for the accessible description. */
  what: string;
}): React.JSX.Element {
  const test = useSettings((s) => s.tests[kind]);
  const testConnection = useSettings((s) => s.testConnection);
  const resultId = `connection-test-${kind}`;
  const { running, result, error } = test;
  return (
    <div className="connection-test" data-testid={`test-${kind}`}>
      <button
        type="button"
        className="button-secondary"
        disabled={running}
        aria-busy={running}
        aria-describedby={resultId}
        title={`Try the ${what} connection with the settings as they are in the form`}
        onClick={() => void testConnection(kind)}
      >
        {running ? 'Testing…' : 'Test connection'}
      </button>
      <div id={resultId} className="test-result" role="status" aria-live="polite">
        {running && <span className="muted">Connecting to {what}…</span>}
        {!running && result?.ok && (
          <span className="test-ok" data-result="ok">
            <span aria-hidden="true">✓ </span>
            <strong>Connected</strong> <span className="muted">({result.elapsedMs} ms)</span>
            {result.message && <span className="test-message">{result.message}</span>}
          </span>
        )}
        {!running && result && !result.ok && (
          <span className="test-bad" data-result="failed">
            <span aria-hidden="true">✗ </span>
            <strong>{result.problem ? PROBLEMS[result.problem] : 'Failed'}</strong>
            <span className="test-message">{result.message}</span>
          </span>
        )}
        {!running && error && (
          <span className="test-bad" data-result="error">
            <strong>Could not test</strong>
            <span className="test-message">{error}</span>
          </span>
        )}
      </div>
    </div>
  );
}
