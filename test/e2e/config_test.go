package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/aws-guard-c/e2e/programs"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// writeConfig writes a --policy-pack-config file.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "policy-config.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func policiesAt(res *harness.Result, level apitype.EnforcementLevel) map[string]int {
	out := map[string]int{}
	for _, v := range res.ByLevel(level) {
		out[v.Policy]++
	}
	return out
}

// TestConfigAllAdvisory: {"all": "advisory"} turns every violation of the failing program into an
// advisory one, so the preview passes.
func TestConfigAllAdvisory(t *testing.T) {
	s := programs.ByKey("trading")
	base := op(t, s, false, true, layout.ExePack(""), nil, nil)
	res := op(t, s, false, true, layout.ExePack(writeConfig(t, `{"all": "advisory"}`)), nil, nil)
	if res.Err != nil {
		t.Fatalf("want a passing preview, got %v\n%s", res.Err, res.DiagText())
	}
	if n := len(res.Mandatory()); n != 0 {
		t.Errorf("%d mandatory violations with all=advisory", n)
	}
	adv := policiesAt(res, apitype.Advisory)
	for p, n := range policiesAt(base, apitype.Mandatory) {
		if adv[p] < n {
			t.Errorf("%s: %d mandatory violations by default, only %d advisory with all=advisory", p, n, adv[p])
		}
	}
}

// TestConfigPerPolicyLevel: downgrading each policy that fired (mandatory -> advisory) one by
// one in the config file makes the failing preview pass; the violations stay, as advisories.
func TestConfigPerPolicyLevel(t *testing.T) {
	s := programs.ByKey("webstack")
	base := op(t, s, false, true, layout.ExePack(""), nil, nil)
	mand := policiesAt(base, apitype.Mandatory)
	if len(mand) == 0 {
		t.Fatal("the failing program produced no mandatory violation")
	}
	var entries []string
	for _, p := range sortedKeys(mand) {
		entries = append(entries, `"`+p+`": "advisory"`)
	}
	cfg := "{" + strings.Join(entries, ", ") + "}"
	t.Logf("config: %s", cfg)
	res := op(t, s, false, true, layout.ExePack(writeConfig(t, cfg)), nil, nil)
	if res.Err != nil {
		t.Fatalf("want a passing preview, got %v\n%s", res.Err, res.DiagText())
	}
	adv := policiesAt(res, apitype.Advisory)
	for p, n := range mand {
		if adv[p] != n {
			t.Errorf("%s: %d mandatory by default, %d advisory after the override", p, n, adv[p])
		}
	}
	// And one policy back to mandatory with the object form keeps the preview failing.
	first := sortedKeys(mand)[0]
	cfg2 := `{"all": "advisory", "` + first + `": {"enforcementLevel": "mandatory"}}`
	res2 := op(t, s, false, true, layout.ExePack(writeConfig(t, cfg2)), nil, nil)
	if !res2.Bail {
		t.Errorf("%s: want a bail, got %v", cfg2, res2.Err)
	}
	for _, v := range res2.Mandatory() {
		if v.Policy != first {
			t.Errorf("%s: unexpected mandatory %s", cfg2, v.Policy)
		}
	}
}

// TestConfigProperty: policy properties from the config file reach the analyzer: a knob of the
// policy's schema and the registry-wide `exclude`.
func TestConfigProperty(t *testing.T) {
	s := programs.ByKey("serverless")
	cfg := `{
		"aws-explicit-provider-required": {"allowDefaultProvider": true},
		"security-group-no-public-ingress": {"exclude": ["web-sg"]}
	}`
	res := op(t, s, false, true, layout.ExePack(writeConfig(t, cfg)), nil, nil)
	for _, v := range res.Violations {
		if v.Policy == "aws-explicit-provider-required" || v.Policy == "security-group-no-public-ingress" {
			t.Errorf("%s still reported on %s with %s", v.Policy, v.Name(), cfg)
		}
	}
	if len(res.Mandatory()) == 0 {
		t.Errorf("other policies should still fire")
	}
	// Pack dir + config: same behaviour.
	res2 := op(t, s, false, true, layout.DirPack(writeConfig(t, cfg)), nil, nil)
	if len(res2.Violations) != len(res.Violations) {
		t.Errorf("pack dir: %d violations, exe: %d", len(res2.Violations), len(res.Violations))
	}
}

// TestConfigInvalidType: a property of the wrong type is rejected by the engine's schema
// validation before the program runs, with a message naming pack, policy and property.
func TestConfigInvalidType(t *testing.T) {
	s := programs.ByKey("serverless")
	cfg := `{"aws-explicit-provider-required": {"allowDefaultProvider": "yes"}}`
	res := op(t, s, true, true, layout.ExePack(writeConfig(t, cfg)), nil, nil)
	if res.Err == nil || !strings.Contains(res.Err.Error(), "validating policy config") {
		t.Fatalf("want the engine's 'validating policy config' error, got %v", res.Err)
	}
	text := res.DiagText()
	t.Logf("engine said: %v\n%s", res.Err, text)
	for _, want := range []string{packName, "aws-explicit-provider-required", "allowDefaultProvider", "boolean"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostic does not mention %q", want)
		}
	}
	if len(res.ProviderCalls) != 0 {
		t.Errorf("program ran despite invalid config: %d provider calls", len(res.ProviderCalls))
	}
	// An invalid enforcement level is rejected while parsing the file.
	res2 := op(t, s, true, true, layout.ExePack(writeConfig(t, `{"all": "strict"}`)), nil, nil)
	if res2.Err == nil || !strings.Contains(res2.Err.Error(), "not a valid enforcement level") {
		t.Errorf("want 'not a valid enforcement level', got %v", res2.Err)
	}
}

// TestConfigDisabled: disabled policies never produce a diagnostic (a DISABLED diagnostic would
// panic the engine), neither per policy nor with all=disabled.
func TestConfigDisabled(t *testing.T) {
	s := programs.ByKey("s3pipeline")
	base := op(t, s, false, true, layout.ExePack(""), nil, nil)
	mand := policiesAt(base, apitype.Mandatory)
	var entries []string
	for _, p := range sortedKeys(mand) {
		entries = append(entries, `"`+p+`": "disabled"`)
	}
	cfg := "{" + strings.Join(entries, ", ") + "}"
	res := op(t, s, false, true, layout.ExePack(writeConfig(t, cfg)), nil, nil)
	if res.Err != nil {
		t.Errorf("want a passing preview with every firing policy disabled, got %v", res.Err)
	}
	for _, v := range res.Violations {
		if mand[v.Policy] > 0 {
			t.Errorf("disabled policy %s reported %s on %s", v.Policy, v.Level, v.Name())
		}
	}
	for _, sum := range res.Summaries {
		for _, p := range append(append([]string{}, sum.Passed...), sum.Failed...) {
			if mand[p] > 0 {
				t.Errorf("disabled policy %s listed in the summary of %s", p, sum.ResourceURN.Name())
			}
		}
	}

	all := op(t, s, false, true, layout.ExePack(writeConfig(t, `{"all": "disabled"}`)), nil, nil)
	if all.Err != nil || len(all.Violations) != 0 || len(all.Remediations) != 0 {
		t.Errorf("all=disabled: err=%v, %d violations, %d remediations", all.Err, len(all.Violations), len(all.Remediations))
	}
}
