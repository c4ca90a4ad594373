package main

import "errors"

func runAsk(env *environment, args []string) error  { return errors.New("ask: not built yet") }
func runChat(env *environment, args []string) error { return errors.New("chat: not built yet") }
func runEval(env *environment, args []string) error { return errors.New("eval: not built yet") }
