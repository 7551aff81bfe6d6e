package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/engine"
)

// AnalyzerName is what the engine looks up for a `runtime: c` pack directory.
const AnalyzerName = "pulumi-analyzer-policy-c"

// RepoRoot finds the repository root (the directory holding CMakeLists.txt and
// PulumiPolicy.yaml) from the working directory upwards.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if fileExists(filepath.Join(dir, "CMakeLists.txt")) && fileExists(filepath.Join(dir, "PulumiPolicy.yaml")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repository root (CMakeLists.txt + PulumiPolicy.yaml) not found above the working directory")
		}
		dir = parent
	}
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// LanguageHostName is the language host the engine looks up for `runtime: c` packs; when it
// exists, pack directories are started through its RunPlugin.
const LanguageHostName = "pulumi-language-c"

// UseInstalled reports PC_USE_INSTALLED=1: test the installed package (binaries in
// $PC_INSTALLED_BINDIR, default /usr/bin; PulumiPolicy.yaml from the installed pack) instead of
// a build tree.
func UseInstalled() bool { return os.Getenv("PC_USE_INSTALLED") == "1" }

func installedBinDir() string {
	if d := os.Getenv("PC_INSTALLED_BINDIR"); d != "" {
		return d
	}
	return "/usr/bin"
}

// installedPackYAML is where the Debian package puts the pack's PulumiPolicy.yaml.
const installedPackYAML = "/usr/share/aws-guard-c/pack/PulumiPolicy.yaml"

// FindAnalyzer locates the C analyzer binary: $PC_ANALYZER, else the installed one
// (PC_USE_INSTALLED=1), else $PC_BUILD_DIR/<name>, else <repo>/build/<name>. The result is
// absolute.
func FindAnalyzer() (string, error) {
	if p := os.Getenv("PC_ANALYZER"); p != "" {
		return checkExe(p)
	}
	if UseInstalled() {
		return checkExe(filepath.Join(installedBinDir(), AnalyzerName))
	}
	if d := os.Getenv("PC_BUILD_DIR"); d != "" {
		return checkExe(filepath.Join(d, AnalyzerName))
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return checkExe(filepath.Join(root, "build", AnalyzerName))
}

// FindLanguageHost locates pulumi-language-c: $PC_LANGHOST, else the installed one
// (PC_USE_INSTALLED=1), else next to the analyzer (where the build puts it).
func FindLanguageHost(analyzer string) (string, error) {
	if p := os.Getenv("PC_LANGHOST"); p != "" {
		return checkExe(p)
	}
	if UseInstalled() {
		return checkExe(filepath.Join(installedBinDir(), LanguageHostName))
	}
	p, err := checkExe(filepath.Join(filepath.Dir(analyzer), LanguageHostName))
	if err != nil {
		return "", fmt.Errorf("%s is not built next to the analyzer (cmake --build <dir> --target %s, or set PC_LANGHOST): %w",
			LanguageHostName, LanguageHostName, err)
	}
	return p, nil
}

// PackYAML is the PulumiPolicy.yaml the tests' pack directories use: the installed pack's with
// PC_USE_INSTALLED=1, else the repository's.
func PackYAML() (string, error) {
	if UseInstalled() {
		return installedPackYAML, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "PulumiPolicy.yaml"), nil
}

func checkExe(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("analyzer binary not found (build it, or set PC_ANALYZER / PC_BUILD_DIR): %w", err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s is not an executable file", abs)
	}
	return abs, nil
}

// Layout is a prepared environment for both launch modes.
type Layout struct {
	Binary  string // absolute path of the analyzer (exe-path mode: LocalPolicyPack{Path: Binary})
	PackDir string // directory with PulumiPolicy.yaml `runtime: c` (pack-dir mode)
	BinDir  string // directory holding only `pulumi-analyzer-policy-c` (-> Binary), to put on PATH
	Home    string // empty PULUMI_HOME
	// AmbientIgnored: a pulumi-language-c is installed on this machine, so Env set
	// PULUMI_IGNORE_AMBIENT_PLUGINS and put the analyzer into Home's plugin cache instead of
	// relying on PATH (plugins must then be installed there too, see InstallPlugin).
	AmbientIgnored bool
}

// Prepare creates a pack directory (PulumiPolicy.yaml copied from the repository, or from the
// installed pack with PC_USE_INSTALLED=1, so name, version and description are the real ones)
// and a bin directory whose only entry is pulumi-analyzer-policy-c, under base.
func Prepare(base, binary string) (*Layout, error) {
	src, err := PackYAML()
	if err != nil {
		return nil, err
	}
	yaml, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	l := &Layout{
		Binary:  binary,
		PackDir: filepath.Join(base, "pack"),
		BinDir:  filepath.Join(base, "bin"),
		Home:    filepath.Join(base, "pulumi-home"),
	}
	for _, d := range []string{l.PackDir, l.BinDir, l.Home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(l.PackDir, "PulumiPolicy.yaml"), yaml, 0o644); err != nil {
		return nil, err
	}
	if err := os.Symlink(binary, filepath.Join(l.BinDir, AnalyzerName)); err != nil {
		return nil, err
	}
	return l, nil
}

// Env sets the process environment the way a user running the CLI would have it: the bin dir
// first on PATH (the engine's ambient lookup), an empty PULUMI_HOME (no plugin cache), no
// automatic plugin downloads.
func (l *Layout) Env() error {
	for k, v := range map[string]string{
		"PATH":        l.BinDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"PULUMI_HOME": l.Home,
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
	} {
		if err := os.Setenv(k, v); err != nil {
			return err
		}
	}
	if err := os.Unsetenv("PULUMI_IGNORE_AMBIENT_PLUGINS"); err != nil {
		return err
	}
	if LanguagePluginOnPath() == "" {
		return nil
	}
	// A pulumi-language-c installed on this machine (e.g. the Debian package in /usr/bin)
	// would take every pack directory over (RunPlugin). The legacy route the pack-directory
	// tests check is then only reachable as `pulumi plugin install` sets it up: ambient
	// plugins ignored, the analyzer in the plugin cache.
	l.AmbientIgnored = true
	if err := InstallPlugin(l.Home, "analyzer", "policy-c", l.Binary); err != nil {
		return err
	}
	return os.Setenv("PULUMI_IGNORE_AMBIENT_PLUGINS", "true")
}

// InstallPlugin puts `binary` into the plugin cache under home the way `pulumi plugin install
// <kind> <name> <version> --file <binary>` does: <home>/plugins/<kind>-<name>-v<version>/
// pulumi-<kind>-<name> (a symlink), with the version the binary reports.
func InstallPlugin(home, kind, name, binary string) error {
	version := "0.0.1"
	if out, err := exec.Command(binary, "--version").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) > 0 {
			version = strings.TrimPrefix(f[len(f)-1], "v")
		}
	}
	dir := filepath.Join(home, "plugins", fmt.Sprintf("%s-%s-v%s", kind, name, version))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	link := filepath.Join(dir, fmt.Sprintf("pulumi-%s-%s", kind, name))
	_ = os.Remove(link)
	return os.Symlink(binary, link)
}

