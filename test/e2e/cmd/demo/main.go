// Command demo previews the failing and the fixed variant of one seed system through Pulumi's
// real engine with the C policy pack loaded, and prints what `pulumi preview --policy-pack`
// would print about policies.
//
//	cd test/e2e && GOTOOLCHAIN=local go run ./cmd/demo [-system trading] [-mode exe|packdir] [-config file] [-plan]
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/aws-guard-c/e2e/programs"
	"github.com/pulumi/pulumi/pkg/v3/engine"
)

func main() {
	os.Exit(run())
}

func run() int {
	var keys []string
	for _, s := range programs.Systems() {
		keys = append(keys, s.Key)
	}
	system := flag.String("system", "trading", "seed system: "+strings.Join(keys, ", "))
	mode := flag.String("mode", "exe", "launch mode: exe (--policy-pack <binary>) or packdir (--policy-pack <dir>)")
	config := flag.String("config", "", "--policy-pack-config file")
	plan := flag.Bool("plan", false, "also print the resource plan")
	flag.Parse()

	s := programs.ByKey(*system)
	if s == nil {
		fmt.Fprintf(os.Stderr, "unknown system %q (have: %s)\n", *system, strings.Join(keys, ", "))
		return 2
	}
	bin, err := harness.FindAnalyzer()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	base, err := os.MkdirTemp("", "e2e-demo-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(base)
	layout, err := harness.Prepare(base, bin)
	if err == nil {
		err = layout.Env()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// Systems whose team runs them with a --policy-pack-config get it unless -config is given.
	if *config == "" && s.PackConfig != "" {
		*config = base + "/policy-config.json"
		if err := os.WriteFile(*config, []byte(s.PackConfig), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	var packs []engine.LocalPolicyPack
	switch *mode {
	case "exe":
		packs = layout.ExePack(*config)
	case "packdir":
		packs = layout.DirPack(*config)
	default:
		fmt.Fprintf(os.Stderr, "unknown mode %q\n", *mode)
		return 2
	}

	fmt.Printf("Seed system %q (%s), seeds %s; policy pack %s\n\n", s.Key, s.Title, s.Seeds, packs[0].Path)
	failed := false
	for _, fixed := range []bool{false, true} {
		variant := map[bool]string{false: "failing", true: "fixed"}[fixed]
		fmt.Printf("=== %s variant: pulumi preview --policy-pack %s%s\n", variant, packs[0].Path,
			map[bool]string{true: " --policy-pack-config " + *config, false: ""}[*config != ""])
		fmt.Printf("Previewing update (%s/%s/%s):\n\n", "acme", s.Project, s.Stack)
		res := harness.Run(harness.Op{
			Program: s.Program(fixed), DryRun: true, Packs: packs,
			Project: s.Project, Stack: s.Stack, Org: "acme", Config: s.Config,
			Tags: map[string]string{"team": "platform"}, AnalyzerBinary: bin,
		})
		if *plan {
			harness.RenderPlan(os.Stdout, res)
			fmt.Println()
		}
		paths := map[string]string{}
		for name := range res.PackNames {
			paths[name] = packs[0].Path
		}
		mandatory := harness.RenderPolicies(os.Stdout, res, paths)
		for _, d := range res.Diags {
			if d.Severity == "error" || d.Severity == "warning" {
				fmt.Printf("%s: %s\n", d.Severity, strings.TrimSpace(d.Message))
			}
		}
		switch {
		case res.Err != nil && mandatory:
			fmt.Printf("(%d mandatory policy violation(s); engine result: %v)\n", len(res.Mandatory()), res.Err)
		case res.Err != nil:
			fmt.Printf("error: %v\n", res.Err)
		default:
			creates := 0
			for _, e := range res.Events {
				if e.Type == engine.ResourcePreEvent {
					if p := e.Payload().(engine.ResourcePreEventPayload); p.Metadata.Op == "create" {
						creates++
					}
				}
			}
			fmt.Printf("Resources:\n    + %d to create\n", creates)
		}
		for _, p := range res.Analyzers {
			fmt.Printf("(analyzer pid %d exited %v after the engine's Cancel/SIGINT; preview took %v)\n",
				p.PID, p.ExitAfter.Round(100*time.Microsecond), res.Duration.Round(time.Millisecond))
		}
		fmt.Println()
		if fixed && res.Err != nil || !fixed && res.Err == nil {
			failed = true
		}
	}
	if failed {
		fmt.Println("demo: unexpected outcome (the failing variant should fail, the fixed one pass)")
		return 1
	}
	return 0
}
