package harness

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/engine"
	pulumihost "github.com/pulumi/pulumi/pkg/v3/host"
	pkgresource "github.com/pulumi/pulumi/pkg/v3/resource"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/pkg/v3/util/cancel"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/slice"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/result"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// ProgramRuntime is the language runtime name of the in-process programs.
const ProgramRuntime = "test"

// Op describes one engine operation (a `pulumi preview` or `pulumi up --skip-preview`).
type Op struct {
	Program deploytest.ProgramFunc
	DryRun  bool // true = preview

	// Packs are the --policy-pack / --policy-pack-config pairs. Paths should be absolute.
	Packs []engine.LocalPolicyPack
	// Required are packs the service requires (Pulumi Cloud org-wide enforcement): the engine
	// installs any that are not installed yet, then loads them like local packs.
	Required []engine.RequiredPolicy

	Project string            // default "e2e"
	Stack   string            // default "dev"
	Org     string            // default "acme"
	Config  map[string]string // stack config, e.g. {"aws:region": "us-east-1"}
	Tags    map[string]string // stack tags (ConfigureStack.tags)
	Base    *deploy.Snapshot  // previous state (for a second `up`); copied, never mutated
	Root    string            // program directory (cwd of an exe-path analyzer); default: a temp dir

	// AnalyzerBinary, if set, identifies the analyzer processes to observe (/proc exe path).
	AnalyzerBinary string
	Provider       *FakeAWS // default: a fresh one
}

// Violation is one PolicyViolationEvent.
type Violation struct {
	URN      resource.URN
	Pack     string
	Version  string
	Policy   string
	Level    apitype.EnforcementLevel
	Severity apitype.PolicySeverity
	Message  string // colour codes removed; description + message as the CLI shows them
}

// Name is the resource name part of the URN ("" for stack-level violations without URN).
func (v Violation) Name() string {
	if !v.URN.IsValid() {
		return ""
	}
	return v.URN.Name()
}

// Remediation is one PolicyRemediationEvent.
type Remediation struct {
	engine.PolicyRemediationEventPayload
}

// Diag is one DiagEvent (engine errors, analyzer stderr lines, warnings).
type Diag struct {
	URN      resource.URN
	Severity diag.Severity
	Message  string
}

// Result is everything an operation produced.
type Result struct {
	Err            error // what engine.Update returned
	Bail           bool  // result.IsBail(Err)
	Events         []engine.Event
	Loads          int // PolicyLoadEvents
	Violations     []Violation
	Remediations   []Remediation
	Summaries      []engine.PolicyAnalyzeSummaryEventPayload
	StackSummaries []engine.PolicyAnalyzeStackSummaryEventPayload
	Diags          []Diag
	Snapshot       *deploy.Snapshot // after `up`
	Analyzers      []AnalyzerProc
	ProviderCalls  []ProviderCall
	Duration       time.Duration
	PackNames      map[string]string // pack name -> version, as the engine resolved them
}

// Mandatory returns the mandatory violations.
func (r *Result) Mandatory() []Violation { return r.ByLevel(apitype.Mandatory) }

// ByLevel returns the violations at a level.
func (r *Result) ByLevel(l apitype.EnforcementLevel) []Violation {
	var out []Violation
	for _, v := range r.Violations {
		if v.Level == l {
			out = append(out, v)
		}
	}
	return out
}

// DiagText joins the diagnostics at or above the given severities (all if none given).
func (r *Result) DiagText(sevs ...diag.Severity) string {
	var b strings.Builder
	for _, d := range r.Diags {
		if len(sevs) > 0 && !slicesContains(sevs, d.Severity) {
			continue
		}
		fmt.Fprintf(&b, "[%s] %s\n", d.Severity, strings.TrimSpace(d.Message))
	}
	return b.String()
}

func slicesContains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// CopySnapshot deep-copies a snapshot so it can be the base of another operation (the engine
// mutates the states of its base).
func CopySnapshot(s *deploy.Snapshot) *deploy.Snapshot {
	if s == nil {
		return nil
	}
	return &deploy.Snapshot{
		Manifest:          s.Manifest,
		SecretsManager:    s.SecretsManager,
		Resources:         slice.Map(s.Resources, (*pkgresource.State).Copy),
		PendingOperations: s.PendingOperations,
		Metadata:          s.Metadata,
	}
}

