package e2e

// The language-host route (engine-harness.md §3.3-3.4): Pulumi Cloud org-wide enforcement of a
// `runtime: c` pack. The service hands the CLI a RequiredPolicy; the engine downloads the tarball
// `pulumi policy publish` uploaded, extracts it into
// $PULUMI_HOME/policies/<org>/pulumi-analyzer-<name>-v<version>/, asks the language host of the
// pack's runtime (pulumi-language-c) to InstallDependencies, and then loads the pack through the
// host's RunPlugin. Without pulumi-language-c the install fails on every consumer machine.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/aws-guard-c/e2e/programs"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/pkg/v3/resource/deploy/deploytest"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	pkgcmdutil "github.com/pulumi/pulumi/pkg/v3/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/archive"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// ---- the language host on PATH ---------------------------------------------------------------

// languageHostOnPath puts pulumi-language-c first on PATH for the rest of the test (a symlink,
// as a user's bin directory would provide it) and returns its path. When the suite ignores
// ambient plugins (a host is installed system-wide, see Layout.Env), PATH lookups are turned
// back on for the test: the engine can only find a language host named "c" on PATH, because
// plugin cache directory names need a name of two characters or more (workspace.pluginRegexp),
// so `language-c-v<version>` is never recognised.
func languageHostOnPath(t *testing.T) string {
	t.Helper()
	lang, err := harness.FindLanguageHost(layout.Binary)
	if err != nil {
		t.Fatal(err)
	}
	if layout.AmbientIgnored {
		unsetenv(t, "PULUMI_IGNORE_AMBIENT_PLUGINS")
	}
	dir := t.TempDir()
	if err := os.Symlink(lang, filepath.Join(dir, harness.LanguageHostName)); err != nil {
		t.Fatal(err)
	}
	setenv(t, "PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return lang
}

// unsetenv removes a process environment variable for the rest of the test.
func unsetenv(t *testing.T, k string) {
	t.Helper()
	old, had := os.LookupEnv(k)
	os.Unsetenv(k)
	t.Cleanup(func() {
		if had {
			os.Setenv(k, old)
		}
	})
}

// setenv sets a process environment variable for the rest of the test (tests are sequential).
func setenv(t *testing.T, k, v string) {
	t.Helper()
	old, had := os.LookupEnv(k)
	if err := os.Setenv(k, v); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if had {
			os.Setenv(k, old)
		} else {
			os.Unsetenv(k)
		}
	})
}

// ---- processes the language host started --------------------------------------------------------

// hostedProc is a process whose parent is a language host started by this test process.
type hostedProc struct {
	PID  int
	Exe  string
	Argv []string
	Cwd  string
}

func readProc(pid int, what string) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/%s", pid, what))
	return string(b)
}

func parentOf(pid int) int {
	s := readProc(pid, "stat")
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

// hostedBy lists the children of our pulumi-language-c processes (executable `lang`), i.e. the
// analyzers the engine had the host start.
func hostedBy(lang string) []hostedProc {
	if r, err := filepath.EvalSymlinks(lang); err == nil {
		lang = r
	}
	ents, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range ents {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	hosts := map[int]bool{}
	for _, pid := range pids {
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); exe == lang && parentOf(pid) == os.Getpid() {
			hosts[pid] = true
		}
	}
	var out []hostedProc
	for _, pid := range pids {
		if !hosts[parentOf(pid)] {
			continue
		}
		p := hostedProc{PID: pid}
		p.Exe, _ = os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		p.Argv = strings.Split(strings.TrimRight(readProc(pid, "cmdline"), "\x00"), "\x00")
		p.Cwd, _ = os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid))
		out = append(out, p)
	}
	return out
}

// observed wraps a program so that, when the engine runs it (the policy packs are loaded by
// then), the analyzers the language host started are recorded.
func observed(prog deploytest.ProgramFunc, lang string, out *[]hostedProc) deploytest.ProgramFunc {
	return func(info plugin.RunInfo, mon *deploytest.ResourceMonitor) error {
		*out = hostedBy(lang)
		return prog(info, mon)
	}
}

