package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// results builds a Results holding one callgrind record of contender "ours".
func results(t *testing.T, cg cgResult, git string) *Results {
	t.Helper()
	b, err := json.Marshal([]cgResult{cg})
	if err != nil {
		t.Fatal(err)
	}
	return &Results{Date: "2026-11-24T00:00:00Z", Callgrind: b, Environment: map[string]string{"git": git}}
}

func writeResults(t *testing.T, r *Results) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "latest.json")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func counts(perCall, handler float64, stack int64) cgResult {
	return cgResult{ID: "ours", N1: 200, N2: 1200, PerCallMedian: perCall, Toggle: "srv_call_handle",
		ToggleIrPerCall: handler, StackN: 2000, StackFn: "an_analyze_stack", StackIr: stack}
}

func TestPreviousFlagsARiseOverTwoPercent(t *testing.T) {
	old := writeResults(t, results(t, counts(200000, 160000, 25000000), "abc1234"))
	pc := comparePrevious(old, results(t, counts(206000, 161000, 25000000), "def5678"))
	if pc == nil || len(pc.Deltas) != 3 {
		t.Fatalf("want three comparisons (per call, handler, stack), got %+v", pc)
	}
	want := []struct {
		pct  float64
		flag bool
	}{{3, true}, {0.625, false}, {0, false}}
	for i, w := range want {
		d := pc.Deltas[i]
		if d.Pct < w.pct-1e-9 || d.Pct > w.pct+1e-9 || d.Flag != w.flag {
			t.Errorf("%s: change %.3f%% flagged %v, want %.3f%% flagged %v", d.What, d.Pct, d.Flag, w.pct, w.flag)
		}
	}
	if pc.Commit != "abc1234" {
		t.Errorf("commit of the previous results: %q", pc.Commit)
	}
	var out bytes.Buffer
	printPrevious(&out, pc)
	if got := strings.Count(out.String(), "REGRESSION"); got != 1 {
		t.Errorf("printed %d regressions, want 1:\n%s", got, out.String())
	}
}

func TestPreviousComparesOnlyLikeWithLike(t *testing.T) {
	// Quick mode counts other call numbers and a smaller stack: nothing to compare.
	quick := counts(200000, 160000, 4000000)
	quick.N1, quick.N2, quick.StackN = 50, 250, 300
	old := writeResults(t, results(t, quick, "abc1234"))
	if pc := comparePrevious(old, results(t, counts(300000, 260000, 25000000), "def5678")); pc != nil {
		t.Errorf("compared counts of different workloads: %+v", pc.Deltas)
	}
	// A missing previous file (the first run) is no comparison, not an error.
	if pc := comparePrevious(filepath.Join(t.TempDir(), "none.json"), results(t, counts(1, 1, 1), "")); pc != nil {
		t.Errorf("compared against a missing file: %+v", pc)
	}
	// A failed callgrind record is never compared.
	failed := counts(200000, 160000, 25000000)
	failed.Error = "valgrind not found"
	old = writeResults(t, results(t, failed, "abc1234"))
	if pc := comparePrevious(old, results(t, counts(300000, 260000, 25000000), "")); pc != nil {
		t.Errorf("compared against a failed record: %+v", pc.Deltas)
	}
}
