/**
 * The Node StreamPulse needs (package.json's `engines`): @platformatic/kafka 2 runs on Node 24.6+
 * (or 22.22+), and Node 20 is past its end of life. Checked first by `npm start` and
 * `streampulse`, so an old Node gets one clear line instead of a failure deep in a Kafka call.
 */
export const MIN_NODE = [24, 6];

/** A message naming the fix when `version` ("24.21.0") is older than MIN_NODE; null when fine. */
export function nodeTooOld(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return null;
  return (
    `StreamPulse needs Node ${MIN_NODE.join('.')} or newer (Node 24 LTS); this is Node ${version}. ` +
    'Install Node 24 (e.g. `npm install -g node@24`, which gets it from the npm registry) and run it again.'
  );
}

/**
 * V8 flags for the `streampulse` process, also in bin/streampulse.mjs's first line (a test keeps
 * them equal). A small young generation for the main thread: on a machine with much memory V8
 * otherwise commits 64 MB of it, which the main thread (HTTP, IPC, coordination) never needs.
 */
export const NODE_FLAGS = ['--max-semi-space-size=8'];
