// Command e2ebench times a `pulumi preview --policy-pack DIR` of a large program through Pulumi's
// real engine (pkg/v3 v3.259.0 used as a library, as test/e2e does): the program and an "aws"
// provider run in-process (deploytest), every policy pack is booted by the CLI's own default
// plugin host (pkg/host), so the pack is spawned, handshaken, configured, sent Remediate +
// Analyze for every resource and AnalyzeStack at the end, then shut down, exactly as by the CLI.
//
// It previews the same program without a pack (the engine's own cost), with our pack and with
// the like-for-like Node pack, interleaved, and reports wall time and the policy overhead
// (preview with pack - preview without). Self-contained on purpose: nothing is imported from
// test/e2e (its harness is the model; this is a smaller copy tuned for timing).
//
//	e2ebench -analyzer build-bench/pulumi-analyzer-policy-c -node-pack bench/node/like -n 10000 -out e2e.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	pulumihost "github.com/pulumi/pulumi/pkg/v3/host"
	"github.com/pulumi/pulumi/pkg/v3/pluginstorage"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/pkg/v3/util/cancel"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/providers"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"pulumi-policy-c/bench/client/workload"
)

const awsVersion = "7.12.0"

// dumpDir, when set (-dump), receives the sorted violations of every preview (policy, level, URN).
var dumpDir string

// ---- host: deploytest for program and provider, the real host for policy packs --------------

type hybridHost struct {
	plugin.Host
	real plugin.Host
}

func (h *hybridHost) PolicyAnalyzer(ctx *plugin.Context, name tokens.QName, path string,
	opts *plugin.PolicyAnalyzerOptions,
) (plugin.Analyzer, error) {
	return h.real.PolicyAnalyzer(ctx, name, path, opts)
}

func (h *hybridHost) ReleaseContext(ctx *plugin.Context) error {
	err := h.real.ReleaseContext(ctx)
	if e := h.Host.ReleaseContext(ctx); err == nil {
		err = e
	}
	return err
}

func (h *hybridHost) SignalCancellation() error {
	_ = h.real.SignalCancellation()
	return h.Host.SignalCancellation()
}

func (h *hybridHost) Close() error {
	_ = h.real.Close()
	return h.Host.Close()
}

// nopPluginManager: every plugin is "installed" (the aws provider is in-process); analyzers are
// not resolved through it.
type nopPluginManager struct{}

func (nopPluginManager) GetPluginPath(context.Context, diag.Sink, workspace.PluginDescriptor,
	[]workspace.ProjectPlugin,
) (string, error) {
	return "installed", nil
}
func (nopPluginManager) HasPlugin(context.Context, workspace.PluginDescriptor) bool { return true }
func (nopPluginManager) HasPluginGTE(context.Context, workspace.PluginDescriptor) (bool, *semver.Version, error) {
	return true, nil, nil
}
func (nopPluginManager) GetLatestVersion(context.Context, workspace.PluginDescriptor) (*semver.Version, error) {
	return semver.New("1.0.0")
}
func (nopPluginManager) GetPlugins(context.Context) ([]workspace.PluginInfo, error) {
	return []workspace.PluginInfo{}, nil
}
func (nopPluginManager) DownloadPlugin(context.Context, workspace.PluginDescriptor,
	func(io.ReadCloser, int64) io.ReadCloser, func(error, int, int, time.Duration),
) (io.ReadCloser, int64, error) {
	return io.NopCloser(strings.NewReader("")), 0, nil
}
func (nopPluginManager) InstallPlugin(context.Context, workspace.PluginDescriptor, pluginstorage.Content, bool) error {
	return nil
}

