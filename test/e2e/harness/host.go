// Package harness drives the C policy pack through Pulumi's real deployment engine
// (pkg/v3/engine), used as a Go library: the program and an "aws" provider run in-process
// (deploytest), while policy packs are booted by Pulumi's real default plugin host
// (pkg/host), i.e. exactly the code path of `pulumi preview --policy-pack`.
package harness

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// hybridHost serves the program, the language runtime and the providers from the deploytest
// host it embeds, and hands every policy pack to the real default host. Only the methods that
// involve analyzers are overridden; everything else (Provider, LanguageRuntime("test"),
// ServerAddr, Log, Loader...) is the deploytest host's.
type hybridHost struct {
	plugin.Host             // deploytest host
	real        plugin.Host // pkg/host default host (the CLI's)
	obs         *procObserver
}

func (h *hybridHost) PolicyAnalyzer(ctx *plugin.Context, name tokens.QName, path string,
	opts *plugin.PolicyAnalyzerOptions,
) (plugin.Analyzer, error) {
	a, err := h.real.PolicyAnalyzer(ctx, name, path, opts)
	if err == nil && a != nil {
		// The process has started, handshaken and answered ConfigureStack and
		// GetPluginInfo by now: record how it was launched.
		h.obs.scan()
	}
	return a, err
}

// LanguageRuntime serves the program's own runtime ("test") from deploytest. Any other runtime
// is a policy pack's (PulumiPolicy.yaml `runtime: c` when a pulumi-language-c plugin exists:
// ExecPlugin then asks ctx.Host for it and calls RunPlugin), which the real host starts.
func (h *hybridHost) LanguageRuntime(ctx *plugin.Context, runtime string) (plugin.LanguageRuntime, error) {
	if runtime != ProgramRuntime {
		return h.real.LanguageRuntime(ctx, runtime)
	}
	return h.Host.LanguageRuntime(ctx, runtime)
}

// ReleaseContext is where the engine shuts analyzers down at the end of an operation
// (deployment.Close -> plugin.Context.Close): Cancel RPC, close the connection, SIGINT to
// the process group, wait up to 5 s, SIGKILL. We time it per analyzer process.
func (h *hybridHost) ReleaseContext(ctx *plugin.Context) error {
	stop := h.obs.watchExits()
	err := h.real.ReleaseContext(ctx)
	stop()
	return errors.Join(err, h.Host.ReleaseContext(ctx))
}

func (h *hybridHost) SignalCancellation() error {
	return errors.Join(h.real.SignalCancellation(), h.Host.SignalCancellation())
}

// Close is idempotent on both hosts. Analyzers normally are gone already (ReleaseContext).
func (h *hybridHost) Close() error {
	stop := h.obs.watchExits()
	err := h.real.Close()
	stop()
	return errors.Join(err, h.Host.Close())
}

// AnalyzerProc describes one analyzer process the real host launched, read from /proc
// while it was running.
type AnalyzerProc struct {
	PID  int
	Exe  string            // resolved /proc/PID/exe
	Argv []string          // argv[0] included
	Cwd  string            // working directory the engine gave it
	Env  map[string]string // only the PULUMI_* variables
	// ShutdownStart is when the host began shutting the analyzer down (Cancel RPC, then
	// SIGINT); Exited is when the process was gone. ExitAfter = Exited - ShutdownStart.
	ShutdownStart time.Time
	Exited        time.Time
	ExitAfter     time.Duration
	// StillRunning is set if the process outlived the host's shutdown (never expected).
	StillRunning bool
}

// procObserver finds the analyzer processes among this process's children. The real host
// starts them directly (exec.Cmd), so their parent PID is ours.
type procObserver struct {
	mu    sync.Mutex
	bin   string // resolved path of the analyzer binary; "" = any child
	procs map[int]*AnalyzerProc
	order []int
}

func newProcObserver(bin string) *procObserver {
	if bin != "" {
		if r, err := filepath.EvalSymlinks(bin); err == nil {
			bin = r
		}
	}
	return &procObserver{bin: bin, procs: map[int]*AnalyzerProc{}}
}

func (o *procObserver) scan() {
	o.mu.Lock()
	defer o.mu.Unlock()
	me := os.Getpid()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || o.procs[pid] != nil {
			continue
		}
		if ppid(pid) != me {
			continue
		}
		exe, _ := os.Readlink("/proc/" + e.Name() + "/exe")
		if exe == "" || (o.bin != "" && exe != o.bin) {
			continue
		}
		p := &AnalyzerProc{PID: pid, Exe: exe, Env: map[string]string{}}
		if b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil {
			p.Argv = strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		}
		p.Cwd, _ = os.Readlink("/proc/" + e.Name() + "/cwd")
		if b, err := os.ReadFile("/proc/" + e.Name() + "/environ"); err == nil {
			for _, kv := range strings.Split(string(b), "\x00") {
				if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "PULUMI_") {
					p.Env[k] = v
				}
			}
		}
		o.procs[pid] = p
		o.order = append(o.order, pid)
	}
}

// ppid reads the parent PID from /proc/PID/stat ("pid (comm) state ppid ...").
func ppid(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return -1
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// alive reports whether pid still exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && i+2 < len(s) && s[i+2] != 'Z'
}

// watchExits polls the known, still running analyzer processes every 2 ms until they are
// gone or the returned stop function is called, recording when each disappeared.
func (o *procObserver) watchExits() (stop func()) {
	o.mu.Lock()
	var watch []*AnalyzerProc
	now := time.Now()
	for _, pid := range o.order {
		p := o.procs[pid]
		if p.Exited.IsZero() && p.ShutdownStart.IsZero() && alive(pid) {
			p.ShutdownStart = now
			watch = append(watch, p)
		}
	}
	o.mu.Unlock()
	if len(watch) == 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			pending := 0
			o.mu.Lock()
			for _, p := range watch {
				if p.Exited.IsZero() {
					if alive(p.PID) {
						pending++
					} else {
						p.Exited = time.Now()
						p.ExitAfter = p.Exited.Sub(p.ShutdownStart)
					}
				}
			}
			o.mu.Unlock()
			if pending == 0 {
				return
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		// One last look after the host returned: Plugin.Close waits for the process.
		time.Sleep(3 * time.Millisecond)
		close(done)
		<-finished
		o.mu.Lock()
		defer o.mu.Unlock()
		for _, p := range watch {
			if p.Exited.IsZero() {
				if alive(p.PID) {
					p.StillRunning = true
				} else {
					p.Exited = time.Now()
					p.ExitAfter = p.Exited.Sub(p.ShutdownStart)
				}
			}
		}
	}
}

func (o *procObserver) list() []AnalyzerProc {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]AnalyzerProc, 0, len(o.order))
	for _, pid := range o.order {
		p := *o.procs[pid]
		if p.StillRunning && !alive(p.PID) {
			p.StillRunning = false
		}
		out = append(out, p)
	}
	return out
}
