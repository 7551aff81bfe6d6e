package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/aws-guard-c/e2e/programs"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func inSnapshot(snap *deploy.Snapshot, name string) bool {
	if snap == nil {
		return false
	}
	for _, r := range snap.Resources {
		if r.URN.Name() == name && !r.Delete {
			return true
		}
	}
	return false
}

// TestUpFailingStops: in `up` a mandatory violation makes the resource invalid: the engine bails
// before creating it, the program's registration fails, and the resource is not in the state.
func TestUpFailingStops(t *testing.T) {
	for _, s := range programs.Systems() {
		t.Run(s.Key, func(t *testing.T) {
			prov := &harness.FakeAWS{}
			res := op(t, s, false, false, packsFor(t, s, true), nil, prov)
			if res.Err == nil || !res.Bail {
				t.Fatalf("up: want a bail, got %v", res.Err)
			}
			if len(res.Mandatory()) == 0 {
				t.Errorf("up failed without a mandatory violation: %v\n%s", res.Err, res.DiagText())
			}
			created := map[string]bool{}
			for _, c := range prov.Calls() {
				if !c.Preview {
					created[c.URN.Name()] = true
				}
			}
			for _, v := range res.Mandatory() {
				if created[v.Name()] {
					t.Errorf("%s was created although %s marked it invalid", v.Name(), v.Policy)
				}
				if v.URN.Type() != "pulumi:pulumi:Stack" && inSnapshot(res.Snapshot, v.Name()) {
					t.Errorf("%s (invalid by %s) is in the resulting state", v.Name(), v.Policy)
				}
			}
			t.Logf("%d resources created before the first invalid one stopped the update", len(created))
		})
	}
}

// TestUpFixedTwice: the fixed program deploys (AnalyzeStack sees the real outputs), and a second
// `up` on the resulting state with a changed input goes through Diff/Update with the pack loaded
// again.
func TestUpFixedTwice(t *testing.T) {
	s := programs.ByKey("trading")
	grpcLog := filepath.Join(t.TempDir(), "grpc.log")
	os.Setenv("PULUMI_DEBUG_GRPC", grpcLog)
	prov := &harness.FakeAWS{}
	first := op(t, s, true, false, layout.ExePack(""), nil, prov)
	os.Unsetenv("PULUMI_DEBUG_GRPC")
	checkFixed(t, first)
	if first.Snapshot == nil || len(first.Snapshot.Resources) == 0 {
		t.Fatalf("no state after the first up")
	}
	t.Logf("first up: %d resources in state", len(first.Snapshot.Resources))
	for _, r := range first.Snapshot.Resources {
		if r.Type == "aws:lambda/function:Function" {
			arn := r.Outputs["arn"]
			if !arn.IsString() || !strings.HasPrefix(arn.StringValue(), "arn:aws:lambda:") {
				t.Errorf("%s: arn output %v", r.URN.Name(), arn)
			}
		}
	}
	checkAnalyzeStackSawOutputs(t, grpcLog)
	if len(first.StackSummaries) == 0 {
		t.Errorf("no PolicyAnalyzeStackSummaryEvent: AnalyzeStack did not run")
	}

	// Same program, same config: nothing to do.
	prov2 := &harness.FakeAWS{}
	second := op(t, s, true, false, layout.ExePack(""), first.Snapshot, prov2)
	checkFixed(t, second)
	for _, c := range prov2.Calls() {
		t.Errorf("no-op up called %s on %s", c.Op, c.URN.Name())
	}

	// Changed input: Diff -> Update on the two functions, analyzed again.
	s2 := *s
	s2.Config = map[string]string{}
	for k, v := range s.Config {
		s2.Config[k] = v
	}
	s2.Config["trading-events:logLevel"] = "DEBUG"
	prov3 := &harness.FakeAWS{}
	third := op(t, &s2, true, false, layout.ExePack(""), second.Snapshot, prov3)
	checkFixed(t, third)
	updates := 0
	for _, c := range prov3.Calls() {
		if c.Op == "update" && !c.Preview {
			updates++
		}
		if c.Op == "create" {
			t.Errorf("unexpected create of %s", c.URN.Name())
		}
	}
	if updates != 2 {
		t.Errorf("want 2 function updates, got %d", updates)
	}
	if third.Snapshot == nil || len(third.Snapshot.Resources) != len(first.Snapshot.Resources) {
		t.Errorf("state size changed across updates")
	}
}

// checkAnalyzeStackSawOutputs reads the engine's gRPC log (PULUMI_DEBUG_GRPC) and checks the
// AnalyzeStack request of the update carried provider outputs (real ARNs), not only inputs.
func checkAnalyzeStackSawOutputs(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("reading gRPC log: %v", err)
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, `"/pulumirpc.Analyzer/AnalyzeStack"`) {
			continue
		}
		var entry struct {
			Request struct {
				Resources []struct {
					Type       string         `json:"type"`
					Name       string         `json:"name"`
					Properties map[string]any `json:"properties"`
				} `json:"resources"`
			} `json:"request"`
		}
		if json.Unmarshal([]byte(line), &entry) != nil {
			continue
		}
		for _, r := range entry.Request.Resources {
			if r.Type == "aws:lambda/function:Function" {
				arn, _ := r.Properties["arn"].(string)
				if strings.HasPrefix(arn, "arn:aws:lambda:") && strings.Contains(arn, harness.Account) {
					t.Logf("AnalyzeStack saw %s arn=%s", r.Name, arn)
					return
				}
			}
		}
	}
	t.Errorf("no AnalyzeStack request with a Lambda function's real arn output in %s", path)
}

// TestUpPropertyDependencies: the state keeps the property dependencies the program declared,
// which stack policies rely on to link resources while values are unknown.
func TestUpPropertyDependencies(t *testing.T) {
	s := programs.ByKey("s3pipeline")
	res := op(t, s, true, false, layout.ExePack(""), nil, nil)
	checkFixed(t, res)
	found := false
	if res.Snapshot != nil {
		for _, r := range res.Snapshot.Resources {
			if r.Type == "aws:lambda/permission:Permission" {
				deps := r.PropertyDependencies[resource.PropertyKey("sourceArn")]
				found = len(deps) == 1 && deps[0].Type() == "aws:cloudwatch/eventRule:EventRule"
			}
		}
	}
	if !found {
		t.Errorf("Permission.sourceArn does not depend on the EventRule in the state")
	}
}

// TestSeedUpFixed deploys every fixed program (`up`: all values known, so policies that skip
// unknowns in preview now judge real ARNs and names), then runs `up` again on the resulting
// state: nothing to change, still no mandatory violation.
func TestSeedUpFixed(t *testing.T) {
	for _, s := range programs.Systems() {
		t.Run(s.Key, func(t *testing.T) {
			first := op(t, s, true, false, packsFor(t, s, true), nil, nil)
			checkFixed(t, first)
			if first.Err != nil {
				return
			}
			prov := &harness.FakeAWS{}
			second := op(t, s, true, false, packsFor(t, s, false), first.Snapshot, prov)
			checkFixed(t, second)
			for _, c := range prov.Calls() {
				t.Errorf("second up: unexpected %s of %s", c.Op, c.URN.Name())
			}
		})
	}
}
