package main

// Starting and stopping an analyzer exactly as the engine does (pkg/resource/plugin:
// NewPolicyAnalyzer + ExecPlugin + plugin.Close), and reading its /proc figures.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"pulumi-policy-c/bench/client/workload"
)

const maxMsg = 400 << 20 // the engine's rpcutil limit

// Contender describes how the engine would start one analyzer.
type Contender struct {
	ID    string   `json:"id"`
	Label string   `json:"label"`
	Cmd   []string `json:"cmd"`   // argv before the engine's arguments
	Dir   string   `json:"dir"`   // working directory (pack dir for pack-directory packs)
	Args  []string `json:"args"`  // after the engine address, e.g. ["."] or [packDir]
	Env   []string `json:"env"`   // extra environment
	Only  []string `json:"only"`  // if set, every other policy is configured DISABLED
	Skip  []string `json:"skip"`  // phases to skip (e.g. "stack10k" for a contender known to take minutes)
	Notes string   `json:"notes"` // free text copied to the results
}

// fakeEngine is the engine's gRPC endpoint (its address is argv[1] of every analyzer): packs
// may log through it. It accepts Log and nothing else, like the engine for a policy plugin.
type fakeEngine struct {
	pulumirpc.UnimplementedEngineServer
}

func (fakeEngine) Log(context.Context, *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func startEngine() (string, func(), error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	s := grpc.NewServer(grpc.MaxRecvMsgSize(maxMsg))
	pulumirpc.RegisterEngineServer(s, fakeEngine{})
	go func() { _ = s.Serve(lis) }()
	return lis.Addr().String(), s.Stop, nil
}

// proc is a running analyzer.
type proc struct {
	cmd     *exec.Cmd
	pid     int
	start   time.Time
	portDur time.Duration
	conn    *grpc.ClientConn
	cli     pulumirpc.AnalyzerClient
	waited  chan struct{}
	waitErr error
	outMu   sync.Mutex
	out     []string // last lines of stdout/stderr, for error reports
}

func (p *proc) keep(line string) {
	p.outMu.Lock()
	defer p.outMu.Unlock()
	p.out = append(p.out, line)
	if len(p.out) > 20 {
		p.out = p.out[1:]
	}
}

func (p *proc) tail() string {
	p.outMu.Lock()
	defer p.outMu.Unlock()
	return strings.Join(p.out, "\n")
}

// spawn starts the contender, reads the port line and dials it.
func spawn(c Contender, engineAddr string, wrap []string) (*proc, error) {
	argv := append(append(append([]string{}, wrap...), c.Cmd...), engineAddr)
	argv = append(argv, c.Args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "PULUMI_CONFIG={}", "PULUMI_ORGANIZATION=organization",
		"PULUMI_PROJECT="+workload.Project, "PULUMI_STACK="+workload.Stack, "PULUMI_DRY_RUN=true")
	cmd.Env = append(cmd.Env, c.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the engine's child_unix.go
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, waited: make(chan struct{})}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.pid = cmd.Process.Pid
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.keep("stderr: " + sc.Text())
		}
	}()
	// The engine reads stdout byte by byte up to the first newline, with no timeout; we bound it.
	portc := make(chan string, 1)
	go func() {
		br := bufio.NewReader(stdout)
		line, err := br.ReadString('\n')
		if err != nil {
			portc <- ""
		} else {
			portc <- line
		}
		_, _ = io.Copy(io.Discard, br)
	}()
	go func() { p.waitErr = cmd.Wait(); close(p.waited) }()
	var line string
	select {
	case line = <-portc:
	case <-time.After(120 * time.Second):
		p.kill()
		return nil, fmt.Errorf("%s: no port line within 120 s", c.ID)
	}
	p.portDur = time.Since(p.start)
	port, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || port < 1 || port > 65535 {
		p.kill()
		return nil, fmt.Errorf("%s: bad port line %q\n%s", c.ID, line, p.tail())
	}
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMsg), grpc.MaxCallSendMsgSize(maxMsg)))
	if err != nil {
		p.kill()
		return nil, err
	}
	p.conn, p.cli = conn, pulumirpc.NewAnalyzerClient(conn)
	return p, nil
}

func (p *proc) kill() {
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.waited
}

func tolerated(err error) bool {
	return err == nil || status.Code(err) == codes.Unimplemented
}