// LanguagePluginOnPath reports a pulumi-language-c on PATH, which would switch pack-dir
// launches to the RunPlugin path.
func LanguagePluginOnPath() string {
	p, err := exec.LookPath("pulumi-language-c")
	if err != nil {
		return ""
	}
	return p
}

// ExePack is the exe-path launch mode (`--policy-pack ./path/to/binary`).
func (l *Layout) ExePack(config string) []engine.LocalPolicyPack {
	return []engine.LocalPolicyPack{{Path: l.Binary, Config: config}}
}

// DirPack is the pack-directory launch mode (`--policy-pack ./pack`).
func (l *Layout) DirPack(config string) []engine.LocalPolicyPack {
	return []engine.LocalPolicyPack{{Path: l.PackDir, Config: config}}
}

// PolicyInfo is one entry of `--list-policies --format json`.
type PolicyInfo struct {
	Name             string `json:"name"`
	EnforcementLevel string `json:"enforcementLevel"`
	Severity         string `json:"severity"`
	Type             string `json:"type"`
	Description      string `json:"description"`
}

// PackInfo is `--list-policies --format json`.
type PackInfo struct {
	Name     string       `json:"name"`
	Version  string       `json:"version"`
	Policies []PolicyInfo `json:"policies"`
}

// ListPolicies runs `<binary> --list-policies --format json`.
func ListPolicies(binary string) (*PackInfo, error) {
	out, err := exec.Command(binary, "--list-policies", "--format", "json").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --list-policies --format json: %w", binary, err)
	}
	var info PackInfo
	if err := json.Unmarshal(out, &info); err != nil {
		// Tolerate a bare array of policies.
		var ps []PolicyInfo
		if err2 := json.Unmarshal(out, &ps); err2 != nil {
			return nil, fmt.Errorf("parsing --list-policies output: %w", err)
		}
		info.Policies = ps
	}
	return &info, nil
}

// Has reports whether the pack has a policy.
func (p *PackInfo) Has(name string) bool {
	for _, x := range p.Policies {
		if x.Name == name {
			return true
		}
	}
	return false
}

// Get returns a policy's info.
func (p *PackInfo) Get(name string) (PolicyInfo, bool) {
	for _, x := range p.Policies {
		if x.Name == name {
			return x, true
		}
	}
	return PolicyInfo{}, false
}

// Names returns the sorted policy names.
func (p *PackInfo) Names() []string {
	out := make([]string, 0, len(p.Policies))
	for _, x := range p.Policies {
		out = append(out, x.Name)
	}
	sort.Strings(out)
	return out
}
