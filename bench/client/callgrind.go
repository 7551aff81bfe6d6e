package main

// Instruction counts per Analyze call under valgrind --tool=callgrind. One process run does the
// engine's bootstrap and N calls of the mix, then Cancel + SIGINT (callgrind writes its file at
// exit). Two runs with N1 and N2 calls give the per-call count as (Ir(N2) - Ir(N1)) / (N2 - N1):
// startup, bootstrap and shutdown cancel out, so the figure is stable across runs and machines.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"pulumi-policy-c/bench/client/workload"
)

// Calls that go through the handler besides the Analyze calls: Handshake, ConfigureStack,
// GetPluginInfo, GetAnalyzerInfo, Configure, Cancel.
const bootstrapCalls = 6

type cgPair struct {
	Ir1     int64   `json:"ir_n1"`
	Ir2     int64   `json:"ir_n2"`
	PerCall float64 `json:"ir_per_call"`
}

type cgResult struct {
	ID            string   `json:"id"`
	N1            int      `json:"n1"`
	N2            int      `json:"n2"`
	Pairs         []cgPair `json:"pairs"`
	PerCallMedian float64  `json:"ir_per_call_median"`
	PerCallMin    float64  `json:"ir_per_call_min"`
	PerCallMax    float64  `json:"ir_per_call_max"`
	TopInclusive  []string `json:"top_inclusive,omitempty"`
	TopSelf       []string `json:"top_self,omitempty"`
	// With -cg-toggle: only instructions executed inside that function (the request handler),
	// so the profile is the per-request work without startup and gRPC transport.
	Toggle          string   `json:"toggle_function,omitempty"`
	ToggleIrPerCall float64  `json:"toggle_ir_per_call,omitempty"`
	ToggleInclusive []string `json:"toggle_top_inclusive,omitempty"`
	ToggleSelf      []string `json:"toggle_top_self,omitempty"`
	// With -cg-stack N: one AnalyzeStack of N resources, collected inside -cg-stack-fn only.
	StackN            int      `json:"stack_resources,omitempty"`
	StackFn           string   `json:"stack_function,omitempty"`
	StackIr           int64    `json:"stack_ir,omitempty"`
	StackTopInclusive []string `json:"stack_top_inclusive,omitempty"`
	StackTopSelf      []string `json:"stack_top_self,omitempty"`
	Error             string   `json:"error,omitempty"`
}

func cgOnce(c Contender, engineAddr string, reqs []*pulumirpc.AnalyzeRequest, n int, file string, extra ...string) (int64, error) {
	wrap := append([]string{"valgrind", "--tool=callgrind", "--callgrind-out-file=" + file, "--dump-instr=no"}, extra...)
	p, err := spawn(c, engineAddr, wrap)
	if err != nil {
		return 0, err
	}
	if _, _, err := p.bootstrap(c, engineAddr); err != nil {
		p.kill()
		return 0, err
	}
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		_, err := p.cli.Analyze(ctx, reqs[i%len(reqs)])
		cancel()
		if err != nil {
			p.kill()
			return 0, fmt.Errorf("Analyze: %w\n%s", err, p.tail())
		}
	}
	// Under valgrind the exit takes longer than the engine's 5 s grace on a slow machine;
	// wait here instead of killing (a killed callgrind writes no totals).
	p.graceful(120 * time.Second)
	return cgTotal(file)
}

// graceful is shutdown with a longer grace, for processes under valgrind.
func (p *proc) graceful(grace time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_, _ = p.cli.Cancel(ctx, &emptypb.Empty{})
	cancel()
	_ = p.conn.Close()
	_ = syscall.Kill(-p.pid, syscall.SIGINT)
	select {
	case <-p.waited:
	case <-time.After(grace):
		p.kill()
	}
}

func cgTotal(file string) (int64, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var total int64 = -1
	for sc.Scan() {
		l := sc.Text()
		for _, pre := range []string{"totals:", "summary:"} {
			if strings.HasPrefix(l, pre) {
				f := strings.Fields(l[len(pre):])
				if len(f) > 0 {
					if v, err := strconv.ParseInt(f[0], 10, 64); err == nil {
						total = v
					}
				}
			}
		}
	}
	if total < 0 {
		return 0, fmt.Errorf("%s: no totals line", file)
	}
	return total, nil
}

// annotate returns the top lines of callgrind_annotate for the file.
func annotate(file string, inclusive bool, n int) []string {
	args := []string{"--threshold=99"}
	if inclusive {
		args = append(args, "--inclusive=yes")
	}
	out, err := exec.Command("callgrind_annotate", append(args, file)...).Output()
	if err != nil {
		return []string{"callgrind_annotate failed: " + err.Error()}
	}
	var lines []string
	started := false
	for _, l := range strings.Split(string(out), "\n") {
		t := strings.TrimSpace(l)
		if !started {
			// The function table follows the "Ir  file:function" header.
			if strings.Contains(t, "file:function") {
				started = true
			}
			continue
		}
		if t == "" || strings.HasPrefix(t, "--") {
			if len(lines) > 0 {
				break
			}
			continue
		}
		lines = append(lines, t)
		if len(lines) == n {
			break
		}
	}
	return lines
}

