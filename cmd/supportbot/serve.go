package main

import "errors"

// runServe is filled in by the server issue.
func runServe(env *environment, args []string) error {
	return errors.New("serve: not built yet")
}