// bootstrap runs the engine's calls before the program starts: Handshake, ConfigureStack,
// GetPluginInfo, GetAnalyzerInfo, Configure (every policy with its schema defaults).
func (p *proc) bootstrap(c Contender, engineAddr string) (*pulumirpc.AnalyzerInfo, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := c.Dir
	// Handshake: Unavailable is retried every 10 ms by the engine (the server may still be starting).
	for {
		_, err := p.cli.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: engineAddr,
			RootDirectory: &dir, ProgramDirectory: &dir})
		if status.Code(err) == codes.Unavailable {
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !tolerated(err) {
			return nil, 0, fmt.Errorf("Handshake: %w", err)
		}
		break
	}
	_, err := p.cli.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: workload.Stack, Project: workload.Project,
		Organization: "organization", DryRun: true, Config: map[string]string{"aws:region": "us-east-1", workload.Project + ":env": "prod"},
		Tags: map[string]string{"pulumi:project": workload.Project, "pulumi:runtime": "nodejs"}})
	if !tolerated(err) {
		return nil, 0, fmt.Errorf("ConfigureStack: %w", err)
	}
	if _, err := p.cli.GetPluginInfo(ctx, &emptypb.Empty{}); err != nil {
		return nil, 0, fmt.Errorf("GetPluginInfo: %w", err)
	}
	info, err := p.cli.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	if err != nil {
		return nil, 0, fmt.Errorf("GetAnalyzerInfo: %w", err)
	}
	infoDur := time.Since(p.start)
	if info.SupportsConfig {
		if _, err := p.cli.Configure(ctx, engineConfig(info, c.Only)); err != nil {
			return nil, 0, fmt.Errorf("Configure: %w", err)
		}
	}
	return info, infoDur, nil
}

// engineConfig builds what the engine sends to Configure without a config file: for each
// policy its own enforcement level (or the pack's initial config) and every knob's default.
func engineConfig(info *pulumirpc.AnalyzerInfo, only []string) *pulumirpc.ConfigureAnalyzerRequest {
	keep := map[string]bool{}
	for _, n := range only {
		keep[n] = true
	}
	out := map[string]*pulumirpc.PolicyConfig{}
	for _, pol := range info.Policies {
		props := map[string]any{}
		if s := pol.GetConfigSchema().GetProperties(); s != nil {
			for k, v := range s.Fields {
				if sv := v.GetStructValue(); sv != nil {
					if d, ok := sv.Fields["default"]; ok {
						props[k] = d.AsInterface()
					}
				}
			}
		}
		level := pol.EnforcementLevel
		if ic, ok := info.InitialConfig[pol.Name]; ok {
			level = ic.EnforcementLevel
			for k, v := range ic.GetProperties().GetFields() {
				props[k] = v.AsInterface()
			}
		}
		if len(only) > 0 && !keep[pol.Name] {
			level = pulumirpc.EnforcementLevel_DISABLED
		}
		ps, err := structpb.NewStruct(props)
		if err != nil {
			ps = &structpb.Struct{}
		}
		out[pol.Name] = &pulumirpc.PolicyConfig{EnforcementLevel: level, Properties: ps}
	}
	return &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: out}
}

// shutdown is the engine's plugin.Close: Cancel (5 s, errors ignored), close the connection,
// SIGINT to the process group, 5 s grace, then SIGKILL. Returns SIGINT -> exit.
func (p *proc) shutdown() (time.Duration, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_, _ = p.cli.Cancel(ctx, &emptypb.Empty{})
	cancel()
	_ = p.conn.Close()
	t0 := time.Now()
	_ = syscall.Kill(-p.pid, syscall.SIGINT)
	select {
	case <-p.waited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
		<-p.waited
		return time.Since(t0), "killed after 5 s grace"
	}
	d := time.Since(t0)
	how := "exit 0"
	var ee *exec.ExitError
	if errors.As(p.waitErr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			how = "signal " + ws.Signal().String()
		} else {
			how = fmt.Sprintf("exit %d", ee.ExitCode())
		}
	}
	return d, how
}

// procStatus reads a "Key:   N kB" field of /proc/<pid>/status, in kB.
func procStatus(pid int, key string) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key+":") {
			f := strings.Fields(l[len(key)+1:])
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return -1
}

const clkTck = 100 // sysconf(_SC_CLK_TCK) on Linux

// procCPU returns utime+stime of the process (all threads) from /proc/<pid>/stat.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return -1
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	f := strings.Fields(s[i+2:]) // field 3 (state) is f[0]; utime is field 14, stime 15
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clkTck
}