// checkOneHosted asserts exactly one analyzer ran under the host: `exe` with argv
// [exe --root <pack> 127.0.0.1:<port>] in the program directory `cwd`.
func checkOneHosted(t *testing.T, got []hostedProc, exe, pack, cwd string) {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("want one analyzer started by %s, saw %d: %+v", harness.LanguageHostName, len(got), got)
	}
	p := got[0]
	t.Logf("hosted analyzer pid %d: exe %s argv %q cwd %s", p.PID, p.Exe, p.Argv, p.Cwd)
	if want, _ := filepath.EvalSymlinks(exe); p.Exe != want {
		t.Errorf("analyzer exe %s, want %s", p.Exe, want)
	}
	if len(p.Argv) != 4 || p.Argv[1] != "--root" || p.Argv[2] != pack || !engineAddr.MatchString(p.Argv[3]) {
		t.Errorf("analyzer argv %q, want [<analyzer> --root %s 127.0.0.1:<port>]", p.Argv, pack)
	}
	if want, _ := filepath.EvalSymlinks(cwd); cwd != "" && p.Cwd != want {
		t.Errorf("analyzer cwd %s, want the program directory %s", p.Cwd, want)
	}
}

// checkNoHostLeft asserts no language host or hosted analyzer outlived the operation.
func checkNoHostLeft(t *testing.T, lang string) {
	t.Helper()
	if left := hostedBy(lang); len(left) > 0 {
		t.Errorf("analyzers still running after the operation: %+v", left)
	}
	real, _ := filepath.EvalSymlinks(lang)
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || parentOf(pid) != os.Getpid() {
			continue
		}
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); exe == real && !strings.Contains(readProc(pid, "stat"), ") Z") {
			t.Errorf("language host pid %d still running after the operation", pid)
		}
	}
}

// ---- a published pack and the service's RequiredPolicy -------------------------------------------

// publishedPack builds a pack directory the way its author would publish it and returns the
// tarball `pulumi policy publish` uploads: archive.TGZ(<pack dir>, "package", true)
// (httpstate/policypack.go). ship puts an analyzer into bin/<os>-<arch>/, the layout
// pulumi-language-c runs first; its content is `binary` (nil: no bin/ at all).
func publishedPack(t *testing.T, binary []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	src, err := harness.PackYAML()
	if err != nil {
		t.Fatal(err)
	}
	yaml, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"PulumiPolicy.yaml": yaml,
		"README.md":         []byte("# aws-guard-c\n\nPublished by the e2e suite.\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if binary != nil {
		bin := filepath.Join(dir, "bin", platform())
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, harness.AnalyzerName), binary, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tgz, err := archive.TGZ(dir, "package", true)
	if err != nil {
		t.Fatal(err)
	}
	return tgz
}

// platform is Pulumi's <os>-<arch> spelling, as pulumi-language-c uses it for bin/.
func platform() string { return runtime.GOOS + "-" + runtime.GOARCH }

// requiredPack is an engine.RequiredPolicy as httpstate's cloudRequiredPolicy implements it,
// with the service replaced by a tarball in memory: Installed() is a directory-exists check on
// the policy path, Download returns the tarball, Install is installRequiredPolicy
// (httpstate/policypack.go:499-577) line for line.
type requiredPack struct {
	name, version, org string
	tgz                []byte
	config             map[string]*json.RawMessage

	mu         sync.Mutex
	downloads  int
	installs   int
	installOut bytes.Buffer // what InstallDependencies streamed (stdout and stderr)
}

var _ engine.RequiredPolicy = (*requiredPack)(nil)

func (p *requiredPack) Name() string    { return p.name }
func (p *requiredPack) Version() string { return p.version }

func (p *requiredPack) policyPath() (string, bool, error) {
	return workspace.GetPolicyPath(p.org, strings.ReplaceAll(p.name, tokens.QNameDelimiter, "_"), p.version)
}

func (p *requiredPack) Installed() bool {
	_, installed, _ := p.policyPath()
	return installed
}

func (p *requiredPack) LocalPath() (string, error) {
	path, _, err := p.policyPath()
	return path, err
}

func (p *requiredPack) Download(_ context.Context, wrapper func(io.ReadCloser, int64) io.ReadCloser,
) (io.ReadCloser, int64, error) {
	p.mu.Lock()
	p.downloads++
	p.mu.Unlock()
	size := int64(len(p.tgz))
	return wrapper(io.NopCloser(bytes.NewReader(p.tgz)), size), size, nil
}

