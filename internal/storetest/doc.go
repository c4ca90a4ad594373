// Package storetest holds the contract suites every store runs, like
// testing/fstest.TestFS: one function per contract of internal/bot, given
// a way to open an empty store. internal/sqlite and internal/postgres run
// the same suites, so both keep the contract the same way.
package storetest
