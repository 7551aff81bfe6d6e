package e2e

import (
	"testing"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/aws-guard-c/e2e/programs"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const remediationPolicy = "lambda-xray-tracing-active"

// tracingless is an otherwise clean program whose only problem is a Lambda without X-Ray.
func tracingless() *programs.System {
	s := &programs.System{Key: "remediate", Project: "orders", Stack: "dev", Config: map[string]string{}}
	s.Failing = func(c *programs.Ctx) {
		prov := c.AWSProvider("aws-us-east-1", map[string]any{
			"region":      "us-east-1",
			"defaultTags": programs.JSON(map[string]any{"tags": map[string]string{"Team": "orders"}}),
		})
		role := c.Resource("aws:iam/role:Role", "orders-fn-role", map[string]any{
			"assumeRolePolicy": programs.JSON(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			}}}),
		}, programs.Provider(prov))
		fn := c.Resource("aws:lambda/function:Function", "orders-fn", map[string]any{
			"runtime": "python3.12", "handler": "index.handler", "role": role.Out("arn"),
			"code":        programs.Archive(map[string]string{"index.py": "def handler(e, c):\n    return 1\n"}),
			"memorySize":  256,
			"environment": map[string]any{"variables": map[string]any{"STAGE": "dev"}},
		}, programs.Provider(prov))
		c.Export("fn_arn", fn.Out("arn"))
		c.Export("fn_name", fn.Out("name"))
	}
	return s
}

func tracingMode(props resource.PropertyMap) string {
	tc, ok := props["tracingConfig"]
	if !ok || !tc.IsObject() {
		return ""
	}
	m := tc.ObjectValue()["mode"]
	if !m.IsString() {
		return ""
	}
	return m.StringValue()
}

// TestRemediation: with lambda-xray-tracing-active at level `remediate`, the engine applies the
// pack's remediation before the provider sees the resource: a PolicyRemediationEvent, no
// violation, and Create receives tracingConfig.mode "Active" (preview and up).
func TestRemediation(t *testing.T) {
	if !pack.Has(remediationPolicy) {
		t.Errorf("%s is not in the pack%s", remediationPolicy, absent(remediationPolicy))
	}
	s := tracingless()
	// Without config the policy is mandatory: the preview fails on the function.
	plain := op(t, s, false, true, layout.ExePack(""), nil, nil)
	if !plain.Bail {
		t.Errorf("default level: want a bail for the function without tracing, got %v", plain.Err)
	}

	cfg := writeConfig(t, `{"`+remediationPolicy+`": "remediate"}`)
	for _, dryRun := range []bool{true, false} {
		name := map[bool]string{true: "preview", false: "up"}[dryRun]
		t.Run(name, func(t *testing.T) {
			prov := &harness.FakeAWS{}
			res := op(t, s, false, dryRun, layout.ExePack(cfg), nil, prov)
			if res.Err != nil {
				t.Errorf("want success after remediation, got %v\n%s", res.Err, res.DiagText())
			}
			for _, v := range res.Violations {
				if v.Policy == remediationPolicy {
					t.Errorf("%s still reports %s on %s after remediating", v.Policy, v.Level, v.Name())
				}
			}
			var got *harness.Remediation
			for i := range res.Remediations {
				r := &res.Remediations[i]
				t.Logf("remediation %s@%s %s on %s", r.PolicyPackName, r.PolicyPackVersion, r.PolicyName, r.ResourceURN.Name())
				if r.PolicyName == remediationPolicy && r.ResourceURN.Name() == "orders-fn" {
					got = r
				}
			}
			if got == nil {
				t.Fatalf("no PolicyRemediationEvent for %s on orders-fn", remediationPolicy)
			}
			after := resource.ToResourcePropertyMap(got.After)
			if m := tracingMode(after); m != "Active" {
				t.Errorf("remediated inputs: tracingConfig.mode = %q", m)
			}
			before := resource.ToResourcePropertyMap(got.Before)
			for k := range before {
				if _, ok := after[k]; !ok {
					t.Errorf("remediation dropped input %q", k)
				}
			}
			seen := false
			for _, c := range prov.Calls() {
				if c.URN.Name() == "orders-fn" && c.Op == "create" && c.Preview == dryRun {
					seen = true
					if m := tracingMode(c.Inputs); m != "Active" {
						t.Errorf("provider Create saw tracingConfig.mode %q, want Active", m)
					}
					if !c.Inputs["role"].IsString() && !c.Inputs["role"].IsComputed() {
						t.Errorf("role input lost: %v", c.Inputs["role"])
					}
				}
			}
			if !seen {
				t.Errorf("provider never created orders-fn")
			}
			if !dryRun && res.Snapshot != nil {
				for _, r := range res.Snapshot.Resources {
					if r.URN.Name() == "orders-fn" && tracingMode(r.Inputs) != "Active" {
						t.Errorf("state inputs of orders-fn lack tracing: %v", r.Inputs["tracingConfig"])
					}
				}
			}
		})
	}
}