// cgStack profiles one AnalyzeStack of n resources, collecting only inside fn.
func cgStack(c Contender, engineAddr string, n int, fn, file string) (int64, error) {
	wrap := []string{"valgrind", "--tool=callgrind", "--callgrind-out-file=" + file, "--dump-instr=no",
		"--collect-atstart=no"}
	// Several functions (comma-separated): the handler and the threads it starts, never nested
	// in one another (a nested toggle would switch collection off again).
	for _, f := range strings.Split(fn, ",") {
		wrap = append(wrap, "--toggle-collect="+f)
	}
	p, err := spawn(c, engineAddr, wrap)
	if err != nil {
		return 0, err
	}
	if _, _, err := p.bootstrap(c, engineAddr); err != nil {
		p.kill()
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Second)
	_, err = p.cli.AnalyzeStack(ctx, workload.StackRequest(uint64(n)+42, n))
	cancel()
	if err != nil {
		p.kill()
		return 0, fmt.Errorf("AnalyzeStack: %w", err)
	}
	p.graceful(120 * time.Second)
	return cgTotal(file)
}

func runCallgrind(cs []Contender, ids, engineAddr, calls string, reps int, dir string, seed uint64, out, toggle string,
	stackN int, stackFn string) {
	var n1, n2 int
	if _, err := fmt.Sscanf(calls, "%d,%d", &n1, &n2); err != nil || n2 <= n1 {
		fatalf("-cg-calls wants N1,N2 with N2 > N1")
	}
	if dir == "" {
		dir = os.TempDir()
	}
	_ = os.MkdirAll(dir, 0o755)
	reqs := workload.AnalyzeRequests(seed, n2)
	var results []cgResult
	for _, id := range strings.Split(ids, ",") {
		var c *Contender
		for i := range cs {
			if cs[i].ID == id {
				c = &cs[i]
			}
		}
		if c == nil {
			fatalf("no contender %q", id)
		}
		r := cgResult{ID: id, N1: n1, N2: n2}
		var last string
		for k := 0; k < reps && r.Error == ""; k++ {
			f1 := filepath.Join(dir, fmt.Sprintf("callgrind.%s.%d.n1.out", id, k))
			f2 := filepath.Join(dir, fmt.Sprintf("callgrind.%s.%d.n2.out", id, k))
			fmt.Fprintf(os.Stderr, "callgrind %s: %d calls ... ", id, n1)
			ir1, err := cgOnce(*c, engineAddr, reqs, n1, f1)
			if err == nil {
				fmt.Fprintf(os.Stderr, "%d calls ... ", n2)
				var ir2 int64
				ir2, err = cgOnce(*c, engineAddr, reqs, n2, f2)
				if err == nil {
					pc := float64(ir2-ir1) / float64(n2-n1)
					fmt.Fprintf(os.Stderr, "%.0f Ir/call\n", pc)
					r.Pairs = append(r.Pairs, cgPair{ir1, ir2, pc})
					last = f2
				}
			}
			if err != nil {
				r.Error = err.Error()
				fmt.Fprintf(os.Stderr, "ERROR %v\n", err)
			}
		}
		if len(r.Pairs) > 0 {
			var v []float64
			for _, p := range r.Pairs {
				v = append(v, p.PerCall)
			}
			sort.Float64s(v)
			r.PerCallMedian, r.PerCallMin, r.PerCallMax = v[len(v)/2], v[0], v[len(v)-1]
			r.TopInclusive = annotate(last, true, 30)
			r.TopSelf = annotate(last, false, 30)
		}
		if toggle != "" && r.Error == "" && id == "ours" {
			f := filepath.Join(dir, fmt.Sprintf("callgrind.%s.toggle.out", id))
			fmt.Fprintf(os.Stderr, "callgrind %s: %d calls, collecting inside %s only ... ", id, n2, toggle)
			ir, err := cgOnce(*c, engineAddr, reqs, n2, f, "--collect-atstart=no", "--toggle-collect="+toggle)
			if err != nil {
				fmt.Fprintf(os.Stderr, "ERROR %v\n", err)
			} else {
				r.Toggle, r.ToggleIrPerCall = toggle, float64(ir)/float64(n2+bootstrapCalls)
				fmt.Fprintf(os.Stderr, "%.0f Ir/call\n", r.ToggleIrPerCall)
				r.ToggleInclusive = annotate(f, true, 40)
				r.ToggleSelf = annotate(f, false, 40)
			}
		}
		if stackN > 0 && r.Error == "" && id == "ours" {
			f := filepath.Join(dir, fmt.Sprintf("callgrind.%s.stack.out", id))
			fmt.Fprintf(os.Stderr, "callgrind %s: AnalyzeStack of %d resources inside %s ... ", id, stackN, stackFn)
			ir, err := cgStack(*c, engineAddr, stackN, stackFn, f)
			if err != nil {
				fmt.Fprintf(os.Stderr, "ERROR %v\n", err)
			} else {
				fmt.Fprintf(os.Stderr, "%d Ir\n", ir)
				r.StackN, r.StackFn, r.StackIr = stackN, stackFn, ir
				r.StackTopInclusive = annotate(f, true, 40)
				r.StackTopSelf = annotate(f, false, 25)
			}
		}
		results = append(results, r)
	}
	b, _ := json.MarshalIndent(results, "", "  ")
	if out != "" {
		if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
			fatalf("write %s: %v", out, err)
		}
	}
	for _, r := range results {
		fmt.Printf("callgrind %-8s %12.0f Ir per Analyze call [%0.f-%0.f] over %d pairs (%d vs %d calls)\n",
			r.ID, r.PerCallMedian, r.PerCallMin, r.PerCallMax, len(r.Pairs), r.N2, r.N1)
	}
}
