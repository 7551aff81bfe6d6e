package harness

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
)

// The rendering below follows pkg/backend/display (progress.go printPolicies and diff.go
// renderDiffPolicyViolationEvent) so the output reads like `pulumi preview`; it is re-done here
// because importing the display package pulls in the whole backend.

func enforcementRank(l apitype.EnforcementLevel) int {
	switch l {
	case apitype.Remediate:
		return 0
	case apitype.Mandatory:
		return 1
	case apitype.Advisory:
		return 2
	case apitype.Disabled:
		return 3
	}
	return 99
}

func severityRank(s apitype.PolicySeverity) int {
	switch s {
	case apitype.PolicySeverityCritical:
		return 0
	case apitype.PolicySeverityHigh:
		return 1
	case apitype.PolicySeverityMedium:
		return 2
	case apitype.PolicySeverityLow:
		return 3
	case apitype.PolicySeverityUnspecified:
		return 4
	}
	return 99
}

// RenderPlan writes the resource rows of a preview (operation, type, name), like the CLI's
// table without the tree drawing.
func RenderPlan(w io.Writer, res *Result) {
	fmt.Fprintf(w, "     %-50s %-45s %s\n", "Type", "Name", "Plan")
	for _, e := range res.Events {
		if e.Type != engine.ResourcePreEvent {
			continue
		}
		p := e.Payload().(engine.ResourcePreEventPayload)
		if p.Internal {
			continue
		}
		sym := map[string]string{"create": "+", "update": "~", "delete": "-", "replace": "+-", "same": " "}[string(p.Metadata.Op)]
		fmt.Fprintf(w, " %-3s %-50s %-45s %s\n", sym, p.Metadata.URN.Type().DisplayName(), p.Metadata.URN.Name(), p.Metadata.Op)
	}
}

// RenderPolicies writes the "Policies:" section the CLI prints after a preview or update.
// packPaths maps pack name to the local path given on the command line. It returns true if a
// mandatory violation was printed.
func RenderPolicies(w io.Writer, res *Result, packPaths map[string]string) bool {
	type summary struct {
		path         string
		violations   []engine.PolicyViolationEventPayload
		remediations map[string]int
	}
	packs := map[string]*summary{}
	key := func(name, version string) *summary {
		k := fmt.Sprintf("%s@v%s", name, version)
		if packs[k] == nil {
			packs[k] = &summary{path: packPaths[name], remediations: map[string]int{}}
		}
		return packs[k]
	}
	for name, version := range res.PackNames {
		key(name, version)
	}
	for _, e := range res.Events {
		switch e.Type {
		case engine.PolicyViolationEvent:
			p := e.Payload().(engine.PolicyViolationEventPayload)
			s := key(p.PolicyPackName, p.PolicyPackVersion)
			s.violations = append(s.violations, p)
		case engine.PolicyRemediationEvent:
			p := e.Payload().(engine.PolicyRemediationEventPayload)
			if p.Before.Diff(p.After) != nil {
				key(p.PolicyPackName, p.PolicyPackVersion).remediations[p.PolicyName]++
			}
		}
	}
	if len(packs) == 0 {
		return false
	}
	fmt.Fprintln(w, "Policies:")
	keys := make([]string, 0, len(packs))
	for k := range packs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	hadMandatory := false
	const indent = "        "
	for _, k := range keys {
		s := packs[k]
		mark := "✅"
		for _, v := range s.violations {
			if v.EnforcementLevel == apitype.Mandatory {
				mark = "❌"
				hadMandatory = true
				break
			}
			mark = "⚠️"
		}
		local := ""
		if s.path != "" {
			local = " (local: " + s.path + ")"
		}
		fmt.Fprintf(w, "    %s %s%s\n", mark, k, local)
		names := make([]string, 0, len(s.remediations))
		for n := range s.remediations {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			c := s.remediations[n]
			word := "resources"
			if c == 1 {
				word = "resource"
			}
			fmt.Fprintf(w, "%s- [remediate]  %s  (%d %s)\n", indent, n, c, word)
		}
		slices.SortStableFunc(s.violations, func(a, b engine.PolicyViolationEventPayload) int {
			if d := cmp.Compare(enforcementRank(a.EnforcementLevel), enforcementRank(b.EnforcementLevel)); d != 0 {
				return d
			}
			if d := cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)); d != 0 {
				return d
			}
			if d := cmp.Compare(a.PolicyName, b.PolicyName); d != 0 {
				return d
			}
			return cmp.Compare(string(a.ResourceURN), string(b.ResourceURN))
		})
		for _, v := range s.violations {
			sev := ""
			if v.Severity != apitype.PolicySeverityUnspecified {
				sev = fmt.Sprintf(" [severity: %s]", v.Severity)
			}
			clause := ""
			if v.ResourceURN.IsValid() {
				clause = fmt.Sprintf("  (%s: %s)", v.ResourceURN.Type().DisplayName(), v.ResourceURN.Name())
			}
			fmt.Fprintf(w, "%s- [%s]%s  %s%s\n", indent, v.EnforcementLevel, sev, v.PolicyName, clause)
			msg := strings.TrimSuffix(colors.Never.Colorize(v.Message), "\n")
			fmt.Fprintf(w, "%s  %s\n", indent, strings.ReplaceAll(msg, "\n", "\n"+indent+"  "))
		}
	}
	fmt.Fprintln(w)
	return hadMandatory
}
