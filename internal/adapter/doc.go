// Package adapter holds what the channel adapters (internal/line,
// internal/slack, internal/web) share, so that they are built, retry and
// count the same way: Deps, the dependencies every adapter is constructed
// from; NewHTTPClient, the client for platform APIs; and Caller, the one
// retry loop for platform calls, with its Policy.
//
// The package knows nothing of any platform; adapters import it and never
// each other.
package adapter
