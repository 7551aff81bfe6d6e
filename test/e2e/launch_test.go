package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws-guard-c/e2e/harness"
	"github.com/aws-guard-c/e2e/programs"
	"github.com/pulumi/pulumi/pkg/v3/engine"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
)

var engineAddr = regexp.MustCompile(`^127\.0\.0\.1:\d+$`)

// previewIn runs a preview of a system variant with an explicit program directory.
func previewIn(t *testing.T, s *programs.System, fixed bool, packs []engine.LocalPolicyPack) (*harness.Result, string) {
	t.Helper()
	root := t.TempDir()
	res := harness.Run(harness.Op{
		Program: s.Program(fixed), DryRun: true, Packs: packs,
		Project: s.Project, Stack: s.Stack, Org: "acme", Config: s.Config,
		Tags: map[string]string{"team": "platform"}, Root: root, AnalyzerBinary: layout.Binary,
	})
	t.Logf("preview %s (fixed=%v): %v, %d violations, err=%v", s.Key, fixed, res.Duration, len(res.Violations), res.Err)
	checkShutdown(t, res)
	return res, root
}

func oneAnalyzer(t *testing.T, res *harness.Result) harness.AnalyzerProc {
	t.Helper()
	if len(res.Analyzers) != 1 {
		t.Fatalf("want exactly one analyzer process, saw %d", len(res.Analyzers))
	}
	p := res.Analyzers[0]
	t.Logf("argv %q cwd %s env %v", p.Argv, p.Cwd, p.Env)
	return p
}

// TestLaunchExePath: `--policy-pack <binary>` runs the file itself with argv [engineAddr] in the
// program's directory, without PULUMI_CONFIG (stack config comes through ConfigureStack).
func TestLaunchExePath(t *testing.T) {
	s := programs.ByKey("providers")
	res, root := previewIn(t, s, false, layout.ExePack(""))
	checkFailing(t, s, res)
	p := oneAnalyzer(t, res)
	if len(p.Argv) != 2 || !engineAddr.MatchString(p.Argv[1]) {
		t.Errorf("argv = %q, want [<binary> 127.0.0.1:<port>]", p.Argv)
	}
	if want, _ := filepath.EvalSymlinks(root); p.Cwd != want {
		t.Errorf("cwd = %s, want the program directory %s", p.Cwd, want)
	}
	if _, has := p.Env["PULUMI_CONFIG"]; has {
		t.Errorf("exe-path launch got PULUMI_CONFIG; the engine only sets it for pack directories")
	}
}

// TestLaunchPackDir: a pack directory with PulumiPolicy.yaml `runtime: c` makes the engine look
// up pulumi-analyzer-policy-c on PATH and start it with [engineAddr .] in the pack directory,
// with the stack described by PULUMI_CONFIG / PULUMI_STACK / ...
func TestLaunchPackDir(t *testing.T) {
	s := programs.ByKey("providers")
	res, _ := previewIn(t, s, false, layout.DirPack(""))
	checkFailing(t, s, res)
	p := oneAnalyzer(t, res)
	if len(p.Argv) != 3 || !engineAddr.MatchString(p.Argv[1]) || p.Argv[2] != "." {
		t.Errorf("argv = %q, want [pulumi-analyzer-policy-c 127.0.0.1:<port> .]", p.Argv)
	}
	if filepath.Base(p.Argv[0]) != harness.AnalyzerName {
		t.Errorf("argv[0] = %s, want the PATH entry %s", p.Argv[0], harness.AnalyzerName)
	}
	if want, _ := filepath.EvalSymlinks(layout.PackDir); p.Cwd != want {
		t.Errorf("cwd = %s, want the pack directory %s", p.Cwd, want)
	}
	for k, want := range map[string]string{
		"PULUMI_STACK": s.Stack, "PULUMI_PROJECT": s.Project, "PULUMI_ORGANIZATION": "acme", "PULUMI_DRY_RUN": "true",
	} {
		if p.Env[k] != want {
			t.Errorf("%s = %q, want %q", k, p.Env[k], want)
		}
	}
	var cfg map[string]string
	if err := json.Unmarshal([]byte(p.Env["PULUMI_CONFIG"]), &cfg); err != nil || cfg["aws:region"] != "us-east-1" {
		t.Errorf("PULUMI_CONFIG = %q (%v), want a JSON object with aws:region", p.Env["PULUMI_CONFIG"], err)
	}
}

