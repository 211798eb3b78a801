#!/usr/bin/env bash
# Builds the bench module and runs it: ./bench/run.sh [writer|fold|projection|publish|latency] [--quick] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "bench: building (Maven) ..." >&2
./mvnw -B -q -pl bench -am package -DskipTests -Dmaven.javadoc.skip=true \
  dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime
tty=false; [ -t 2 ] && tty=true
exec "$JAVA" ${BENCH_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -Dquorum.tty=$tty -Xms2g -Xmx8g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.quorum.bench.Main "$@"