// lockedBuffer lets the stdout and stderr copies of InstallDependencies write concurrently.
type lockedBuffer struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedBuffer) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(b)
}

func (p *requiredPack) Install(ctx *plugin.Context, content io.ReadCloser, stdout, stderr io.Writer) error {
	p.mu.Lock()
	p.installs++
	p.mu.Unlock()
	finalDir, _, err := p.policyPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(finalDir), 0o700); err != nil {
		return fmt.Errorf("creating plugin root: %w", err)
	}
	tempDir, err := os.MkdirTemp(filepath.Dir(finalDir), filepath.Base(finalDir)+".tmp")
	if err != nil {
		return fmt.Errorf("creating plugin directory %s: %w", tempDir, err)
	}
	defer os.RemoveAll(tempDir)
	tempPackageDir := filepath.Join(tempDir, "package")
	if err := os.MkdirAll(tempPackageDir, 0o700); err != nil {
		return fmt.Errorf("creating plugin root: %w", err)
	}
	if err := archive.ExtractTGZ(content, tempDir); err != nil {
		return fmt.Errorf("failed to extract tarball: %w", err)
	}
	content.Close()
	if err := os.Rename(tempPackageDir, finalDir); err != nil && !os.IsExist(err) {
		return fmt.Errorf("moving plugin: %w", err)
	}
	proj, err := workspace.LoadPolicyPack(filepath.Join(finalDir, "PulumiPolicy.yaml"))
	if err != nil {
		return fmt.Errorf("failed to load policy project at %s: %w", finalDir, err)
	}
	language, err := ctx.Host.LanguageRuntime(ctx, proj.Runtime.Name())
	if err != nil {
		return fmt.Errorf("failed to load language plugin %s: %w", proj.Runtime.Name(), err)
	}
	tee := lockedBuffer{&p.mu, &p.installOut}
	info := plugin.NewProgramInfo(finalDir, finalDir, ".", proj.Runtime.Options())
	err = pkgcmdutil.InstallDependencies(ctx.Request(), language, plugin.InstallDependenciesRequest{
		Info:                    info,
		UseLanguageVersionTools: false,
		IsPlugin:                true,
	}, io.MultiWriter(stdout, tee), io.MultiWriter(stderr, tee))
	if err != nil {
		return fmt.Errorf("installing dependencies: %w", err)
	}
	return nil
}

func (p *requiredPack) Config() map[string]*json.RawMessage { return p.config }

func (p *requiredPack) ResolveEnvironments(context.Context) (*engine.ResolvedPolicyEnvironment, error) {
	return nil, nil
}

// requiredPreview previews a system variant with `req` as the stack's required policy.
func requiredPreview(t *testing.T, s *programs.System, fixed bool, req engine.RequiredPolicy, lang string,
	hosted *[]hostedProc,
) (*harness.Result, string) {
	t.Helper()
	root := t.TempDir()
	res := harness.Run(harness.Op{
		Program: observed(s.Program(fixed), lang, hosted), DryRun: true, Required: []engine.RequiredPolicy{req},
		Project: s.Project, Stack: s.Stack, Org: "acme", Config: s.Config,
		Tags: map[string]string{"team": "platform"}, Root: root, AnalyzerBinary: lang,
	})
	t.Logf("preview %s (fixed=%v) with required pack: %v, %d violations (%d mandatory), err=%v",
		s.Key, fixed, res.Duration, len(res.Violations), len(res.Mandatory()), res.Err)
	return res, root
}

// ---- tests ------------------------------------------------------------------------------------

