package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

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

// FindAnalyzer locates the C analyzer binary: $PC_ANALYZER, else $PC_BUILD_DIR/<name>, else
// <repo>/build/<name>. The result is absolute.
func FindAnalyzer() (string, error) {
	if p := os.Getenv("PC_ANALYZER"); p != "" {
		return checkExe(p)
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
}

// Prepare creates a pack directory (PulumiPolicy.yaml copied from the repository, so name,
// version and description are the real ones) and a bin directory whose only entry is
// pulumi-analyzer-policy-c, under base.
func Prepare(base, binary string) (*Layout, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	yaml, err := os.ReadFile(filepath.Join(root, "PulumiPolicy.yaml"))
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
	return os.Unsetenv("PULUMI_IGNORE_AMBIENT_PLUGINS")
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
