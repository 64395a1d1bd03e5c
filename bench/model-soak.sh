#!/usr/bin/env bash
# Long run of the lifecycle model-based test: N random histories (default 200) on the real app and the sandbox.
# CI runs a few (SHOPIFYREFERRAL_MODEL_HISTORIES, default 6); this is the soak. A failure prints the shrunk history,
# its log and the seed; add the seed to LifecycleModelTests.Seeds so every later run replays it.
#   HISTORIES=500 bash bench/model-soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n=${HISTORIES:-200}
echo "lifecycle soak: $n random histories, load average $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
SHOPIFYREFERRAL_MODEL_HISTORIES=$n dotnet test tests/ShopifyReferral.Tests -c Release \
  --filter "FullyQualifiedName~LifecycleModelTests.RandomHistories" --logger "console;verbosity=normal"
echo "lifecycle soak: $n histories in $(( $(date +%s) - start )) s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
