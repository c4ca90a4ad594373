package evaluate

import (
	"fmt"
	"strings"
	"testing"
)

func TestFloorCheck(t *testing.T) {
	floor := Floor{Hit1: 0.90, Hit3: 0.97, Rejection: 0.90, FalseRejection: 0.03}
	tests := []struct {
		name string
		s    Scores
		want []string // parts of the error; none: nil
	}{
		{"at the floor", Scores{InScope: 100, OutOfScope: 10, Hit1: 0.90, Hit3: 0.97, Rejection: 0.90, FalseRejection: 0.03}, nil},
		{"above", Scores{InScope: 100, OutOfScope: 10, Hit1: 1, Hit3: 1, Rejection: 1}, nil},
		{"Hit@1 under", Scores{InScope: 100, OutOfScope: 10, Hit1: 0.89, Hit3: 0.97, Rejection: 1}, []string{"Hit@1 0.890 is under the floor 0.90"}},
		{"several", Scores{InScope: 100, OutOfScope: 10, Hit1: 0.5, Hit3: 0.6, Rejection: 0.5, FalseRejection: 0.2},
			[]string{"Hit@1 0.500", "Hit@3 0.600", "rejection 0.500", "false rejection 0.200 is over the ceiling 0.03"}},
		{"no out-of-scope questions", Scores{InScope: 10, Hit1: 1, Hit3: 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := floor.Check(tt.s)
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("Check(%+v) = %v; want nil", tt.s, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check(%+v) = nil; want an error with %q", tt.s, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Check(%+v) = %v; want it to contain %q", tt.s, err, w)
				}
			}
		})
	}
}

func TestNoWorse(t *testing.T) {
	base := Scores{InScope: 40, OutOfScope: 10, Hit1: 0.9, Hit3: 0.95, Rejection: 0.8}
	tests := []struct {
		name string
		got  Scores
		want []string
	}{
		{"same", base, nil},
		{"better", Scores{InScope: 40, OutOfScope: 10, Hit1: 1, Hit3: 1, Rejection: 1}, nil},
		{"one question fewer at 1", Scores{InScope: 40, OutOfScope: 10, Hit1: 0.875, Hit3: 0.95, Rejection: 0.8},
			[]string{"Hit@1 0.875 is under the running version's 0.900 (1 of 40 questions fewer)"}},
		{"rejection fell", Scores{InScope: 40, OutOfScope: 10, Hit1: 0.9, Hit3: 0.95, Rejection: 0.6},
			[]string{"out-of-scope rejection 0.600 is under the running version's 0.800 (2 of 10 questions fewer)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NoWorse(tt.got, base)
			if len(tt.want) == 0 {
				if err != nil {
					t.Errorf("NoWorse(%+v) = %v; want nil", tt.got, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("NoWorse(%+v) = nil; want an error", tt.got)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("NoWorse(%+v) = %v; want it to contain %q", tt.got, err, w)
				}
			}
		})
	}
}

// TestDevIsTheDevelopmentSet: the embedded set is the file the targets
// are measured on, and callers cannot change it for each other.
func TestDevIsTheDevelopmentSet(t *testing.T) {
	items, err := Dev()
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 64 {
		t.Errorf("Dev() has %d questions; want the 64 of testdata/dev.jsonl", len(items))
	}
	items[0].Q = "changed"
	again, _ := Dev()
	if again[0].Q == "changed" {
		t.Error("Dev() returns a slice shared between callers")
	}
}

func ExampleNoWorse() {
	running := Scores{InScope: 20, OutOfScope: 4, Hit1: 0.95, Hit3: 1, Rejection: 1}
	edited := Scores{InScope: 20, OutOfScope: 4, Hit1: 0.90, Hit3: 1, Rejection: 1}
	fmt.Println(NoWorse(edited, running))
	fmt.Println(NoWorse(running, running))
	// Output:
	// evaluate: Hit@1 0.900 is under the running version's 0.950 (1 of 20 questions fewer)
	// <nil>
}
