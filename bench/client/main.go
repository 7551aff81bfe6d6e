// Command bench drives Pulumi analyzers (policy packs) the way the engine does and measures
// them side by side: startup, per-call Analyze latency, throughput with concurrent callers,
// AnalyzeStack, peak RSS, CPU per call and shutdown. Every contender gets the same client
// (Pulumi's own generated Go stubs), the same requests in the same order and the same machine;
// rounds are interleaved (A B C D, A B C D, ...) so background noise spreads over all of them.
//
//	bench -contenders contenders.json -runs 3 -out results.json
//	bench -callgrind -contenders contenders.json -id ours -out callgrind.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/proto"
	"pulumi-policy-c/bench/client/workload"
)

// kvFlag collects repeated key=value flags.
type kvFlag [][2]string

func (f *kvFlag) String() string { return fmt.Sprint(*f) }
func (f *kvFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want key=value, got %q", s)
	}
	*f = append(*f, [2]string{k, v})
	return nil
}

var wrapCmd []string

type params struct {
	Runs       int     `json:"runs"`
	Warmup     int     `json:"warmup_calls"`
	Sequential int     `json:"sequential_calls"`
	Conc       int     `json:"concurrent_callers"`
	ConcSecs   float64 `json:"concurrent_seconds"`
	Stacks     []int   `json:"stack_sizes"`
	StackReps  int     `json:"stack_repeats"`
	Startups   int     `json:"extra_startup_samples_per_run"`
	Seed       uint64  `json:"seed"`
}

