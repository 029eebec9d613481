package plan

import (
	"container/heap"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// CycleError reports steps whose dependencies form a loop; the plan cannot
// be ordered until a rule is changed.
type CycleError struct {
	Steps []string // the steps in the loop, in dependency order, first repeated at the end
	Rules []string // the rule behind each edge of the loop
}

func (e *CycleError) Error() string {
	var b strings.Builder
	b.WriteString("dependency cycle: ")
	for i, s := range e.Steps {
		if i > 0 {
			fmt.Fprintf(&b, " →[%s] ", e.Rules[i-1])
		}
		b.WriteString(s)
	}
	b.WriteString("; change one of these rules so the steps can be ordered")
	return b.String()
}

// link applies every rule to every ordered pair of steps.
func link(steps []*Step, rules []Rule, nwaves int) error {
	waves := map[string][]bool{}
	for _, s := range steps {
		k := s.change()
		if waves[k] == nil {
			waves[k] = make([]bool, nwaves)
		}
		waves[k][s.wave] = true
	}
	for _, s := range steps {
		s.prevWave = -1
		w := waves[s.change()]
		for i := s.wave - 1; i >= 0; i-- {
			if w[i] {
				s.prevWave = i
				break
			}
		}
	}
	for ri := range rules {
		r := &rules[ri]
		if r.Before == nil {
			return fmt.Errorf("plan rule %q has no test", r.Name)
		}
		for _, b := range steps {
			for _, a := range steps {
				if a != b && r.Before(a, b) {
					b.deps = append(b.deps, dep{on: a, rule: r})
				}
			}
		}
	}
	return nil
}

// less is the order among steps whose dependencies are all done: earlier
// wave, then more urgent, then lower risk (the team learns on the easy
// steps), then a stable key so that the same input gives the same plan.
func less(a, b *Step) bool {
	if a.wave != b.wave {
		return a.wave < b.wave
	}
	if a.Urgency != b.Urgency {
		return a.Urgency > b.Urgency
	}
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return stepKey(a) < stepKey(b)
}

func stepKey(s *Step) string {
	kind := "1"
	if s.Kind == KindOS {
		kind = "0"
	}
	return s.Cohort + "\x00" + kind + "\x00" + s.Product + "\x00" + s.FromCycle + "\x00" + s.To
}

// order sorts steps topologically, picking by less among the ready ones.
func order(steps []*Step) ([]*Step, error) {
	idx := make(map[*Step]int, len(steps))
	for i, s := range steps {
		idx[s] = i
	}
	var edges [][2]int
	for i, s := range steps {
		for _, d := range s.deps {
			edges = append(edges, [2]int{idx[d.on], i})
		}
	}
	got, err := topo(len(steps), edges, func(i, j int) bool { return less(steps[i], steps[j]) }, func(i, next int) {
		if next >= 0 && steps[next].wave == steps[i].wave {
			steps[i].ahead = steps[next]
		}
	})
	if err != nil {
		var ce *cycleIdx
		if errors.As(err, &ce) {
			e := &CycleError{}
			for k, n := range ce.nodes {
				e.Steps = append(e.Steps, describe(steps[n]))
				if k > 0 {
					e.Rules = append(e.Rules, ruleBetween(steps[ce.nodes[k-1]], steps[n]))
				}
			}
			return nil, e
		}
		return nil, err
	}
	out := make([]*Step, len(got))
	for i, n := range got {
		out[i] = steps[n]
	}
	return out, nil
}

func describe(s *Step) string {
	return fmt.Sprintf("%s %s→%s on %s", s.Product, s.FromCycle, s.To, s.Cohort)
}

func ruleBetween(a, b *Step) string {
	var names []string
	for _, d := range b.deps {
		if d.on == a {
			names = append(names, d.rule.Name)
		}
	}
	return strings.Join(names, ",")
}

// cycleIdx is topo's cycle, as node indexes.
type cycleIdx struct{ nodes []int }

func (c *cycleIdx) Error() string { return fmt.Sprintf("dependency cycle through nodes %v", c.nodes) }

// topo returns an order of n nodes in which every edge {a, b} has a before b,
// choosing by less among the nodes that are ready; or a *cycleIdx naming one
// loop when there is none. picked, when not nil, learns each node taken and
// the best node left ready beside it (-1 if none), which is what the node
// was chosen ahead of.
func topo(n int, edges [][2]int, less func(i, j int) bool, picked func(i, next int)) ([]int, error) {
	indeg := make([]int, n)
	out := make([][]int, n)
	for _, e := range edges {
		out[e[0]] = append(out[e[0]], e[1])
		indeg[e[1]]++
	}
	h := &nodeHeap{less: less}
	for i := 0; i < n; i++ {
		if indeg[i] == 0 {
			h.items = append(h.items, i)
		}
	}
	heap.Init(h)
	res := make([]int, 0, n)
	for h.Len() > 0 {
		i := heap.Pop(h).(int)
		res = append(res, i)
		if picked != nil {
			next := -1
			if h.Len() > 0 {
				next = h.items[0]
			}
			picked(i, next)
		}
		for _, j := range out[i] {
			indeg[j]--
			if indeg[j] == 0 {
				heap.Push(h, j)
			}
		}
	}
	if len(res) == n {
		return res, nil
	}
	return nil, &cycleIdx{nodes: loopOf(n, edges, indeg)}
}

// loopOf walks back from a node left with unmet dependencies: every such
// node has a predecessor also left, so the walk must revisit a node, and the
// part from that node on is a loop. The loop is rotated to start at its
// smallest node so the message is the same for the same graph.
func loopOf(n int, edges [][2]int, indeg []int) []int {
	pred := make([][]int, n)
	for _, e := range edges {
		if indeg[e[0]] > 0 && indeg[e[1]] > 0 {
			pred[e[1]] = append(pred[e[1]], e[0])
		}
	}
	for i := range pred {
		sort.Ints(pred[i])
	}
	start := -1
	for i := 0; i < n; i++ {
		if indeg[i] > 0 {
			start = i
			break
		}
	}
	seen := map[int]int{}
	var path []int
	for cur := start; ; cur = pred[cur][0] {
		if at, ok := seen[cur]; ok {
			loop := slices.Clone(path[at:])
			slices.Reverse(loop) // walked backwards: turn it into dependency order
			m := 0
			for k := range loop {
				if loop[k] < loop[m] {
					m = k
				}
			}
			loop = append(loop[m:], loop[:m]...)
			return append(loop, loop[0])
		}
		seen[cur] = len(path)
		path = append(path, cur)
	}
}

type nodeHeap struct {
	items []int
	less  func(i, j int) bool
}

func (h *nodeHeap) Len() int           { return len(h.items) }
func (h *nodeHeap) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *nodeHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *nodeHeap) Push(x any)         { h.items = append(h.items, x.(int)) }
func (h *nodeHeap) Pop() any {
	old := h.items
	x := old[len(old)-1]
	h.items = old[:len(old)-1]
	return x
}

