#!/usr/bin/env bash
# The full chaos run of issue 11: 100,000 events over 1,000 incidents through the gateway and a direct
# producer, seven writer SIGKILLs, the gateway and the projection SIGKILLed once, the broker and
# PostgreSQL down for 12 s each, OC000 on 15 % of commits and OC001 on the first migrations.
# Its result is written to chaos/results/<date>-full.md. Then the two-region case (TwoRegionIT, full size):
# a storm through two regions' gateways, region B down whole for 30 s, both regions' views checked.
#
#   chaos/run.sh                 # the default seed
#   chaos/run.sh 42              # another seed; the same seed replays a run
set -euo pipefail
cd "$(dirname "$0")/.."
seed="${1:-}"
exec ./mvnw -B -pl chaos -am verify -Pchaos-full ${seed:+-Dchaos.seed=$seed} \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ChaosIT,TwoRegionIT -Dit.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
