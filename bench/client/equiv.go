package main

// -equiv A,B: send the same requests to two contenders and compare which policies fire on which
// resources (mandatory and advisory diagnostics, excluding the Node SDK's "can't run policy
// during preview" advisories for unknown values). It checks that the like-for-like pack really
// implements the same checks as ours, so the speed comparison compares like with like.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"pulumi-policy-c/bench/client/workload"
)

type equivResult struct {
	A, B      string            `json:"-"`
	Pair      string            `json:"pair"`
	Requests  int               `json:"requests"`
	Agree     int               `json:"requests_agreeing"`
	PerPolicy map[string][3]int `json:"per_policy"` // policy -> [both, only A, only B] resource counts
	Examples  []string          `json:"examples,omitempty"`
	Error     string            `json:"error,omitempty"`
	// AnalyzeStack over one stack of StackSize resources: policy -> [both, only A, only B]
	// (policy, resource) pairs.
	StackSize      int               `json:"stack_size"`
	StackPerPolicy map[string][3]int `json:"stack_per_policy"`
	StackAgree     bool              `json:"stack_agree"`
}

func firedPolicies(resp *pulumirpc.AnalyzeResponse, msgs map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, d := range resp.Diagnostics {
		if strings.Contains(d.Message, "can't run policy") {
			continue
		}
		out[d.PolicyName] = true
		msgs[d.PolicyName] = d.Message
	}
	return out
}

func runEquiv(cs []Contender, pair, engineAddr string, reqs []*pulumirpc.AnalyzeRequest, out string) {
	ids := strings.Split(pair, ",")
	if len(ids) != 2 {
		fatalf("-equiv wants two contender ids")
	}
	var procs [2]*proc
	for k, id := range ids {
		var c *Contender
		for i := range cs {
			if cs[i].ID == id {
				c = &cs[i]
			}
		}
		if c == nil {
			fatalf("no contender %q", id)
		}
		p, err := spawn(*c, engineAddr, nil)
		if err != nil {
			fatalf("%s: %v", id, err)
		}
		if _, _, err := p.bootstrap(*c, engineAddr); err != nil {
			p.kill()
			fatalf("%s: %v", id, err)
		}
		procs[k] = p
		defer p.shutdown()
	}
	r := equivResult{Pair: pair, Requests: len(reqs), PerPolicy: map[string][3]int{}}
	for _, req := range reqs {
		var fired [2]map[string]bool
		msgs := map[string]string{}
		for k, p := range procs {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			resp, err := p.cli.Analyze(ctx, req)
			cancel()
			if err != nil {
				fatalf("%s: Analyze: %v", ids[k], err)
			}
			fired[k] = firedPolicies(resp, msgs)
		}
		same := true
		names := map[string]bool{}
		for n := range fired[0] {
			names[n] = true
		}
		for n := range fired[1] {
			names[n] = true
		}
		for n := range names {
			c := r.PerPolicy[n]
			switch {
			case fired[0][n] && fired[1][n]:
				c[0]++
			case fired[0][n]:
				c[1]++
				same = false
			default:
				c[2]++
				same = false
			}
			r.PerPolicy[n] = c
			if !(fired[0][n] && fired[1][n]) && len(r.Examples) < 12 {
				who := ids[0]
				if fired[1][n] {
					who = ids[1]
				}
				b, _ := json.Marshal(req.Properties.AsMap())
				ex := string(b)
				if len(ex) > 300 {
					ex = ex[:300] + "..."
				}
				r.Examples = append(r.Examples, fmt.Sprintf("%s only from %s on %s %s: %q", n, who, req.Type, ex, msgs[n]))
			}
		}
		if same {
			r.Agree++
		}
	}
	// The stack policies: one AnalyzeStack of a 1,000-resource stack.
	r.StackSize, r.StackPerPolicy, r.StackAgree = 1000, map[string][3]int{}, true
	stackReq := workload.StackRequest(4242, r.StackSize)
	var pairs [2]map[string]bool
	for k, p := range procs {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		resp, err := p.cli.AnalyzeStack(ctx, stackReq)
		cancel()
		if err != nil {
			fatalf("%s: AnalyzeStack: %v", ids[k], err)
		}
		pairs[k] = map[string]bool{}
		for _, d := range resp.Diagnostics {
			if !strings.Contains(d.Message, "can't run policy") {
				pairs[k][d.PolicyName+"\x00"+d.Urn] = true
			}
		}
	}
	for k := range pairs[0] {
		n := strings.SplitN(k, "\x00", 2)[0]
		c := r.StackPerPolicy[n]
		if pairs[1][k] {
			c[0]++
		} else {
			c[1]++
			r.StackAgree = false
		}
		r.StackPerPolicy[n] = c
	}
	for k := range pairs[1] {
		if !pairs[0][k] {
			n := strings.SplitN(k, "\x00", 2)[0]
			c := r.StackPerPolicy[n]
			c[2]++
			r.StackPerPolicy[n] = c
			r.StackAgree = false
		}
	}

	var names []string
	for n := range r.PerPolicy {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Printf("equivalence %s over %d requests: %d agree (%.1f%%)\n", pair, r.Requests, r.Agree,
		100*float64(r.Agree)/float64(r.Requests))
	fmt.Printf("  %-36s %8s %8s %8s\n", "policy (resources fired)", "both", "only "+ids[0], "only "+ids[1])
	for _, n := range names {
		c := r.PerPolicy[n]
		fmt.Printf("  %-36s %8d %8d %8d\n", n, c[0], c[1], c[2])
	}
	fmt.Printf("  AnalyzeStack of %d resources, (policy, resource) pairs:\n", r.StackSize)
	var snames []string
	for n := range r.StackPerPolicy {
		snames = append(snames, n)
	}
	sort.Strings(snames)
	for _, n := range snames {
		c := r.StackPerPolicy[n]
		fmt.Printf("  %-36s %8d %8d %8d\n", n, c[0], c[1], c[2])
	}
	for _, e := range r.Examples {
		fmt.Println("  e.g.", e)
	}
	if out != "" {
		b, _ := json.MarshalIndent(r, "", "  ")
		if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
			fatalf("write %s: %v", out, err)
		}
	}
}