// TestLaunchFlags: with --logflow -v=9 --logtostderr and tracing on, the engine puts
// `--logtostderr -v=9 --tracing <endpoint>` before the positional arguments; the analyzer must
// still find its engine address (and ".") and behave the same.
func TestLaunchFlags(t *testing.T) {
	saved := []any{logging.LogFlow, logging.LogToStderr, logging.Verbose, cmdutil.TracingEndpoint}
	logging.LogFlow, logging.LogToStderr, logging.Verbose = true, true, 9
	cmdutil.TracingEndpoint = "127.0.0.1:1"
	defer func() {
		logging.LogFlow, logging.LogToStderr, logging.Verbose = saved[0].(bool), saved[1].(bool), saved[2].(int)
		cmdutil.TracingEndpoint = saved[3].(string)
	}()
	wantFlags := []string{"--logtostderr", "-v=9", "--tracing", "127.0.0.1:1"}
	for _, mode := range []struct {
		name  string
		packs []engine.LocalPolicyPack
		rest  []string
	}{
		{"exe", layout.ExePack(""), nil},
		{"packdir", layout.DirPack(""), []string{"."}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			s := programs.ByKey("providers")
			res, _ := previewIn(t, s, false, mode.packs)
			checkFailing(t, s, res)
			p := oneAnalyzer(t, res)
			if len(p.Argv) != 1+len(wantFlags)+1+len(mode.rest) ||
				strings.Join(p.Argv[1:1+len(wantFlags)], " ") != strings.Join(wantFlags, " ") ||
				!engineAddr.MatchString(p.Argv[1+len(wantFlags)]) ||
				strings.Join(p.Argv[2+len(wantFlags):], " ") != strings.Join(mode.rest, " ") {
				t.Errorf("argv = %q, want [<bin> %s 127.0.0.1:<port> %s]", p.Argv,
					strings.Join(wantFlags, " "), strings.Join(mode.rest, " "))
			}
			n := 0
			for _, d := range res.Diags {
				if d.URN == "" && strings.TrimSpace(d.Message) != "" {
					n++
				}
			}
			t.Logf("%d diagnostic lines while verbose (analyzer stderr is shown to users as info)", n)

			fixed, _ := previewIn(t, s, true, mode.packs)
			checkFixed(t, fixed)
		})
	}
}

// TestLanguagePluginAbsent documents the launch path: no pulumi-language-c must be on PATH for
// the pack-dir tests to exercise pulumi-analyzer-policy-c directly.
func TestLanguagePluginAbsent(t *testing.T) {
	if p := harness.LanguagePluginOnPath(); p != "" {
		t.Logf("pulumi-language-c found at %s: pack-dir launches go through RunPlugin", p)
	}
	if _, err := os.Stat(filepath.Join(layout.BinDir, "pulumi-language-c")); err == nil {
		t.Errorf("the test bin dir must only hold %s", harness.AnalyzerName)
	}
}

// TestLaunchLanguageHost: when a pulumi-language-c plugin is on PATH (the route Pulumi Cloud
// enforcement needs), the engine starts it and asks it to RunPlugin the pack directory; the
// result must be the same, and the analyzer the host starts gets the engine's address, the pack
// directory (--root) and the program's directory as its working directory.
func TestLaunchLanguageHost(t *testing.T) {
	lang := languageHostOnPath(t)
	s := programs.ByKey("providers")
	for _, fixed := range []bool{false, true} {
		var hosted []hostedProc
		root := t.TempDir()
		res := harness.Run(harness.Op{
			Program: observed(s.Program(fixed), lang, &hosted), DryRun: true, Packs: layout.DirPack(""),
			Project: s.Project, Stack: s.Stack, Org: "acme", Config: s.Config, AnalyzerBinary: lang, Root: root,
		})
		t.Logf("language host preview (fixed=%v): %v, %d violations, err=%v", fixed, res.Duration, len(res.Violations), res.Err)
		checkShutdown(t, res)
		if fixed {
			checkFixed(t, res)
		} else {
			checkFailing(t, s, res)
		}
		checkOneHosted(t, hosted, filepath.Join(filepath.Dir(lang), harness.AnalyzerName), layout.PackDir, root)
		checkNoHostLeft(t, lang)
	}
}