// Run performs one engine operation exactly as `pulumi preview|up --policy-pack ...` would,
// except that the program and the aws provider are in-process.
func Run(op Op) *Result {
	start := time.Now()
	res := &Result{PackNames: map[string]string{}}
	if op.Project == "" {
		op.Project = "e2e"
	}
	if op.Stack == "" {
		op.Stack = "dev"
	}
	if op.Org == "" {
		op.Org = "acme"
	}
	if op.Provider == nil {
		op.Provider = &FakeAWS{}
	}
	root := op.Root
	if root == "" {
		d, err := os.MkdirTemp("", "e2e-program-")
		if err != nil {
			res.Err = err
			return res
		}
		defer os.RemoveAll(d)
		root = d
	}

	obs := newProcObserver(op.AnalyzerBinary)
	var hosts []*hybridHost
	opts := engine.UpdateOptions{
		// The engine writes the resolved name/version back into this slice: give it a copy.
		LocalPolicyPacks: append([]engine.LocalPolicyPack(nil), op.Packs...),
		RequiredPolicies: op.Required,
		Parallel:         4,
		HostFactory: func(ctx context.Context, d, statusD diag.Sink, dbg plugin.DebugContext) (plugin.Host, error) {
			// nil language installer / loader / mapper / resolver: nothing is installed or
			// downloaded; analyzers are found exactly where the CLI looks (path, $PATH, plugin cache).
			real, err := pulumihost.New(ctx, d, statusD, dbg, nil, nil, nil, nil)
			if err != nil {
				return nil, err
			}
			h := &hybridHost{
				Host: deploytest.NewPluginHost(d, statusD, deploytest.NewLanguageRuntime(op.Program),
					op.Provider.Loader()),
				real: real,
				obs:  obs,
			}
			hosts = append(hosts, h)
			return h, nil
		},
	}

	proj := &workspace.Project{
		Name:    tokens.PackageName(op.Project),
		Runtime: workspace.NewProjectRuntimeInfo(ProgramRuntime, nil),
	}
	cfg := config.Map{}
	for k, v := range op.Config {
		key, err := config.ParseKey(k)
		if err != nil {
			res.Err = err
			return res
		}
		cfg[key] = config.NewValue(v)
	}
	// The journal rebuilds the new state from the very base objects the engine was given.
	base := CopySnapshot(op.Base)
	target := &deploy.Target{
		Name:         tokens.MustParseStackName(op.Stack),
		Organization: tokens.Name(op.Org),
		Config:       cfg,
		Decrypter:    config.NopDecrypter,
		Snapshot:     base,
		Tags:         op.Tags,
	}

	cctx, src := cancel.NewContext(context.Background())
	events := make(chan engine.Event)
	collected := make(chan []engine.Event)
	go func() {
		var all []engine.Event
		for e := range events {
			all = append(all, e)
		}
		collected <- all
	}()
	ectx := &engine.Context{Cancel: cctx, Events: events, PluginManager: nopPluginManager{}}
	var journal *engine.TestJournal
	if !op.DryRun {
		journal = engine.NewTestJournal()
		ectx.SnapshotManager = journal
	}

	_, _, res.Err = engine.Update(engine.UpdateInfo{Root: root, Project: proj, Target: target}, ectx, opts, op.DryRun)
	res.Bail = res.Err != nil && result.IsBail(res.Err)

	// The engine released the analyzers in deployment.Close (ReleaseContext); closing the hosts
	// shuts down the in-process servers and anything still running.
	for _, h := range hosts {
		_ = h.Close()
	}
	src.Terminate()
	close(events)
	res.Events = <-collected
	if journal != nil {
		_ = journal.Close()
		snap, err := journal.Entries().Snap(base)
		if err != nil && res.Err == nil {
			res.Err = fmt.Errorf("building snapshot: %w", err)
		}
		res.Snapshot = snap
	}
	res.Analyzers = obs.list()
	res.ProviderCalls = op.Provider.Calls()
	res.collect()
	for _, p := range opts.LocalPolicyPacks {
		if p.Name != "" {
			res.PackNames[p.Name] = p.Version
		}
	}
	res.Duration = time.Since(start)
	return res
}

func (r *Result) collect() {
	for _, e := range r.Events {
		switch e.Type {
		case engine.PolicyLoadEvent:
			r.Loads++
		case engine.PolicyViolationEvent:
			p := e.Payload().(engine.PolicyViolationEventPayload)
			r.Violations = append(r.Violations, Violation{
				URN: p.ResourceURN, Pack: p.PolicyPackName, Version: p.PolicyPackVersion,
				Policy: p.PolicyName, Level: p.EnforcementLevel, Severity: p.Severity,
				Message: strings.TrimSpace(colors.Never.Colorize(p.Message)),
			})
		case engine.PolicyRemediationEvent:
			r.Remediations = append(r.Remediations,
				Remediation{e.Payload().(engine.PolicyRemediationEventPayload)})
		case engine.PolicyAnalyzeSummaryEvent:
			r.Summaries = append(r.Summaries, e.Payload().(engine.PolicyAnalyzeSummaryEventPayload))
		case engine.PolicyAnalyzeStackSummaryEvent:
			r.StackSummaries = append(r.StackSummaries,
				e.Payload().(engine.PolicyAnalyzeStackSummaryEventPayload))
		case engine.DiagEvent:
			p := e.Payload().(engine.DiagEventPayload)
			r.Diags = append(r.Diags, Diag{URN: p.URN, Severity: p.Severity,
				Message: colors.Never.Colorize(p.Message)})
		}
	}
	sort.SliceStable(r.Violations, func(i, j int) bool {
		a, b := r.Violations[i], r.Violations[j]
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Policy < b.Policy
	})
}