// Run is one start-to-exit measurement of one contender.
type Run struct {
	PortMs        float64 `json:"port_ms"`
	InfoMs        float64 `json:"info_ms"`
	Policies      int     `json:"policies"`
	P50us         float64 `json:"analyze_p50_us"`
	P90us         float64 `json:"analyze_p90_us"`
	P99us         float64 `json:"analyze_p99_us"`
	MeanUs        float64 `json:"analyze_mean_us"`
	Calls         int     `json:"analyze_calls"`
	DiagsPer1k    float64 `json:"diagnostics_per_1000"`
	CPUms1k       float64 `json:"cpu_ms_per_1000"`
	ThroughputRps float64 `json:"throughput_rps"`
	ConcCalls     int64   `json:"throughput_calls"`
	Stack1kMs     float64 `json:"stack_1000_ms"`
	Stack10kMs    float64 `json:"stack_10000_ms"`
	StackDiags10k int     `json:"stack_10000_diagnostics"`
	RSSStartKB    int64   `json:"rss_after_start_kb"`
	PeakRSSKB     int64   `json:"peak_rss_kb"`
	ExitMs        float64 `json:"sigint_exit_ms"`
	Exit          string  `json:"exit"`
	Error         string  `json:"error,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
func us(d time.Duration) float64 { return float64(d) / 1e3 }

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func skip(c Contender, phase string) bool {
	for _, s := range c.Skip {
		if s == phase {
			return true
		}
	}
	return false
}

// measure does one full run of one contender.
func measure(c Contender, engineAddr string, pr params, reqs []*pulumirpc.AnalyzeRequest,
	stacks map[int]*pulumirpc.AnalyzeStackRequest) (r Run) {
	p, err := spawn(c, engineAddr, wrapCmd)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer func() {
		if r.Error != "" {
			r.Error += "\n" + p.tail()
			p.kill()
		}
	}()
	info, infoDur, err := p.bootstrap(c, engineAddr)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Policies = len(info.Policies)
	// Startup figures: this spawn plus pr.Startups extra spawn -> port -> GetAnalyzerInfo -> exit
	// cycles (median), since a single process start is noisy on a shared machine.
	ports, infos := []float64{ms(p.portDur)}, []float64{ms(infoDur)}
	for k := 0; k < pr.Startups; k++ {
		q, err := spawn(c, engineAddr, wrapCmd)
		if err != nil {
			r.Error = "startup sample: " + err.Error()
			return r
		}
		_, d, err := q.bootstrap(c, engineAddr)
		if err != nil {
			q.kill()
			r.Error = "startup sample: " + err.Error()
			return r
		}
		q.shutdown()
		ports, infos = append(ports, ms(q.portDur)), append(infos, ms(d))
	}
	r.PortMs, r.InfoMs = summarize(ports).Median, summarize(infos).Median
	r.RSSStartKB = procStatus(p.pid, "VmRSS")

	call := func(ctx context.Context, req *pulumirpc.AnalyzeRequest) (int, error) {
		resp, err := p.cli.Analyze(ctx, req)
		if err != nil {
			return 0, err
		}
		return len(resp.Diagnostics), nil
	}
	ctx := context.Background()
	// Warm-up (not measured): lets JITs and caches settle, as they would over a large preview.
	for i := 0; i < pr.Warmup; i++ {
		if _, err := call(ctx, reqs[i%len(reqs)]); err != nil {
			r.Error = "Analyze (warm-up): " + err.Error()
			return r
		}
	}

	// Sequential latency, with the server's CPU time over the same window.
	lat := make([]time.Duration, pr.Sequential)
	diags := 0
	runtime.GC()
	cpu0 := procCPU(p.pid)
	var sum time.Duration
	for i := range lat {
		t := time.Now()
		n, err := call(ctx, reqs[i%len(reqs)])
		lat[i] = time.Since(t)
		if err != nil {
			r.Error = "Analyze: " + err.Error()
			return r
		}
		diags += n
		sum += lat[i]
	}
	cpu1 := procCPU(p.pid)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	r.Calls = len(lat)
	r.P50us, r.P90us, r.P99us = us(pct(lat, .50)), us(pct(lat, .90)), us(pct(lat, .99))
	r.MeanUs = us(sum) / float64(len(lat))
	r.DiagsPer1k = float64(diags) * 1000 / float64(len(lat))
	r.CPUms1k = ms(cpu1-cpu0) * 1000 / float64(len(lat))

	// Throughput: pr.Conc callers on the one connection (as the engine multiplexes), fixed time.
	var done atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(time.Duration(pr.ConcSecs * float64(time.Second)))
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < pr.Conc; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i += pr.Conc {
				if _, err := call(ctx, reqs[i%len(reqs)]); err != nil {
					firstErr.CompareAndSwap(nil, err.Error())
					return
				}
				done.Add(1)
			}
		}(w)
	}
	wg.Wait()
	el := time.Since(t0)
	if e := firstErr.Load(); e != nil {
		r.Error = "Analyze (concurrent): " + e.(string)
		return r
	}
	r.ConcCalls = done.Load()
	r.ThroughputRps = float64(r.ConcCalls) / el.Seconds()

	// AnalyzeStack: median of pr.StackReps calls per size.
	for _, n := range pr.Stacks {
		if skip(c, fmt.Sprintf("stack%d", n)) {
			continue
		}
		var ds []time.Duration
		reps := pr.StackReps
		if n >= 10000 && reps > 1 {
			reps = 1 + reps/2
		}
		for k := 0; k < reps; k++ {
			sctx, cancel := context.WithTimeout(ctx, 300*time.Second)
			t := time.Now()
			resp, err := p.cli.AnalyzeStack(sctx, stacks[n])
			d := time.Since(t)
			cancel()
			if err != nil {
				r.Error = fmt.Sprintf("AnalyzeStack(%d): %v", n, err)
				return r
			}
			ds = append(ds, d)
			if n == 10000 {
				r.StackDiags10k = len(resp.Diagnostics)
			}
		}
		sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
		switch n {
		case 1000:
			r.Stack1kMs = ms(ds[len(ds)/2])
		case 10000:
			r.Stack10kMs = ms(ds[len(ds)/2])
		}
	}
	r.PeakRSSKB = procStatus(p.pid, "VmHWM")
	d, how := p.shutdown()
	r.ExitMs, r.Exit = ms(d), how
	return r
}

// Summary is median and spread of one metric over the runs.
type Summary struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	N      int     `json:"n"`
}

func summarize(vals []float64) Summary {
	if len(vals) == 0 {
		return Summary{}
	}
	s := append([]float64{}, vals...)
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Summary{Median: med, Min: s[0], Max: s[len(s)-1], N: len(s)}
}

// metric is a column of the table: how to read it from a Run and how to print it.
type metric struct {
	key, title, unit string
	get              func(Run) float64
	higherBetter     bool
}

var metrics = []metric{
	{"port_ms", "spawn -> port line", "ms", func(r Run) float64 { return r.PortMs }, false},
	{"info_ms", "spawn -> GetAnalyzerInfo", "ms", func(r Run) float64 { return r.InfoMs }, false},
	{"analyze_p50_us", "Analyze p50", "us", func(r Run) float64 { return r.P50us }, false},
	{"analyze_p90_us", "Analyze p90", "us", func(r Run) float64 { return r.P90us }, false},
	{"analyze_p99_us", "Analyze p99", "us", func(r Run) float64 { return r.P99us }, false},
	{"throughput_rps", "throughput (16 callers)", "calls/s", func(r Run) float64 { return r.ThroughputRps }, true},
	{"stack_1000_ms", "AnalyzeStack 1,000", "ms", func(r Run) float64 { return r.Stack1kMs }, false},
	{"stack_10000_ms", "AnalyzeStack 10,000", "ms", func(r Run) float64 { return r.Stack10kMs }, false},
	{"peak_rss_mb", "peak RSS (VmHWM)", "MB", func(r Run) float64 { return float64(r.PeakRSSKB) / 1024 }, false},
	{"cpu_ms_per_1000", "CPU per 1,000 Analyze", "ms", func(r Run) float64 { return r.CPUms1k }, false},
	{"sigint_exit_ms", "SIGINT -> exit", "ms", func(r Run) float64 { return r.ExitMs }, false},
}

// ContenderResult is everything about one contender.
type ContenderResult struct {
	Contender
	Policies   int                `json:"policies"`
	DiagsPer1k float64            `json:"diagnostics_per_1000"`
	Exit       string             `json:"exit"`
	Runs       []Run              `json:"runs"`
	Summary    map[string]Summary `json:"summary"`
}

type Results struct {
	Schema      int                           `json:"schema"`
	Date        string                        `json:"date"`
	Mode        string                        `json:"mode"`
	Host        map[string]string             `json:"host"`
	Params      params                        `json:"params"`
	Contenders  []*ContenderResult            `json:"contenders"`
	Ratios      map[string]map[string]float64 `json:"ratios"` // "<id>/<ref>" -> metric -> ratio of medians
	Callgrind   json.RawMessage               `json:"callgrind,omitempty"`
	E2E         json.RawMessage               `json:"e2e,omitempty"`
	Equivalence json.RawMessage               `json:"equivalence,omitempty"`
	Targets     []Target                      `json:"targets"`
	Caveats     []string                      `json:"caveats"`
	Environment map[string]string             `json:"versions,omitempty"`
	Workload    map[string]any                `json:"workload,omitempty"`
	Previous    *prevComparison               `json:"previous,omitempty"` // instruction counts against the replaced results
}

func fmtVal(v float64) string {
	switch {
	case v == 0:
		return "-"
	case v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func main() {
	var (
		cfile     = flag.String("contenders", "", "JSON file: array of contenders")
		out       = flag.String("out", "", "write results JSON here")
		pr        params
		stacks    = flag.String("stacks", "1000,10000", "AnalyzeStack sizes")
		mode      = flag.String("mode", "full", "label stored in the results (full or quick)")
		cg        = flag.Bool("callgrind", false, "instruction counts per Analyze call of one contender under callgrind")
		cgID      = flag.String("id", "ours", "contender for -callgrind")
		cgCalls   = flag.String("cg-calls", "200,1200", "two call counts for -callgrind (per-call = difference / delta)")
		cgReps    = flag.Int("cg-reps", 2, "repeat the callgrind pair this many times")
		cgDir     = flag.String("cg-dir", "", "where callgrind writes its output files")
		only      = flag.String("only", "", "run only these contender ids (comma list)")
		wrap      = flag.String("wrap", "", "profiling: prefix every contender's command with these words (e.g. \"perf record -g -o F --\")")
		cgStackN  = flag.Int("cg-stack", 0, "with -callgrind: also profile one AnalyzeStack of this many resources (ours)")
		cgStackFn = flag.String("cg-stack-fn", "an_analyze_stack,run_worker_thread",
			"functions to collect inside for -cg-stack (comma list: the handler and the threads it starts)")
		equiv  = flag.String("equiv", "", "compare which policies fire for two contenders (A,B) over -n requests")
		cgTog  = flag.String("cg-toggle", "", "also profile only inside this function of contender ours (e.g. the request handler)")
		meta   kvFlag
		attach kvFlag
		prev   = flag.String("previous", "", "results of an earlier run: compare the instruction counts with it")
	)
	flag.Var(&meta, "meta", "key=value stored under versions in the results (repeatable)")
	flag.Var(&attach, "attach", "name=file.json embedded in the results (callgrind, e2e; repeatable)")
	flag.IntVar(&pr.Runs, "runs", 3, "runs per contender")
	flag.IntVar(&pr.Warmup, "warmup", 1000, "warm-up Analyze calls per run (not measured)")
	flag.IntVar(&pr.Sequential, "n", 10000, "sequential Analyze calls per run")
	flag.IntVar(&pr.Conc, "conc", 16, "concurrent callers")
	flag.Float64Var(&pr.ConcSecs, "conc-secs", 5, "seconds of the concurrent phase")
	flag.IntVar(&pr.StackReps, "stack-reps", 3, "AnalyzeStack calls per size per run (median; 10,000 uses 1+reps/2)")
	flag.Uint64Var(&pr.Seed, "seed", 42, "workload seed")
	flag.IntVar(&pr.Startups, "startups", 4, "extra spawn -> GetAnalyzerInfo -> exit samples per run (startup medians)")
	flag.Parse()
	wrapCmd = strings.Fields(*wrap)
	for _, s := range strings.Split(*stacks, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(s), &n); err == nil && n > 0 {
			pr.Stacks = append(pr.Stacks, n)
		}
	}
	var cs []Contender
	b, err := os.ReadFile(*cfile)
	if err == nil {
		err = json.Unmarshal(b, &cs)
	}
	if err != nil {
		fatalf("contenders: %v", err)
	}
	if *only != "" {
		keep := map[string]bool{}
		for _, id := range strings.Split(*only, ",") {
			keep[id] = true
		}
		var f []Contender
		for _, c := range cs {
			if keep[c.ID] {
				f = append(f, c)
			}
		}
		cs = f
	}
	engineAddr, stopEngine, err := startEngine()
	if err != nil {
		fatalf("engine endpoint: %v", err)
	}
	defer stopEngine()

	if *cg {
		runCallgrind(cs, *cgID, engineAddr, *cgCalls, *cgReps, *cgDir, pr.Seed, *out, *cgTog, *cgStackN, *cgStackFn)
		return
	}

	if *equiv != "" {
		runEquiv(cs, *equiv, engineAddr, workload.AnalyzeRequests(pr.Seed, pr.Sequential), *out)
		return
	}

	n := pr.Sequential
	if n < pr.Warmup {
		n = pr.Warmup
	}
	reqs := workload.AnalyzeRequests(pr.Seed, n)
	stackReqs := map[int]*pulumirpc.AnalyzeStackRequest{}
	for _, s := range pr.Stacks {
		stackReqs[s] = workload.StackRequest(pr.Seed+uint64(s), s)
	}
	res := &Results{Schema: 1, Date: time.Now().UTC().Format(time.RFC3339), Mode: *mode, Params: pr,
		Host: hostInfo(), Ratios: map[string]map[string]float64{}, Environment: map[string]string{}}
	for _, kv := range meta {
		res.Environment[kv[0]] = kv[1]
	}
	for _, kv := range attach {
		b, err := os.ReadFile(kv[1])
		if err != nil || !json.Valid(b) {
			fmt.Fprintf(os.Stderr, "bench: -attach %s: unreadable or not JSON, skipped\n", kv[1])
			continue
		}
		switch kv[0] {
		case "callgrind":
			res.Callgrind = b
		case "e2e":
			res.E2E = b
		case "equivalence":
			res.Equivalence = b
		}
	}
	var total int
	for _, r := range reqs {
		total += proto.Size(r)
	}
	res.Workload = map[string]any{"analyze_requests_distinct": len(reqs), "analyze_request_mean_bytes": total / len(reqs),
		"unknown_sentinel": workload.Unknown, "secret_signature": workload.SecretSig}
	for n, r := range stackReqs {
		res.Workload[fmt.Sprintf("stack_%d_request_bytes", n)] = proto.Size(r)
	}
	for _, c := range cs {
		res.Contenders = append(res.Contenders, &ContenderResult{Contender: c})
	}
	for run := 0; run < pr.Runs; run++ {
		for _, cr := range res.Contenders {
			fmt.Fprintf(os.Stderr, "run %d/%d: %s ... ", run+1, pr.Runs, cr.ID)
			t := time.Now()
			r := measure(cr.Contender, engineAddr, pr, reqs, stackReqs)
			if r.Error != "" {
				fmt.Fprintf(os.Stderr, "ERROR %s\n", r.Error)
			} else {
				fmt.Fprintf(os.Stderr, "%.1fs (p50 %.0fus, %.0f calls/s)\n", time.Since(t).Seconds(), r.P50us, r.ThroughputRps)
			}
			cr.Runs = append(cr.Runs, r)
		}
	}
	for _, cr := range res.Contenders {
		cr.Summary = map[string]Summary{}
		for _, m := range metrics {
			var vals []float64
			for _, r := range cr.Runs {
				if r.Error == "" {
					vals = append(vals, m.get(r))
				}
			}
			cr.Summary[m.key] = summarize(vals)
		}
		for _, r := range cr.Runs {
			if r.Error == "" {
				cr.Policies, cr.DiagsPer1k, cr.Exit = r.Policies, r.DiagsPer1k, r.Exit
			}
		}
	}
	for _, ref := range []string{"ours", "floor"} {
		var rc *ContenderResult
		for _, cr := range res.Contenders {
			if cr.ID == ref {
				rc = cr
			}
		}
		if rc == nil {
			continue
		}
		for _, cr := range res.Contenders {
			if cr.ID == ref {
				continue
			}
			m := map[string]float64{}
			for _, mt := range metrics {
				a, b := cr.Summary[mt.key].Median, rc.Summary[mt.key].Median
				if a > 0 && b > 0 {
					m[mt.key] = a / b
				}
			}
			res.Ratios[cr.ID+"/"+ref] = m
		}
	}
	res.Targets = evalTargets(res)
	res.Caveats = []string{
		"Same machine, same run: contenders are interleaved run by run; the Go client shares the CPUs with the server under test.",
		"Latency and throughput include the Go gRPC client's own cost (identical for every contender); the floor contender measures exactly that plus gRPC C core.",
		"Node contenders are started the way pulumi-language-nodejs does (node run-policy-pack <engine> <packDir>, cwd = pack dir), without the language host's proxy in between, which favours them slightly.",
		"Contender 'ours' runs every policy of the pack with defaults; the like-for-like Node pack runs ten of them.",
	}
	if *prev != "" {
		res.Previous = comparePrevious(*prev, res)
	}
	printTable(os.Stdout, res)
	if *out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
			fatalf("write %s: %v", *out, err)
		}
	}
}

func fatalf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+f+"\n", a...)
	os.Exit(1)
}

func hostInfo() map[string]string {
	h := map[string]string{"goos": runtime.GOOS, "goarch": runtime.GOARCH, "cpus": fmt.Sprint(runtime.NumCPU()),
		"go": runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				h["cpu"] = strings.TrimSpace(l[strings.IndexByte(l, ':')+1:])
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		h["kernel"] = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		h["loadavg_at_start"] = strings.TrimSpace(string(b))
	}
	return h
}
