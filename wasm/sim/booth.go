package sim

import (
	"fmt"
	"time"
)

// Booth mode loops on its own, for a screen at a conference booth: deploy a noisy chip,
// let it recover for a while, show the result, then deploy the next chip (the next seed).
type boothState struct {
	phase string // "" (off), "recover" or "result"
	since time.Time
	note  string
}

const (
	boothRecover = 45 * time.Second // training time per chip
	boothResult  = 8 * time.Second  // how long the result stays up
)

// boothChanged follows the booth setting: on, it starts recovering the current chip from
// its deployment; off, it stops looping (training goes on or stays paused as it is).
func (s *Session) boothChanged() {
	if !s.set.Booth {
		s.booth = boothState{}
		return
	}
	s.booth = boothState{phase: "recover", since: s.now()}
	if s.run != nil {
		s.Reset()
		s.running = true
	}
}

// boothTick moves booth mode along.
func (s *Session) boothTick(now time.Time) {
	if !s.set.Booth || s.run == nil {
		return
	}
	switch s.booth.phase {
	case "":
		s.booth = boothState{phase: "recover", since: now}
		s.running = true
	case "recover":
		s.running = !s.run.Done()
		if now.Sub(s.booth.since) < boothRecover && !s.run.Done() {
			return
		}
		st := s.Stats()
		s.booth = boothState{phase: "result", since: now, note: fmt.Sprintf(
			"chip %d recovered from %.1f %% to %.1f %% in %d ONN queries, drawing %.0f %% less power than a fully active chip",
			s.set.Seed, st.DeployedAccuracy, st.Accuracy, st.Queries, st.Saving)}
		s.running = false
	case "result":
		if now.Sub(s.booth.since) < boothResult {
			return
		}
		s.Redeploy()
		s.running = true
		s.booth = boothState{phase: "recover", since: now}
	}
}
