#!/usr/bin/env bash
# Builds the bench module and runs it: ./bench/run.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl bench -am install -DskipTests
cp=$(./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
exec java --enable-native-access=ALL-UNNAMED -cp "bench/target/classes:$cp" dev.quorum.bench.Main "$@"