// fakeAWS: Check echoes the inputs; Create returns the inputs (preview: no computed outputs).
func fakeAWS() *deploytest.ProviderLoader {
	return deploytest.NewProviderLoader("aws", semver.MustParse(awsVersion), func() (plugin.Provider, error) {
		return &deploytest.Provider{
			CheckF: func(_ context.Context, req plugin.CheckRequest) (plugin.CheckResponse, error) {
				return plugin.CheckResponse{Properties: req.News}, nil
			},
			CreateF: func(_ context.Context, req plugin.CreateRequest) (plugin.CreateResponse, error) {
				return plugin.CreateResponse{Properties: req.Properties, Status: resource.StatusOK}, nil
			},
		}, nil
	})
}

// ---- the program ------------------------------------------------------------------------------

var unknownValue = resource.MakeComputed(resource.NewProperty(""))

// toProperty converts a workload value (sentinel strings for unknowns, signature objects for
// secrets, archives and assets) into what a program's SDK would have registered.
func toProperty(v any) resource.PropertyValue {
	switch t := v.(type) {
	case string:
		if t == workload.Unknown {
			return unknownValue
		}
		return resource.NewProperty(t)
	case float64:
		return resource.NewProperty(t)
	case bool:
		return resource.NewProperty(t)
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = toProperty(e)
		}
		return resource.NewProperty(arr)
	case map[string]any:
		switch t[workload.SigKey] {
		case workload.SecretSig:
			return resource.MakeSecret(toProperty(t["value"]))
		case workload.AssetSig:
			a, err := resource.NewTextAsset(fmt.Sprint(t["text"]))
			if err != nil {
				panic(err)
			}
			return resource.NewProperty(a)
		case workload.ArchSig:
			assets := map[string]any{}
			for name, av := range t["assets"].(map[string]any) {
				a, err := resource.NewTextAsset(fmt.Sprint(av.(map[string]any)["text"]))
				if err != nil {
					panic(err)
				}
				assets[name] = a
			}
			arch, err := resource.NewAssetArchive(assets)
			if err != nil {
				panic(err)
			}
			return resource.NewProperty(arch)
		}
		pm := resource.PropertyMap{}
		for k, e := range t {
			pm[resource.PropertyKey(k)] = toProperty(e)
		}
		return resource.NewProperty(pm)
	case nil:
		return resource.NewNullProperty()
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

func toMap(m map[string]any) resource.PropertyMap {
	pm := resource.PropertyMap{}
	for k, v := range m {
		pm[resource.PropertyKey(k)] = toProperty(v)
	}
	return pm
}

// program registers the stack, the explicit providers and n resources of the benchmark mix
// from `workers` goroutines (the SDKs register concurrently; the engine sees many in flight).
func program(seed uint64, n, workers int) deploytest.ProgramFunc {
	provs := workload.Providers(seed)
	res := workload.Resources(seed, n)
	return func(_ plugin.RunInfo, mon *deploytest.ResourceMonitor) error {
		st, err := mon.RegisterResource(resource.RootStackType, workload.Project+"-"+workload.Stack, false)
		if err != nil {
			return err
		}
		refs := map[string]string{}
		for _, p := range provs {
			if strings.HasPrefix(p.Name, "default") {
				continue // resources on it use the engine's own default provider
			}
			r, err := mon.RegisterResource(providers.MakeProviderType("aws"), p.Name, true, deploytest.ResourceOptions{
				Parent: st.URN, Inputs: toMap(p.Props), Version: awsVersion})
			if err != nil {
				return err
			}
			ref, err := providers.NewReference(r.URN, r.ID)
			if err != nil {
				return err
			}
			refs[p.Name] = ref.String()
		}
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		next := make(chan workload.Resource)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for r := range next {
					_, err := mon.RegisterResource(tokens.Type(r.Type), r.Name, true, deploytest.ResourceOptions{
						Parent: st.URN, Inputs: toMap(r.Props), Provider: refs[r.Provider], Version: awsVersion})
					if err != nil {
						select {
						case errs <- fmt.Errorf("%s %s: %w", r.Type, r.Name, err):
						default:
						}
					}
				}
			}()
		}
		for _, r := range res {
			next <- r
		}
		close(next)
		wg.Wait()
		select {
		case err := <-errs:
			return err
		default:
		}
		return mon.RegisterResourceOutputs(st.URN, resource.PropertyMap{})
	}
}

