package sim

import (
	"fmt"
	"sync"

	"github.com/meshlight/meshlight/wasm/wire"
)

// A page may send its engine any number of commands at once (a script's loop, a key held
// down), and the engine must end in the state the last of them asks for, training if it
// says so, whatever their number: none may be lost (an earlier engine queued them in a
// bounded channel and dropped the tail of a burst, the page's snapshot request with it, and
// the page then waited for that snapshot for good). So commands are not queued at all: the
// Inbox applies each to the Session as it arrives (Session.Command), in order, which costs
// little because a command never deploys a chip itself. It marks the deployment it needs,
// and the Session deploys once, when the run is next looked at (Flush: the engine's next
// slice or snapshot). A burst of resets, redeploys and settings changes thus costs one
// deployment, the last, and holds no memory beyond the Session's own.

// Command is one command of a page for a Session.
type Command struct {
	// Name is start, pause, end, until (with Until), step, reset, redeploy, clearErrors,
	// set (with Params) or file (with File and Data).
	Name   string
	Params map[string]string // set: settings by URL parameter name, in their URL form
	Until  *wire.Plateau     // until: the rule that ends the run, nil for none
	File   string            // file: the model file's name
	Data   []byte            // file: its bytes
}

// Command applies one command of the page and returns the messages about it (a set's
// refused values, a file refused by name or size, an unknown command), which it also
// reports. It deploys no chip: a command that needs a new run (reset, redeploy, a settings
// change, start on a finished run) marks it, and the Session deploys once at Flush, which
// Tick calls first, from the settings as they are then. The outcome is the one of the eager
// methods (Start, Reset, Set, ...) applied in the same order, less the intermediate runs
// nobody trained; a rule given by until after a reset is the new run's, as it would be.
// Step trains and end programs the chip back, so they act on the run the commands before
// asked for: it is deployed first, and a run stepped on and then replaced stays among the
// earlier runs shown for comparison, as with the eager methods.
func (s *Session) Command(c Command) []error {
	switch c.Name {
	case "step":
		s.Flush()
		s.Step()
		return nil
	case "end":
		s.Flush()
		s.End()
		return nil
	}
	s.runner.deferring = true
	defer func() { s.runner.deferring = false }()
	switch c.Name {
	case "start":
		s.Start()
	case "pause":
		s.Pause()
	case "until":
		s.Until(c.Until)
	case "reset":
		s.Reset()
	case "redeploy":
		s.Redeploy()
	case "clearErrors":
		s.ClearErrors()
	case "set":
		return s.Set(c.Params)
	case "file":
		if err := s.LoadFile(c.File, c.Data); err != nil {
			return []error{err}
		}
	default:
		err := fmt.Errorf("unknown command %q (known: start, pause, end, until, step, reset, redeploy, clearErrors, set, file)", c.Name)
		s.report(err)
		return []error{err}
	}
	return nil
}

// Flush deploys the chip that the commands applied since the last Flush asked for, if any.
func (s *Session) Flush() {
	deployed, err := s.runner.flush(&s.loader, s.set)
	if deployed {
		s.report(err)
		s.report(s.display.attach(&s.runner))
	}
}

// Inbox takes a page's commands for a Session as they arrive, from the thread's message
// handler, while the engine's loop trains the Session between them: it applies each at
// once under its lock (Session.Command), so none waits in a queue, none is dropped, and a
// burst of any length holds no memory. The loop works on the Session through Do, and
// answers the page's snapshot requests through Snapshot, both under the same lock. Wake
// signals the loop that a command arrived (it may wait idle for one).
type Inbox struct {
	mu   sync.Mutex
	s    *Session
	seq  uint64 // the number of the last command applied (the page numbers its commands)
	wake chan struct{}
}

// NewInbox returns an Inbox for s, which from then on is used through it only.
func NewInbox(s *Session) *Inbox {
	return &Inbox{s: s, wake: make(chan struct{}, 1)}
}

// Push applies command c, numbered seq by the page, to the Session and returns the
// messages about it (Session.Command). A command without a name only records seq: one for
// the engine alone (a page holding it during a race), or refused before it reached the
// Session.
func (in *Inbox) Push(seq uint64, c Command) []error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.seq = seq
	var errs []error
	if c.Name != "" {
		errs = in.s.Command(c)
	}
	select {
	case in.wake <- struct{}{}:
	default: // a wake is pending already
	}
	return errs
}

// Do calls f with the Session under the Inbox's lock: the engine's loop trains through it
// (Tick deploys first what the commands asked for), and the engine's own changes (a message
// about a bad command) go through it.
func (in *Inbox) Do(f func(s *Session)) {
	in.mu.Lock()
	defer in.mu.Unlock()
	f(in.s)
}

// Snapshot appends to dst the encoded snapshot of the Session for a page that holds have
// (its sequence number the last command's), after deploying what the commands asked for,
// with what the engine holds in memory in its stats.
func (in *Inbox) Snapshot(dst []byte, have Have) []byte {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.s.Flush()
	sn := in.s.Snapshot(in.seq, have)
	sn.Stats.EngineHeap, sn.Stats.EngineMemory = engineMemory()
	return sn.Append(dst)
}

// Seq is the number of the last command applied.
func (in *Inbox) Seq() uint64 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.seq
}

// Wake receives a value after a command has arrived (one for any number since the last).
func (in *Inbox) Wake() <-chan struct{} { return in.wake }
