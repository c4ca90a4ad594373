package bot

import (
	"context"
	"errors"
	"time"
)

// ErrClaimLost is the error of Claims.Finish when the holder no longer
// holds the job: its lease ran out and another holder took the job over
// (or the job was finished meanwhile).
var ErrClaimLost = errors.New("bot: claim lost")

// Claim is a job as a Claims store holds it.
type Claim struct {
	// Holder is who holds the job, or held it last.
	Holder string
	// Until is when Holder's lease runs out: after it, unless the job is
	// done, another holder may take it over.
	Until time.Time
	// Done reports whether the job is finished; a finished job is never
	// handed out again.
	Done bool
}

// Held reports whether holder has the job to do.
func (c Claim) Held(holder string) bool { return c.Holder == holder && !c.Done }

// Claims hands a job to one of several replicas sharing a database: the
// first to claim it gets it, for a lease; if it does not finish within
// the lease (it crashed, or lost the database), the next to claim it gets
// it. The weekly digest to the staff is posted once across replicas this
// way. Implementations (internal/sqlite, internal/postgres) pass the
// contract suite in internal/storetest.
//
// Times come from the caller, so replicas should keep their clocks within
// a small fraction of a lease of each other (NTP does).
type Claims interface {
	// Claim asks for the job called name on behalf of holder at now. The
	// job goes to holder, with a lease until now+lease, when nobody has
	// claimed it yet, when holder holds it already (its lease is
	// extended), or when the last holder's lease ran out before the job
	// was done. Claim returns the job as it stands after the call: holder
	// has it if Claim.Held(holder). Racing claims give the job to one.
	Claim(ctx context.Context, name, holder string, now time.Time, lease time.Duration) (Claim, error)
	// Finish marks the job done at now, so that no one is handed it
	// again. It fails with ErrClaimLost, and changes nothing, when holder
	// does not hold the job: another took it over, or it is done. (A
	// lease that ran out without anyone taking the job over still lets
	// its holder finish.)
	Finish(ctx context.Context, name, holder string, now time.Time) error
}