// ---- one preview ----------------------------------------------------------------------------

type previewResult struct {
	Pack       string  `json:"pack"`
	Seconds    float64 `json:"seconds"`
	Violations int     `json:"violations"`
	Mandatory  int     `json:"mandatory"`
	Loads      int     `json:"policy_pack_loads"`
	PackCPU    float64 `json:"pack_cpu_seconds"` // user+sys of the analyzer process(es), from RUSAGE_CHILDREN
	Error      string  `json:"error,omitempty"`
	FirstDiags string  `json:"first_errors,omitempty"`
}

func preview(prog deploytest.ProgramFunc, packPath, packConfig, label string, parallel int32) previewResult {
	out := previewResult{Pack: label}
	root, err := os.MkdirTemp("", "e2ebench-program-")
	if err != nil {
		out.Error = err.Error()
		return out
	}
	defer os.RemoveAll(root)
	var hosts []*hybridHost
	opts := engine.UpdateOptions{
		Parallel: parallel,
		HostFactory: func(ctx context.Context, d, statusD diag.Sink, dbg plugin.DebugContext) (plugin.Host, error) {
			real, err := pulumihost.New(ctx, d, statusD, dbg, nil, nil, nil, nil)
			if err != nil {
				return nil, err
			}
			h := &hybridHost{Host: deploytest.NewPluginHost(d, statusD, deploytest.NewLanguageRuntime(prog), fakeAWS()),
				real: real}
			hosts = append(hosts, h)
			return h, nil
		},
	}
	if packPath != "" {
		opts.LocalPolicyPacks = []engine.LocalPolicyPack{{Path: packPath, Config: packConfig}}
	}
	proj := &workspace.Project{Name: tokens.PackageName(workload.Project),
		Runtime: workspace.NewProjectRuntimeInfo("test", nil)}
	cfg := config.Map{}
	key, _ := config.ParseKey("aws:region")
	cfg[key] = config.NewValue("us-west-2")
	target := &deploy.Target{Name: tokens.MustParseStackName(workload.Stack), Organization: "organization",
		Config: cfg, Decrypter: config.NopDecrypter, Tags: map[string]string{"pulumi:project": workload.Project}}

	cctx, src := cancel.NewContext(context.Background())
	events := make(chan engine.Event, 1024)
	done := make(chan struct{})
	var diags, dump []string
	go func() {
		for e := range events {
			switch e.Type {
			case engine.PolicyLoadEvent:
				out.Loads++
			case engine.PolicyViolationEvent:
				out.Violations++
				v := e.Payload().(engine.PolicyViolationEventPayload)
				if v.EnforcementLevel == apitype.Mandatory {
					out.Mandatory++
				}
				if dumpDir != "" {
					dump = append(dump, fmt.Sprintf("%s\t%s\t%s", v.PolicyName, v.EnforcementLevel, v.ResourceURN))
				}
			case engine.DiagEvent:
				p := e.Payload().(engine.DiagEventPayload)
				if p.Severity == diag.Error && len(diags) < 5 {
					diags = append(diags, strings.TrimSpace(colors.Never.Colorize(p.Message)))
				}
			}
		}
		close(done)
	}()
	var ru0, ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru0)
	start := time.Now()
	_, _, err = engine.Update(engine.UpdateInfo{Root: root, Project: proj, Target: target},
		&engine.Context{Cancel: cctx, Events: events, PluginManager: nopPluginManager{}}, opts, true)
	for _, h := range hosts {
		_ = h.Close()
	}
	out.Seconds = time.Since(start).Seconds()
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru1)
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	out.PackCPU = tv(ru1.Utime) + tv(ru1.Stime) - tv(ru0.Utime) - tv(ru0.Stime)
	src.Terminate()
	close(events)
	<-done
	// A preview with mandatory violations ends in a bail ("step generator errored"): expected.
	if err != nil && out.Mandatory == 0 {
		out.Error = err.Error()
	}
	out.FirstDiags = strings.Join(diags, " | ")
	if dumpDir != "" {
		sort.Strings(dump)
		f := filepath.Join(dumpDir, fmt.Sprintf("%s.%d.tsv", label, time.Now().UnixNano()))
		_ = os.WriteFile(f, []byte(strings.Join(dump, "\n")+"\n"), 0o644)
	}
	return out
}

