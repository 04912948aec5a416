#!/usr/bin/env bash
# Runs every benchmark and writes bench/RESULTS.md. Usage: bench/run.sh [--quick]
# Needs what .ci/run installs (JDK 17, Maven, Node/npm, python3-faiss); loopback traffic only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

mvn -B -q -ntp install -DskipTests
# The fault figures (S3 faults during index load and reload, faq-batch killed mid-run) come from their
# tests, which write them under shared/target; the report includes them.
mvn -B -q -ntp verify -pl shared -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='IndexFaultsIT,FaqBatchKillIT' -Dfailsafe.failIfNoSpecifiedTests=false
mvn -B -q -ntp -f bench/baseline-hello/pom.xml package -DskipTests
(cd bench/portkey && npm ci --no-audit --no-fund --loglevel=error)
/usr/bin/python3 -c 'import faiss, numpy' || { echo "python3-faiss is missing: apt-get install python3-faiss" >&2; exit 1; }

exec java -Xmx12g --add-modules jdk.incubator.vector -Djingnei.root="$ROOT" -Ds3proxy.jar="$ROOT/shared/target/test-tools/s3proxy.jar" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.jingnei.bench.BenchMain "$@"
