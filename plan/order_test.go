package plan

import (
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"testing"
)

// randomDAG makes n nodes with edges only from lower to higher labels, then
// hides that order behind a random relabelling.
func randomDAG(r *rand.Rand, n int, density float64) [][2]int {
	perm := r.Perm(n)
	var edges [][2]int
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if r.Float64() < density {
				edges = append(edges, [2]int{perm[i], perm[j]})
			}
		}
	}
	return edges
}

// TestTopoProperties checks, over many seeded random graphs, that every edge
// is respected, every node appears once, and the order does not depend on the
// order the edges come in.
func TestTopoProperties(t *testing.T) {
	r := rand.New(rand.NewSource(20261124))
	for iter := 0; iter < 2000; iter++ {
		n := 1 + r.Intn(40)
		edges := randomDAG(r, n, r.Float64()*0.3)
		prio := r.Perm(n) // an arbitrary tie-break, fixed per graph
		less := func(i, j int) bool { return prio[i] < prio[j] }
		got, err := topo(n, edges, less, nil)
		if err != nil {
			t.Fatalf("iter %d: acyclic graph reported as %v", iter, err)
		}
		pos := make([]int, n)
		for i := range pos {
			pos[i] = -1
		}
		for i, v := range got {
			if pos[v] >= 0 {
				t.Fatalf("iter %d: node %d twice", iter, v)
			}
			pos[v] = i
		}
		if len(got) != n {
			t.Fatalf("iter %d: %d of %d nodes", iter, len(got), n)
		}
		for _, e := range edges {
			if pos[e[0]] >= pos[e[1]] {
				t.Fatalf("iter %d: edge %d→%d broken by order %v", iter, e[0], e[1], got)
			}
		}
		shuffled := slices.Clone(edges)
		r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		again, err := topo(n, shuffled, less, nil)
		if err != nil || !slices.Equal(got, again) {
			t.Fatalf("iter %d: order changed with edge order: %v then %v (%v)", iter, got, again, err)
		}
	}
}

// TestTopoCycles adds a back edge to random graphs: the error must name a
// real loop (every consecutive pair an edge, closed), the same every time.
func TestTopoCycles(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for iter := 0; iter < 2000; iter++ {
		n := 2 + r.Intn(30)
		edges := randomDAG(r, n, 0.2)
		// a path a→…→b exists if there is an edge; close it with b→a
		if len(edges) == 0 {
			edges = append(edges, [2]int{0, 1})
		}
		e := edges[r.Intn(len(edges))]
		edges = append(edges, [2]int{e[1], e[0]})
		_, err := topo(n, edges, func(i, j int) bool { return i < j }, nil)
		var ce *cycleIdx
		if !errors.As(err, &ce) {
			t.Fatalf("iter %d: cyclic graph gave %v", iter, err)
		}
		loop := ce.nodes
		if len(loop) < 3 || loop[0] != loop[len(loop)-1] {
			t.Fatalf("iter %d: %v is not a closed loop", iter, loop)
		}
		has := map[[2]int]bool{}
		for _, e := range edges {
			has[e] = true
		}
		for k := 1; k < len(loop); k++ {
			if !has[[2]int{loop[k-1], loop[k]}] {
				t.Fatalf("iter %d: loop %v uses %d→%d, not an edge", iter, loop, loop[k-1], loop[k])
			}
		}
		_, err2 := topo(n, edges, func(i, j int) bool { return i < j }, nil)
		if err.Error() != err2.Error() {
			t.Fatalf("iter %d: cycle reported differently: %v then %v", iter, err, err2)
		}
	}
}

// TestTopoPriority: with no edges, nodes come out in priority order.
func TestTopoPriority(t *testing.T) {
	got, err := topo(5, nil, func(i, j int) bool { return i > j }, nil)
	if err != nil || fmt.Sprint(got) != "[4 3 2 1 0]" {
		t.Errorf("topo without edges = %v, %v; want [4 3 2 1 0]", got, err)
	}
	got, _ = topo(3, [][2]int{{0, 2}}, func(i, j int) bool { return i > j }, nil)
	if fmt.Sprint(got) != "[1 0 2]" {
		t.Errorf("topo with 0→2 = %v; want [1 0 2]", got)
	}
}
