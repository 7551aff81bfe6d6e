#!/usr/bin/env bash
# Regenerates what is derived from the code, so it can never drift:
#   docs/policies.md                  <- --list-policies --format docs
#   README.md policy table            <- --list-policies --format markdown
#   README.md seed -> policy table    <- test/fixtures/**/*.fail.json
#
#   scripts/gen-docs.sh [--check] [BUILD_DIR]   (default build dir: build)
# With --check nothing is written; the script fails when a file is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
build=${1:-build}
bin="$build/pulumi-analyzer-policy-c"
if [ ! -x "$bin" ]; then
  cmake -S . -B "$build" >/dev/null && cmake --build "$build" -j"$(nproc)" --target pulumi-analyzer-policy-c >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" --list-policies --format docs >"$tmp/policies.md"
"$bin" --list-policies --format markdown >"$tmp/table.md"
python3 - "$tmp" <<'PY'
import glob, json, os, re, sys
tmp = sys.argv[1]
rows = []
extra = []
for path in sorted(glob.glob("test/fixtures/**/*.fail.json", recursive=True)):
    with open(path) as f:
        fx = json.load(f)
    seed = fx.get("seed", "")
    policies = []
    for e in fx.get("expect", []):
        if e.get("policy") not in policies:
            policies.append(e.get("policy"))
    twin = path[: -len(".fail.json")] + ".fixed.json"
    if not seed:
        extra.append(path)
        continue
    rows.append((seed, fx.get("title", ""), policies, path, twin))
def seed_key(r):
    m = re.match(r"(\d+)#(\d+)", r[0])
    return (0, int(m.group(1)), int(m.group(2))) if m else (1, 0, 0)
rows.sort(key=lambda r: (seed_key(r), r[3]))
out = ["| Seed failure | What goes wrong | Caught by | Fixture (failing / fixed) |", "|---|---|---|---|"]
for seed, title, pols, path, twin in rows:
    cell = lambda s: s.replace("|", "\\|").replace("\n", " ")
    out.append("| %s | %s | %s | [fail](%s) / [fixed](%s) |" % (
        cell(seed), cell(title), ", ".join("`%s`" % p for p in pols), path, twin))
if extra:
    dirs = sorted({os.path.dirname(p) for p in extra})
    out.append("")
    out.append("Beyond the seeds, %d more failing programs with fixed twins (realistic programs the seeds do not "
               "describe) live in %s." % (len(extra), ", ".join("`%s/`" % d for d in dirs)))
with open(os.path.join(tmp, "seeds.md"), "w") as f:
    f.write("\n".join(out) + "\n")
readme = open("README.md").read() if os.path.exists("README.md") else ""
def splice(text, name, body):
    b, e = "<!-- BEGIN GENERATED: %s -->" % name, "<!-- END GENERATED: %s -->" % name
    if b not in text or e not in text:
        return text
    pre, rest = text.split(b, 1)
    _, post = rest.split(e, 1)
    return pre + b + "\n" + body + e + post
readme = splice(readme, "policy-table", open(os.path.join(tmp, "table.md")).read())
readme = splice(readme, "seed-table", open(os.path.join(tmp, "seeds.md")).read())
with open(os.path.join(tmp, "README.md"), "w") as f:
    f.write(readme)
PY
if [ $check -eq 1 ]; then
  stale=0
  cmp -s "$tmp/policies.md" docs/policies.md || { echo "docs/policies.md is stale: run scripts/gen-docs.sh" >&2; stale=1; }
  cmp -s "$tmp/README.md" README.md || { echo "README.md generated tables are stale: run scripts/gen-docs.sh" >&2; stale=1; }
  exit $stale
fi
mkdir -p docs
cp "$tmp/policies.md" docs/policies.md
cp "$tmp/README.md" README.md
echo "regenerated docs/policies.md and README.md tables"
