package e2e

import (
	"testing"

	"github.com/aws-guard-c/e2e/programs"
)

// TestSeedPreview previews the failing and the fixed variant of every seed system in both
// launch modes: the binary as --policy-pack (exe path) and a pack directory with
// PulumiPolicy.yaml `runtime: c` (pulumi-analyzer-policy-c found on PATH).
func TestSeedPreview(t *testing.T) {
	for _, s := range programs.Systems() {
		t.Run(s.Key, func(t *testing.T) {
			t.Run("failing/exe", func(t *testing.T) {
				checkFailing(t, s, op(t, s, false, true, packsFor(t, s, true), nil, nil))
			})
			t.Run("fixed/exe", func(t *testing.T) {
				checkFixed(t, op(t, s, true, true, packsFor(t, s, true), nil, nil))
			})
			t.Run("failing/packdir", func(t *testing.T) {
				checkFailing(t, s, op(t, s, false, true, packsFor(t, s, false), nil, nil))
			})
			t.Run("fixed/packdir", func(t *testing.T) {
				checkFixed(t, op(t, s, true, true, packsFor(t, s, false), nil, nil))
			})
		})
	}
}

// TestPackHasExpectedPolicies compares the expectation tables with the pack's policy list.
func TestPackHasExpectedPolicies(t *testing.T) {
	for _, s := range programs.Systems() {
		for _, p := range s.Policies() {
			if !pack.Has(p) {
				t.Errorf("%s: expected policy %q is not in the pack%s", s.Key, p, absent(p))
			}
		}
	}
	for p := range programs.Pending {
		if pack.Has(p) {
			t.Logf("Pending lists %q but the pack has it now: remove it from programs.Pending", p)
		}
	}
}
