// Package staff posts to the support-network staff on its own: the weekly
// digest of the question log when its time comes (Weekly), and notices
// such as a refused knowledge reload (Notices), each once across the
// replicas that share a database.
//
// Replicas agree through bot.Claims: the first to claim a week's digest
// posts it, under a lease; a replica that dies before it has posted loses
// the week to the next one to look once the lease runs out, and a posted
// week is marked done and never posted again. What is posted, and where,
// is the caller's: the package knows neither Slack nor the question log,
// only when and who.
package staff