// dependsOn lists the step numbers this step waits for, sorted.
func (s *Step) dependsOn() []int {
	out := []int{}
	for _, d := range s.deps {
		out = append(out, d.on.Number)
	}
	sort.Ints(out)
	return slices.Compact(out)
}

// explainPlace says, in words, why the step is where it is: its wave, each
// rule that holds it after other steps, and what it was taken ahead of among
// the steps of its wave that were ready at the same time.
func explainPlace(s *Step, waves []string) []string {
	var w []string
	if s.wave == 0 {
		w = append(w, fmt.Sprintf("wave 1 of %d (%s): the first wave", len(waves), s.Wave))
	} else {
		w = append(w, fmt.Sprintf("wave %d of %d (%s): after every step of %s", s.wave+1, len(waves), s.Wave, strings.Join(waves[:s.wave], ", ")))
	}
	type byRule struct {
		rule  *Rule
		steps []int
	}
	var groups []*byRule
	last := 0
	for _, d := range s.deps {
		var g *byRule
		for _, x := range groups {
			if x.rule == d.rule {
				g = x
			}
		}
		if g == nil {
			g = &byRule{rule: d.rule}
			groups = append(groups, g)
		}
		g.steps = append(g.steps, d.on.Number)
		last = max(last, d.on.Number)
	}
	for _, g := range groups {
		sort.Ints(g.steps)
		g.steps = slices.Compact(g.steps)
		w = append(w, fmt.Sprintf("after %s [%s]: %s", stepList(g.steps), g.rule.Name, g.rule.Reason))
	}
	ready := "no dependencies"
	if last > 0 {
		ready = fmt.Sprintf("ready once step %d is done", last)
	}
	u := s.facts.urgency
	switch a := s.ahead; {
	case a == nil:
		w = append(w, fmt.Sprintf("%s; the only step of its wave ready at that point (urgency %d: %s)", ready, s.Urgency, u))
	case a.Urgency != s.Urgency:
		w = append(w, fmt.Sprintf("%s; taken before step %d (%s), also ready, as more urgent: urgency %d (%s) against %d",
			ready, a.Number, describeShort(a), s.Urgency, u, a.Urgency))
	case a.Score != s.Score:
		w = append(w, fmt.Sprintf("%s; taken before step %d (%s), also ready and as urgent (%d: %s), as lower risk: score %d against %d, so the team learns on the easier step",
			ready, a.Number, describeShort(a), s.Urgency, u, s.Score, a.Score))
	default:
		w = append(w, fmt.Sprintf("%s; taken before step %d (%s), as urgent (%d: %s) and as risky (score %d): cohort and product names break the tie",
			ready, a.Number, describeShort(a), s.Urgency, u, s.Score))
	}
	if s.Canary != "" {
		w = append(w, fmt.Sprintf("production: do %s first, watch it, then the other %s", s.Canary, plural(s.HostCount-1, "host")))
	}
	return w
}

// describeShort names a step in a sentence: "PHP 7.4 → 8.3 on web/prod #1".
func describeShort(s *Step) string {
	if s.Action == ActionKeep {
		return fmt.Sprintf("%s %s kept on %s", s.ProductLabel, s.FromCycle, s.Cohort)
	}
	if s.ToLabel != "" {
		return fmt.Sprintf("%s %s → %s %s on %s", s.ProductLabel, s.FromCycle, s.ToLabel, s.To, s.Cohort)
	}
	return fmt.Sprintf("%s %s → %s on %s", s.ProductLabel, s.FromCycle, s.To, s.Cohort)
}

func stepList(n []int) string {
	p := make([]string, len(n))
	for i, x := range n {
		p[i] = fmt.Sprint(x)
	}
	if len(n) == 1 {
		return "step " + p[0]
	}
	return "steps " + strings.Join(p, ", ")
}
