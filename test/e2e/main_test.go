// End-to-end tests: the C policy pack driven by Pulumi's real engine (pkg/v3/engine +
// pkg/host), with in-process programs and an in-process "aws" provider.
//
// Run: scripts/e2e.sh, or (cd test/e2e && GOTOOLCHAIN=local go test -count=1 ./...) with the
// analyzer built in build/ (or PC_BUILD_DIR / PC_ANALYZER pointing at it).
package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/aws-guard-c/e2e/programs"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

var (
	layout *harness.Layout
	pack   *harness.PackInfo
)

// packName is the pack's name as GetAnalyzerInfo reports it.
const packName = "aws-guard-c"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bin, err := harness.FindAnalyzer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	base, err := os.MkdirTemp("", "e2e-pack-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(base)
	if layout, err = harness.Prepare(base, bin); err == nil {
		err = layout.Env()
	}
	if err == nil {
		pack, err = harness.ListPolicies(bin)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	if lp := harness.LanguagePluginOnPath(); lp != "" {
		fmt.Fprintf(os.Stderr, "e2e: note: %s is on PATH, pack-dir launches go through RunPlugin\n", lp)
	}
	fmt.Fprintf(os.Stderr, "e2e: analyzer %s (%s v%s, %d policies)\n", bin, pack.Name, pack.Version, len(pack.Policies))
	return m.Run()
}

// packsFor returns the system's --policy-pack (exe path or pack dir) with its
// --policy-pack-config, if it has one.
func packsFor(t *testing.T, s *programs.System, exe bool) []engine.LocalPolicyPack {
	t.Helper()
	cfg := ""
	if s.PackConfig != "" {
		cfg = filepath.Join(t.TempDir(), "policy-config.json")
		if err := os.WriteFile(cfg, []byte(s.PackConfig), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if exe {
		return layout.ExePack(cfg)
	}
	return layout.DirPack(cfg)
}

// op runs one engine operation for a system variant.
func op(t *testing.T, s *programs.System, fixed, dryRun bool, packs []engine.LocalPolicyPack,
	base *deploy.Snapshot, prov *harness.FakeAWS,
) *harness.Result {
	t.Helper()
	res := harness.Run(harness.Op{
		Program: s.Program(fixed), DryRun: dryRun, Packs: packs,
		Project: s.Project, Stack: s.Stack, Org: "acme", Config: s.Config,
		Tags:           map[string]string{"team": "platform"},
		Base:           base,
		AnalyzerBinary: layout.Binary,
		Provider:       prov,
	})
	kind := "preview"
	if !dryRun {
		kind = "up"
	}
	t.Logf("%s %s/%s (fixed=%v): %v, %d violations (%d mandatory), err=%v",
		kind, s.Project, s.Stack, fixed, res.Duration.Round(time.Millisecond), len(res.Violations),
		len(res.Mandatory()), res.Err)
	checkShutdown(t, res)
	return res
}

// checkShutdown asserts every analyzer process the engine started was gone after the
// engine's shutdown (Cancel, SIGINT) and within the 5 s grace period, i.e. it exited on its
// own rather than being SIGKILLed. It logs the measured time.
func checkShutdown(t *testing.T, res *harness.Result) {
	t.Helper()
	if len(res.Analyzers) == 0 && res.Loads > 0 && res.Err == nil {
		t.Errorf("no analyzer process was observed although %d pack(s) loaded", res.Loads)
	}
	for _, p := range res.Analyzers {
		switch {
		case p.StillRunning:
			t.Errorf("analyzer pid %d still running after the engine shut it down", p.PID)
		case p.ShutdownStart.IsZero():
			t.Errorf("analyzer pid %d exited before the engine shut it down (crash?)", p.PID)
		default:
			t.Logf("analyzer pid %d exited %v after shutdown began (Cancel RPC + SIGINT)", p.PID,
				p.ExitAfter.Round(100*time.Microsecond))
			if p.ExitAfter >= 5*time.Second {
				t.Errorf("analyzer pid %d took %v to exit: it ignored SIGINT and was killed", p.PID, p.ExitAfter)
			}
		}
	}
	for _, d := range res.Diags {
		if strings.Contains(d.Message, "exited prematurely") {
			t.Errorf("engine reports: %s", d.Message)
		}
	}
}

// mandatoryByResource groups the mandatory violations: resource name -> policy -> message.
func mandatoryByResource(res *harness.Result) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, v := range res.Mandatory() {
		n := v.Name()
		if out[n] == nil {
			out[n] = map[string]string{}
		}
		out[n][v.Policy] = v.Message
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// absent explains an expectation on a policy the pack does not (yet) have.
func absent(policy string) string {
	if pack.Has(policy) {
		return ""
	}
	note := programs.Pending[policy]
	if note == "" {
		note = "not in Pending table"
	}
	return fmt.Sprintf(" [POLICY NOT IN PACK: %s]", note)
}

// checkEvents cross-checks the violation events with the pack's metadata and the engine's
// policy summary events: each violation carries the policy's severity, and the per-resource
// (resource policies) or per-stack (stack policies) summary lists the policy as Failed.
func checkEvents(t *testing.T, res *harness.Result) {
	t.Helper()
	failed := map[string]map[string]bool{} // resource URN -> failed policies
	for _, sum := range res.Summaries {
		if sum.PolicyPackName != packName {
			t.Errorf("summary from pack %q", sum.PolicyPackName)
		}
		for _, p := range sum.Failed {
			if failed[string(sum.ResourceURN)] == nil {
				failed[string(sum.ResourceURN)] = map[string]bool{}
			}
			failed[string(sum.ResourceURN)][p] = true
		}
	}
	stackFailed := map[string]bool{}
	for _, sum := range res.StackSummaries {
		for _, p := range sum.Failed {
			stackFailed[p] = true
		}
	}
	for _, v := range res.Violations {
		info, ok := pack.Get(v.Policy)
		if !ok {
			t.Errorf("violation of %s, which --list-policies does not list", v.Policy)
			continue
		}
		if string(v.Severity) != info.Severity {
			t.Errorf("%s on %s: severity %q, policy says %q", v.Policy, v.Name(), v.Severity, info.Severity)
		}
		switch info.Type {
		case "resource":
			if !failed[string(v.URN)][v.Policy] {
				t.Errorf("%s reported on %s but the resource's policy summary does not list it as failed", v.Policy, v.Name())
			}
		case "stack":
			if !stackFailed[v.Policy] {
				t.Errorf("stack policy %s reported but the stack policy summary does not list it as failed", v.Policy)
			}
		}
	}
}

// checkFailing asserts the failing variant's preview bails with mandatory violations from our
// pack on exactly the expected resources.
func checkFailing(t *testing.T, s *programs.System, res *harness.Result) {
	t.Helper()
	if res.Err == nil || !res.Bail {
		t.Errorf("preview: want a bail (mandatory violations), got err=%v\n%s", res.Err, res.DiagText())
	}
	if res.Loads != 1 {
		t.Errorf("policy packs loaded: %d, want 1", res.Loads)
	}
	checkEvents(t, res)
	for _, v := range res.Violations {
		if v.Pack != packName || v.Version != pack.Version {
			t.Errorf("violation from %s@%s, want %s@%s", v.Pack, v.Version, packName, pack.Version)
		}
	}
	got := mandatoryByResource(res)
	// Expect keys are resource names, or alternatives "a|b" when the pack may attribute a
	// violation involving two resources to either of them.
	want := map[string]map[string]bool{}
	for _, key := range sortedKeys(s.Expect) {
		names := strings.Split(key, "|")
		for _, policy := range s.Expect[key] {
			found := false
			for _, n := range names {
				if _, ok := got[n][policy]; ok {
					found = true
				}
				if want[n] == nil {
					want[n] = map[string]bool{}
				}
				want[n][policy] = true
			}
			if !found {
				t.Errorf("missing: %s on %q did not report a mandatory violation%s", policy, key, absent(policy))
			}
		}
	}
	for _, name := range sortedKeys(got) {
		for _, policy := range sortedKeys(got[name]) {
			msg := strings.ReplaceAll(got[name][policy], "\n", " | ")
			switch {
			case want[name] == nil:
				t.Errorf("unexpected: mandatory %s on %q (resource not expected to fail): %s", policy, name, msg)
			case want[name][policy]:
				t.Logf("fired: %s on %s", policy, name)
			default:
				t.Logf("extra: %s on %s: %s", policy, name, detail(got[name][policy], 160))
			}
		}
	}
	for _, name := range sortedKeys(s.Advisory) {
		for _, policy := range s.Advisory[name] {
			found := false
			for _, v := range res.Violations {
				if v.Name() == name && v.Policy == policy && v.Level == apitype.Advisory {
					found = true
				}
			}
			if !found {
				t.Errorf("missing advisory: %s on %q%s", policy, name, absent(policy))
			}
		}
	}
}

// detail returns the policy-specific part of a violation message (the runner prepends the
// description on the first line), shortened.
func detail(msg string, n int) string {
	if _, rest, ok := strings.Cut(msg, "\n"); ok {
		msg = rest
	}
	msg = strings.ReplaceAll(msg, "\n", " | ")
	if len(msg) > n {
		msg = msg[:n] + "..."
	}
	return msg
}

// checkFixed asserts the fixed variant's preview (or up) succeeds with no mandatory violation.
func checkFixed(t *testing.T, res *harness.Result) {
	t.Helper()
	if res.Err != nil {
		t.Errorf("want success, got %v\n%s", res.Err, res.DiagText())
	}
	checkEvents(t, res)
	for _, v := range res.Mandatory() {
		t.Errorf("mandatory violation in fixed program: %s on %s: %s", v.Policy, v.URN,
			strings.ReplaceAll(v.Message, "\n", " | "))
	}
	for _, v := range res.ByLevel(apitype.Advisory) {
		t.Logf("advisory: %s on %s: %s", v.Policy, v.Name(), strings.ReplaceAll(v.Message, "\n", " | "))
	}
}
