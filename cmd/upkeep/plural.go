package main

import "fmt"

// plural is noun for one thing and noun+"s" for any other count; every noun
// upkeep counts in its messages takes a plain "s".
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// nouns is a count with its noun: "1 file", "0 files", "2 files".
func nouns(n int, noun string) string {
	return fmt.Sprintf("%d %s", n, plural(n, noun))
}

// verb is the form of a verb that agrees with a count: one for 1, many
// otherwise ("1 host has", "2 hosts have").
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
