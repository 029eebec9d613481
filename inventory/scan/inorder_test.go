package scan

import (
	"context"
	"testing"
)

// TestInOrder checks the import pipeline hands results over in input order
// whatever order the workers finish in.
func TestInOrder(t *testing.T) {
	const n = 1000
	var got []int
	err := inOrder(context.Background(), n, 8, func(i int) int { return i * 2 }, func(i, v int) error {
		if v != i*2 {
			t.Fatalf("result %d for index %d", v, i)
		}
		got = append(got, i)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if i != v {
			t.Fatalf("position %d holds %d", i, v)
		}
	}
	if len(got) != n {
		t.Fatalf("%d results, want %d", len(got), n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := inOrder(ctx, n, 8, func(i int) int { return i }, func(int, int) error { return nil }); err == nil {
		t.Errorf("cancelled context: no error")
	}
}