// ---- main -------------------------------------------------------------------------------------

type summary struct {
	Median, Min, Max float64
}

func summarize(v []float64) summary {
	if len(v) == 0 {
		return summary{}
	}
	s := append([]float64{}, v...)
	sort.Float64s(s)
	return summary{Median: s[len(s)/2], Min: s[0], Max: s[len(s)-1]}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2ebench:", err)
		os.Exit(1)
	}
}

func main() {
	analyzer := flag.String("analyzer", "", "pulumi-analyzer-policy-c binary")
	packYAML := flag.String("pack-yaml", "", "PulumiPolicy.yaml of our pack (default: next to bench/)")
	nodePack := flag.String("node-pack", "", "like-for-like Node pack directory (with node_modules)")
	floor := flag.String("floor", "", "the gRPC floor server (empty answers): previews with it give the engine + RPC floor")
	only10 := flag.String("like-policies", "", "comma list: also preview our pack with only these policies on (ours-10)")
	n := flag.Int("n", 10000, "resources in the program")
	runs := flag.Int("runs", 1, "previews per contender (interleaved)")
	workers := flag.Int("workers", 16, "concurrent resource registrations in the program")
	parallel := flag.Int("parallel", 16, "engine --parallel")
	out := flag.String("out", "", "write JSON here")
	skipNone := flag.Bool("no-baseline", false, "skip the preview without a pack")
	flag.StringVar(&dumpDir, "dump", "", "write each preview's violations (policy, level, URN) to a file in this directory")
	cpuprof := flag.String("cpuprofile", "", "write a Go CPU profile of the engine side here")
	flag.Parse()
	if *analyzer == "" {
		must(fmt.Errorf("-analyzer is required"))
	}
	bin, err := filepath.Abs(*analyzer)
	must(err)
	tmp, err := os.MkdirTemp("", "e2ebench-")
	must(err)
	defer os.RemoveAll(tmp)

	// What a user's machine has: the analyzer (and for Node packs the classic shim) on PATH, an
	// empty plugin cache, no automatic plugin downloads, no pulumi-language-nodejs (so the engine
	// uses pulumi-analyzer-policy-nodejs: node run-policy-pack <engine> . in the pack dir).
	binDir := filepath.Join(tmp, "bin")
	packDir := filepath.Join(tmp, "pack-c")
	must(os.MkdirAll(binDir, 0o755))
	must(os.MkdirAll(packDir, 0o755))
	must(os.Symlink(bin, filepath.Join(binDir, "pulumi-analyzer-policy-c")))
	must(os.WriteFile(filepath.Join(binDir, "pulumi-analyzer-policy-nodejs"), []byte(
		"#!/bin/sh\nexec node \"$PWD/node_modules/@pulumi/pulumi/cmd/run-policy-pack\" \"$@\"\n"), 0o755))
	yamlPath := *packYAML
	if yamlPath == "" {
		yamlPath = filepath.Join(filepath.Dir(bin), "pack", "PulumiPolicy.yaml")
	}
	y, err := os.ReadFile(yamlPath)
	must(err)
	must(os.WriteFile(filepath.Join(packDir, "PulumiPolicy.yaml"), y, 0o644))
	for k, v := range map[string]string{
		"PATH":        binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_HOME": filepath.Join(tmp, "home"),
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
	} {
		must(os.Setenv(k, v))
	}

	type contender struct{ label, path, config string }
	contenders := []contender{{"ours", packDir, ""}}
	if !*skipNone {
		contenders = append([]contender{{"none", "", ""}}, contenders...)
	}
	if *only10 != "" {
		// --policy-pack-config: everything off but the like-for-like policies, at their defaults.
		cfg := map[string]any{"all": "disabled"}
		for _, p := range strings.Split(*only10, ",") {
			cfg[p] = "mandatory"
		}
		b, _ := json.Marshal(cfg)
		f := filepath.Join(tmp, "ours-10.json")
		must(os.WriteFile(f, b, 0o644))
		contenders = append(contenders, contender{"ours-10", packDir, f})
	}
	if *nodePack != "" {
		p, err := filepath.Abs(*nodePack)
		must(err)
		contenders = append(contenders, contender{"node-like", p, ""})
	}
	if *floor != "" {
		fb, err := filepath.Abs(*floor)
		must(err)
		fd := filepath.Join(tmp, "pack-floor")
		must(os.MkdirAll(fd, 0o755))
		must(os.Symlink(fb, filepath.Join(binDir, "pulumi-analyzer-policy-floor")))
		must(os.WriteFile(filepath.Join(fd, "PulumiPolicy.yaml"), []byte(
			"runtime: floor\nname: floor\nversion: 0.0.1\ndescription: gRPC floor\n"), 0o644))
		contenders = append(contenders, contender{"floor", fd, ""})
	}
	if *cpuprof != "" {
		f, err := os.Create(*cpuprof)
		must(err)
		must(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	prog := program(42, *n, *workers)
	results := map[string][]previewResult{}
	for r := 0; r < *runs; r++ {
		for _, c := range contenders {
			fmt.Fprintf(os.Stderr, "preview %d/%d of %d resources, pack %s ... ", r+1, *runs, *n, c.label)
			pr := preview(prog, c.path, c.config, c.label, int32(*parallel))
			if pr.Error != "" {
				fmt.Fprintf(os.Stderr, "ERROR %s %s\n", pr.Error, pr.FirstDiags)
			} else {
				fmt.Fprintf(os.Stderr, "%.1fs, pack CPU %.1fs, %d violations (%d mandatory)\n", pr.Seconds, pr.PackCPU,
					pr.Violations, pr.Mandatory)
			}
			results[c.label] = append(results[c.label], pr)
		}
	}
	type row struct {
		Pack        string          `json:"pack"`
		Seconds     summary         `json:"seconds"`
		OverheadSec float64         `json:"policy_overhead_seconds"`
		PackCPU     summary         `json:"pack_cpu_seconds"`
		Runs        []previewResult `json:"runs"`
	}
	var rows []row
	base := 0.0
	for _, c := range contenders {
		var v, cpu []float64
		for _, pr := range results[c.label] {
			if pr.Error == "" {
				v = append(v, pr.Seconds)
				cpu = append(cpu, pr.PackCPU)
			}
		}
		s := summarize(v)
		if c.label == "none" {
			base = s.Median
		}
		rows = append(rows, row{Pack: c.label, Seconds: s, OverheadSec: s.Median - base, PackCPU: summarize(cpu),
			Runs: results[c.label]})
	}
	fmt.Printf("\npreview of %d resources through the real engine (pkg/v3 v3.259.0), --parallel %d, %d run(s):\n",
		*n, *parallel, *runs)
	for _, r := range rows {
		fmt.Printf("  %-10s %8.2f s [%.2f-%.2f]   policy overhead %+.2f s   pack CPU %.2f s\n", r.Pack, r.Seconds.Median,
			r.Seconds.Min, r.Seconds.Max, r.OverheadSec, r.PackCPU.Median)
	}
	if *out != "" {
		b, _ := json.MarshalIndent(map[string]any{"resources": *n, "parallel": *parallel, "workers": *workers,
			"runs": *runs, "engine": "github.com/pulumi/pulumi/pkg/v3 v3.259.0", "previews": rows}, "", "  ")
		must(os.WriteFile(*out, append(b, '\n'), 0o644))
	}
}
