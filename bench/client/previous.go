package main

// Regressions made visible: the instruction counts of this run against the results file it
// replaces. Wall-clock figures move by 10-20% between runs on this machine, instruction counts
// by about 1%, so only the counts are compared, and only when both runs counted the same thing
// (same call counts, same stack size).

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// regressionPct: an instruction count this much above the previous one is flagged.
const regressionPct = 2.0

type prevDelta struct {
	ID     string  `json:"id"`
	What   string  `json:"what"`
	Before float64 `json:"before"`
	Now    float64 `json:"now"`
	Pct    float64 `json:"change_pct"`
	Flag   bool    `json:"regression"`
}

type prevComparison struct {
	File   string      `json:"file"`
	Date   string      `json:"date"`
	Commit string      `json:"git,omitempty"`
	Deltas []prevDelta `json:"deltas"`
}

// comparePrevious reads the results in `file` (the run before this one) and compares the
// callgrind counts of `now`. Nil when the file is missing, unreadable or counted nothing
// comparable.
func comparePrevious(file string, now *Results) *prevComparison {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var old Results
	if json.Unmarshal(b, &old) != nil || len(old.Callgrind) == 0 || len(now.Callgrind) == 0 {
		return nil
	}
	var before, after []cgResult
	if json.Unmarshal(old.Callgrind, &before) != nil || json.Unmarshal(now.Callgrind, &after) != nil {
		return nil
	}
	pc := &prevComparison{File: file, Date: old.Date, Commit: old.Environment["git"]}
	for _, a := range after {
		for _, o := range before {
			if o.ID != a.ID || o.Error != "" || a.Error != "" {
				continue
			}
			if o.N1 == a.N1 && o.N2 == a.N2 {
				pc.add(a.ID, "Ir per Analyze call, whole process", o.PerCallMedian, a.PerCallMedian)
				if o.Toggle == a.Toggle {
					pc.add(a.ID, "Ir per Analyze call inside "+a.Toggle, o.ToggleIrPerCall, a.ToggleIrPerCall)
				}
			}
			if o.StackN == a.StackN && o.StackFn == a.StackFn {
				pc.add(a.ID, fmt.Sprintf("Ir of one AnalyzeStack of %d resources", a.StackN),
					float64(o.StackIr), float64(a.StackIr))
			}
		}
	}
	if len(pc.Deltas) == 0 {
		return nil
	}
	return pc
}

func (pc *prevComparison) add(id, what string, before, now float64) {
	if before <= 0 || now <= 0 {
		return
	}
	pct := 100 * (now - before) / before
	pc.Deltas = append(pc.Deltas, prevDelta{ID: id, What: what, Before: before, Now: now, Pct: pct,
		Flag: pct > regressionPct})
}

func printPrevious(w io.Writer, pc *prevComparison) {
	if pc == nil {
		return
	}
	commit := pc.Commit
	if commit == "" {
		commit = "unknown commit"
	}
	fmt.Fprintf(w, "\nagainst the previous results (%s, %s, %s); more than +%.0f%% is flagged:\n",
		pc.File, pc.Date, commit, regressionPct)
	for _, d := range pc.Deltas {
		mark := ""
		if d.Flag {
			mark = "  REGRESSION"
		}
		fmt.Fprintf(w, "  %-10s %-52s %14.0f -> %14.0f  %+6.1f%%%s\n", d.ID, d.What, d.Before, d.Now, d.Pct, mark)
	}
}
