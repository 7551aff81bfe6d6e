package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Target is one of the goals, evaluated on the medians (reported, never asserted).
type Target struct {
	Name     string  `json:"name"`
	Measured float64 `json:"measured"`
	Limit    float64 `json:"limit"`
	Unit     string  `json:"unit"`
	Met      bool    `json:"met"`
}

func find(res *Results, id string) *ContenderResult {
	for _, c := range res.Contenders {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func evalTargets(res *Results) []Target {
	var ts []Target
	ours := find(res, "ours")
	if ours == nil {
		return nil
	}
	med := func(c *ContenderResult, k string) float64 { return c.Summary[k].Median }
	add := func(name string, v, lim float64, unit string, le bool) {
		if v <= 0 {
			return
		}
		met := v <= lim
		if !le {
			met = v >= lim
		}
		ts = append(ts, Target{Name: name, Measured: v, Limit: lim, Unit: unit, Met: met})
	}
	if fl := find(res, "floor"); fl != nil && med(fl, "analyze_p50_us") > 0 {
		add("Analyze p50 / floor p50 <= 1.5", med(ours, "analyze_p50_us")/med(fl, "analyze_p50_us"), 1.5, "x", true)
	}
	if lk := find(res, "node-like"); lk != nil && med(ours, "analyze_p50_us") > 0 {
		add("like-for-like Node p50 / ours p50 >= 10", med(lk, "analyze_p50_us")/med(ours, "analyze_p50_us"), 10, "x", false)
		if med(lk, "throughput_rps") > 0 {
			add("ours throughput / like-for-like Node throughput >= 10", med(ours, "throughput_rps")/med(lk, "throughput_rps"), 10, "x", false)
		}
	}
	add("spawn -> port line <= 5 ms", med(ours, "port_ms"), 5, "ms", true)
	add("AnalyzeStack 10,000 resources <= 100 ms", med(ours, "stack_10000_ms"), 100, "ms", true)
	add("peak RSS with 10,000 resources <= 20 MB", med(ours, "peak_rss_mb"), 20, "MB", true)
	return ts
}

func printTable(w io.Writer, res *Results) {
	cs := res.Contenders
	colw := 24
	fmt.Fprintf(w, "\n%-28s", fmt.Sprintf("median [min-max], %d runs", res.Params.Runs))
	for _, c := range cs {
		fmt.Fprintf(w, " %*s", colw, c.ID)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, strings.Repeat("-", 28+(colw+1)*len(cs)))
	for _, m := range metrics {
		fmt.Fprintf(w, "%-28s", m.title+" ("+m.unit+")")
		for _, c := range cs {
			s := c.Summary[m.key]
			cell := "-"
			if s.N > 0 && s.Median > 0 {
				cell = fmt.Sprintf("%s [%s-%s]", fmtVal(s.Median), fmtVal(s.Min), fmtVal(s.Max))
			}
			fmt.Fprintf(w, " %*s", colw, cell)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%-28s", "policies / diags per 1,000")
	for _, c := range cs {
		fmt.Fprintf(w, " %*s", colw, fmt.Sprintf("%d / %.0f", c.Policies, c.DiagsPer1k))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-28s", "exit on SIGINT")
	for _, c := range cs {
		fmt.Fprintf(w, " %*s", colw, c.Exit)
	}
	fmt.Fprintln(w)
	for _, c := range cs {
		for i, r := range c.Runs {
			if r.Error != "" {
				fmt.Fprintf(w, "ERROR %s run %d: %s\n", c.ID, i+1, firstLine(r.Error))
			}
		}
	}

	keys := []string{"port_ms", "analyze_p50_us", "analyze_p99_us", "throughput_rps", "stack_10000_ms", "peak_rss_mb", "cpu_ms_per_1000"}
	for _, ref := range []string{"ours", "floor"} {
		if find(res, ref) == nil {
			continue
		}
		fmt.Fprintf(w, "\nratio of medians, contender / %s:\n%-18s", ref, "")
		for _, k := range keys {
			fmt.Fprintf(w, " %15s", k)
		}
		fmt.Fprintln(w)
		for _, c := range cs {
			if c.ID == ref {
				continue
			}
			fmt.Fprintf(w, "%-18s", c.ID)
			for _, k := range keys {
				v, ok := res.Ratios[c.ID+"/"+ref][k]
				cell := "-"
				if ok {
					cell = fmt.Sprintf("%.2fx", v)
				}
				fmt.Fprintf(w, " %15s", cell)
			}
			fmt.Fprintln(w)
		}
	}
	if len(res.Callgrind) > 0 {
		var cg []cgResult
		if json.Unmarshal(res.Callgrind, &cg) == nil {
			fmt.Fprintln(w, "\ninstructions per Analyze call (callgrind, whole process, (Ir(N2)-Ir(N1))/(N2-N1)):")
			for _, r := range cg {
				if r.Error != "" {
					fmt.Fprintf(w, "  %-10s ERROR %s\n", r.ID, firstLine(r.Error))
					continue
				}
				fmt.Fprintf(w, "  %-10s %12.0f Ir/call [%.0f-%.0f], %d pair(s) of %d vs %d calls\n",
					r.ID, r.PerCallMedian, r.PerCallMin, r.PerCallMax, len(r.Pairs), r.N2, r.N1)
				if r.ToggleIrPerCall > 0 {
					fmt.Fprintf(w, "  %-10s %12.0f Ir/call inside %s (decode, policies, encode; profile in the JSON)\n",
						"", r.ToggleIrPerCall, r.Toggle)
				}
				if r.StackIr > 0 {
					fmt.Fprintf(w, "  %-10s %12d Ir for one AnalyzeStack of %d resources inside %s (profile in the JSON)\n",
						"", r.StackIr, r.StackN, r.StackFn)
				}
			}
		}
	}
	printPrevious(w, res.Previous)
	if len(res.Equivalence) > 0 {
		var e equivResult
		if json.Unmarshal(res.Equivalence, &e) == nil && e.Requests > 0 {
			fmt.Fprintf(w, "\nsame checks: %s agree on which policies fire for %d of %d Analyze requests (%.1f%%); "+
				"AnalyzeStack of %d resources: same (policy, resource) pairs: %v\n",
				e.Pair, e.Agree, e.Requests, 100*float64(e.Agree)/float64(e.Requests), e.StackSize, e.StackAgree)
		}
	}
	if len(res.E2E) > 0 {
		var e struct {
			Resources int `json:"resources"`
			Parallel  int `json:"parallel"`
			Previews  []struct {
				Pack     string `json:"pack"`
				Seconds  struct{ Median, Min, Max float64 }
				Overhead float64                  `json:"policy_overhead_seconds"`
				PackCPU  struct{ Median float64 } `json:"pack_cpu_seconds"`
			} `json:"previews"`
		}
		if json.Unmarshal(res.E2E, &e) == nil && len(e.Previews) > 0 {
			fmt.Fprintf(w, "\npreview of %d resources through the real engine (--parallel %d); the pack's share is "+
				"its process's CPU time over the preview's wall time:\n", e.Resources, e.Parallel)
			for _, p := range e.Previews {
				fmt.Fprintf(w, "  %-10s %8.2f s [%.2f-%.2f]   policy overhead %+.2f s", p.Pack, p.Seconds.Median,
					p.Seconds.Min, p.Seconds.Max, p.Overhead)
				if p.Pack != "none" && p.Seconds.Median > 0 {
					fmt.Fprintf(w, "   pack CPU %.2f s (%.0f%%)", p.PackCPU.Median,
						100*p.PackCPU.Median/p.Seconds.Median)
				}
				fmt.Fprintln(w)
			}
		}
	}
	if len(res.Targets) > 0 {
		fmt.Fprintln(w, "\ntargets (medians; reported, not asserted):")
		for _, t := range res.Targets {
			mark := "MISS"
			if t.Met {
				mark = "met "
			}
			fmt.Fprintf(w, "  %s  %-55s measured %s %s\n", mark, t.Name, fmtVal(t.Measured), t.Unit)
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