// TestLangHostRequiredPack: org-wide enforcement end to end. A pack published with its own
// analyzer (bin/<os>-<arch>/) is installed by the engine through pulumi-language-c and
// enforced: the failing seed system bails with the expected mandatory violations, the fixed one
// passes, and the analyzer that ran is the one from the installed pack. A pack published
// without a binary runs the analyzer installed next to the host.
func TestLangHostRequiredPack(t *testing.T) {
	analyzer, err := os.ReadFile(layout.Binary)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		binary []byte
	}{
		{"shipped-binary", analyzer},
		{"no-binary", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setenv(t, "PULUMI_HOME", t.TempDir()) // no policy installed yet, empty plugin cache
			lang := languageHostOnPath(t)
			req := &requiredPack{name: packName, version: pack.Version, org: "acme", tgz: publishedPack(t, tc.binary)}
			final, _ := req.LocalPath()
			want := filepath.Join(final, "bin", platform(), harness.AnalyzerName)
			if tc.binary == nil {
				// The analyzer installed with the host (the build tree or /usr/bin).
				want = filepath.Join(filepath.Dir(lang), harness.AnalyzerName)
			}

			s := programs.ByKey("providers")
			var hosted []hostedProc
			res, root := requiredPreview(t, s, false, req, lang, &hosted)
			checkShutdown(t, res)
			checkFailing(t, s, res)
			checkOneHosted(t, hosted, want, final, root)
			checkNoHostLeft(t, lang)
			if req.downloads != 1 || req.installs != 1 {
				t.Errorf("downloads %d, installs %d; want 1 and 1", req.downloads, req.installs)
			}
			if _, err := os.Stat(filepath.Join(final, "PulumiPolicy.yaml")); err != nil {
				t.Errorf("pack not installed at %s: %v", final, err)
			}
			out := req.installOut.String()
			t.Logf("InstallDependencies said: %s", strings.TrimSpace(out))
			if realWant, _ := filepath.EvalSymlinks(want); !strings.Contains(out, "runtime c, analyzer "+realWant) {
				t.Errorf("InstallDependencies output %q does not name the analyzer %s", out, realWant)
			}

			// Second run: installed, so no download; the fixed variant passes.
			res, root = requiredPreview(t, s, true, req, lang, &hosted)
			checkShutdown(t, res)
			checkFixed(t, res)
			checkOneHosted(t, hosted, want, final, root)
			checkNoHostLeft(t, lang)
			if req.downloads != 1 || req.installs != 1 {
				t.Errorf("after a second run: downloads %d, installs %d; want 1 and 1", req.downloads, req.installs)
			}
		})
	}
}

// TestLangHostRequiredPackBroken: a published pack whose analyzer cannot run on this machine
// (here: a binary for no platform at all) fails at install time with pulumi-language-c's
// message, before any resource is analysed, and leaves no process behind.
func TestLangHostRequiredPackBroken(t *testing.T) {
	setenv(t, "PULUMI_HOME", t.TempDir())
	lang := languageHostOnPath(t)
	req := &requiredPack{name: packName, version: pack.Version, org: "acme",
		tgz: publishedPack(t, []byte("\x7fELF but not really: built for another machine\n"))}
	var hosted []hostedProc
	res, _ := requiredPreview(t, programs.ByKey("providers"), false, req, lang, &hosted)
	if res.Err == nil {
		t.Fatalf("want the install to fail")
	}
	msg := res.Err.Error()
	t.Logf("engine error: %s", msg)
	for _, want := range []string{"failed to install policy pack", "installing dependencies", "does not run"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
	if len(res.Violations) != 0 || len(hosted) != 0 {
		t.Errorf("nothing may be analysed: %d violations, %d analyzers", len(res.Violations), len(hosted))
	}
	checkNoHostLeft(t, lang)
}

// TestLangHostMissingIsTheUpstreamBug documents why the host exists: without
// pulumi-language-c, installing a required `runtime: c` pack fails in v3.259.0 even though
// pulumi-analyzer-policy-c is on PATH (engine-harness.md §3.3).
func TestLangHostMissingIsTheUpstreamBug(t *testing.T) {
	if p := harness.LanguagePluginOnPath(); p != "" && !layout.AmbientIgnored {
		t.Skipf("%s is on PATH: the failure cannot be shown", p)
	}
	setenv(t, "PULUMI_HOME", t.TempDir())
	req := &requiredPack{name: packName, version: pack.Version, org: "acme", tgz: publishedPack(t, nil)}
	res := harness.Run(harness.Op{
		Program: programs.ByKey("providers").Program(false), DryRun: true,
		Required: []engine.RequiredPolicy{req}, Org: "acme", AnalyzerBinary: layout.Binary,
	})
	if res.Err == nil || !strings.Contains(res.Err.Error(), "pulumi-language-c") {
		t.Fatalf("want the install to fail for want of pulumi-language-c, got %v", res.Err)
	}
	t.Logf("without the host: %v", res.Err)
}
