#!/usr/bin/env bash
# bench/e2e/run.sh BUILD_DIR OUT.json [N] - preview an N-resource program (default 10,000) through
# Pulumi's real engine with no pack, our pack, our pack with only the ten like-for-like policies,
# and the like-for-like Node pack. Called by bench/run.sh; needs the analyzer built in BUILD_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1 out=$2 n=${3:-10000}
export GOTOOLCHAIN=local
(cd "$here" && go build -o "$build/e2ebench" .)
like10=lambda-runtime-supported,lambda-xray-tracing-active,iam-no-wildcard-actions,iam-no-wildcard-resources,dynamodb-sse-explicitly-enabled,s3-bucket-name-valid,security-group-no-public-ingress,cloudwatch-alarm-actions-valid,aws-provider-region-valid,no-stringified-pulumi-outputs
"$build/e2ebench" -analyzer "$build/pulumi-analyzer-policy-c" -pack-yaml "$here/../../PulumiPolicy.yaml" \
	-node-pack "$here/../node/like" -like-policies "$like10" -floor "$build/floor/floor" \
	-n "$n" -runs "${E2E_RUNS:-1}" -out "$out"
