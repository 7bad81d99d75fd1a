#!/usr/bin/env bash
# Runs the job in-process on a local MiniCluster (no Flink cluster needed), for development and tests.
#   flink/job/run-local.sh CONFIG.json        (the JSON config; base64-encoded here)
#   flink/job/run-local.sh --config BASE64    (as the app passes it)
# Build first: npm run flink:build (or mvn -q -f flink/job/pom.xml package).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/streampulse-flink-job.jar"
cp_file="$here/target/classpath.txt"
if [[ ! -f "$jar" || ! -f "$cp_file" ]]; then
  echo "run-local.sh: build first (mvn -q -f flink/job/pom.xml package)" >&2
  exit 2
fi
if [[ "${1:-}" == "--config" ]]; then
  config="${2:?--config needs a value}"
else
  config="$(base64 -w0 < "${1:?usage: run-local.sh CONFIG.json | --config BASE64}")"
fi
# The flags Flink's own scripts pass on Java 17.
opens=()
for p in java.lang java.net java.io java.nio sun.nio.ch java.lang.reflect java.text java.time java.util \
  java.util.concurrent java.util.concurrent.atomic java.util.concurrent.locks; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
log4j="${STREAMPULSE_FLINK_LOG4J:-$here/src/main/local/log4j2-local.properties}"
exec java ${STREAMPULSE_FLINK_JAVA_OPTS:-} "${opens[@]}" \
  -Dlog4j.configurationFile="$log4j" \
  -cp "$jar:$(cat "$cp_file")" com.streampulse.flink.StreamPulseJob --config "$config"
