package canvas

import (
	"math"
	"strings"
	"time"
)

// Resolution is the game's dynamic resolution: the fraction of its full resolution (the
// device's pixels, at most two per CSS pixel) that it lays its screen out and draws at,
// which ebiten then scales up to the canvas. A software WebGL renderer (SwiftShader, where
// a browser has no GPU it trusts) fills every pixel on the CPU, so a large screen is slow
// there; on a GPU the frames come fast and the fraction stays 1. Frames are counted over
// windows of about a second: slower than SlowFPS on average, the fraction goes down a
// level (never below the last of ResolutionLevels, half: the screen keeps at least half
// its CSS pixels each way); faster than FastFPS, it goes up one. Between the two it stays,
// so it does not swing between two levels whose rates straddle one threshold. The window
// after a change is not judged (the change itself draws every cached picture again), nor
// one with a gap of StallGap between two frames (the page stood still: a hidden tab, a
// sleeping screen), which says nothing of the renderer.
type Resolution struct {
	level  int       // into ResolutionLevels
	start  time.Time // the window's first frame
	frames int       // frames since start
	judge  bool      // the window counts (false for the first and the one after a change)
	last   time.Time // the last frame
}

// ResolutionLevels are the fractions of the full resolution a Resolution steps through.
var ResolutionLevels = []float64{1, 0.75, 0.5}

const (
	// SlowFPS is the frame rate below which a Resolution lowers the resolution.
	SlowFPS = 20
	// FastFPS is the frame rate above which a Resolution raises it again.
	FastFPS = 40
	// resolutionWindow is how long a Resolution counts frames before judging them.
	resolutionWindow = time.Second
	// StallGap is a gap between two frames that leaves the window unjudged.
	StallGap = 3 * time.Second
)

// Skip leaves the frames until the next Frame out of the judging: the page is loading, and
// its frames say nothing of the renderer.
func (r *Resolution) Skip() { r.start = time.Time{} }

// Fraction is the fraction of the full resolution to draw at now.
func (r *Resolution) Fraction() float64 { return ResolutionLevels[r.level] }

// Frame counts a frame at now and reports whether the fraction changed.
func (r *Resolution) Frame(now time.Time) bool {
	if r.start.IsZero() || now.Sub(r.last) >= StallGap || now.Before(r.last) {
		r.start, r.last, r.frames, r.judge = now, now, 0, false
		return false
	}
	r.last = now
	r.frames++
	elapsed := now.Sub(r.start)
	if elapsed < resolutionWindow {
		return false
	}
	fps := float64(r.frames) / elapsed.Seconds()
	judge := r.judge
	r.start, r.frames, r.judge = now, 0, true
	if !judge {
		return false
	}
	switch {
	case fps < SlowFPS && r.level < len(ResolutionLevels)-1:
		r.level++
	case fps > FastFPS && r.level > 0:
		r.level--
	default:
		return false
	}
	r.judge = false
	return true
}

// ScreenScale is the screen's pixels per CSS pixel for a device pixel ratio dpr (as the
// game sees it) at a fraction of the full resolution: the device's pixels, at most two per
// CSS pixel, times the fraction; never below half a pixel per CSS pixel.
func ScreenScale(dpr, fraction float64) float64 {
	return math.Max(math.Min(dpr, 2)*fraction, 0.5)
}

// SoftwareRenderer reports whether a WebGL renderer, by the name the browser gives it
// (WEBGL_debug_renderer_info's unmasked renderer), draws on the CPU: Chrome's SwiftShader
// (its WebGL where it trusts no GPU, and in headless runs) or Mesa's llvmpipe and softpipe.
// There every pixel of the canvas costs CPU time in each frame, the browser's own copy of
// it to the page included.
func SoftwareRenderer(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"swiftshader", "llvmpipe", "softpipe", "software"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
