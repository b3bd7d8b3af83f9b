package sim

import (
	"math"
	"testing"
	"time"

	"github.com/meshlight/meshlight/render"
)

// The network view's snapshot holds, for every shipped model, what drawing needs and
// agrees with the chip: every device's phase and activity, each layer's entering light
// (the previous layer's clipped output), and outputs that add up to the logits.
func TestNetworkSnapshotOfShippedModels(t *testing.T) {
	fetch := staticSite(t)
	for _, m := range Catalog() {
		t.Run(m.Name, func(t *testing.T) {
			c := newClock()
			s := NewSession("?view=network&model="+m.Name, fetch)
			s.SetClock(c.now)
			ready(t, s, c)
			frame(s, c)
			sc := s.Scene()
			if sc.View != "network" {
				t.Fatalf("scene view %q", sc.View)
			}
			net := &sc.Network
			chip := s.Chip()
			if len(net.Layers) != len(chip.Layers()) {
				t.Fatalf("%d layers, the chip has %d", len(net.Layers), len(chip.Layers()))
			}
			total := 0
			for i := range net.Layers {
				l := &net.Layers[i]
				total += len(l.Sites)
				for d := range l.Sites {
					g := l.Offset + d
					if l.Phase[d] != chip.Phase(g) || l.Active[d] != chip.IsActive(g) || l.Effective[d] != chip.Effective(g) {
						t.Fatalf("layer %d device %d: snapshot (%g, %v) chip (%g, %v)", i, d, l.Phase[d], l.Active[d], chip.Phase(g), chip.IsActive(g))
					}
				}
				if len(l.Input) != l.In || len(l.Output) != l.Out || len(l.BlockPower) != l.NumBlocks() || len(l.Light.Fields) != l.NumBlocks() {
					t.Fatalf("layer %d: input %d, output %d, %d block powers, %d lit tiles", i, len(l.Input), len(l.Output), len(l.BlockPower), len(l.Light.Fields))
				}
				if i+1 < len(net.Layers) && !l.Conv && !net.Layers[i+1].Conv {
					for k, y := range l.Output { // the next layer's light is this one's output, clipped
						if want := math.Min(math.Max(y, 0), 4); math.Abs(net.Layers[i+1].Input[k]-want) > 1e-9 {
							t.Fatalf("layer %d output %d: %g, next input %g", i, k, y, net.Layers[i+1].Input[k])
						}
					}
				}
			}
			if total != chip.NumPhases() || len(net.Scores) == 0 || net.Input.X == nil {
				t.Fatalf("%d devices of %d, %d scores", total, chip.NumPhases(), len(net.Scores))
			}
			if _, err := render.NewNetPlan(net, 2); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The snapshot follows training (at the scene's pace) and is left alone in the layer view.
func TestNetworkSnapshotFollowsTheChip(t *testing.T) {
	fetch := staticSite(t)
	c := newClock()
	s := NewSession("?speed=500", fetch)
	s.SetClock(c.now)
	ready(t, s, c)
	frame(s, c)
	if n := len(s.Scene().Network.Layers); n != 0 || s.Scene().View != "layer" {
		t.Fatalf("layer view: %d network layers, view %q", n, s.Scene().View)
	}
	s.Set(map[string]string{"view": "network"})
	frame(s, c)
	v0 := s.Scene().Network.Version
	if v0 == 0 || len(s.Scene().Network.Layers) == 0 {
		t.Fatal("no network after switching to the network view")
	}
	deployed := s.Chip().Phases()
	s.Start()
	for i := 0; i < 200 && s.Scene().Network.Version == v0; i++ {
		c.add(100 * time.Millisecond)
		s.Update()
	}
	if s.Scene().Network.Version == v0 {
		t.Fatal("the network did not follow training")
	}
	// Paused, the next refresh shows the chip as training left it.
	s.Pause()
	c.add(time.Second)
	s.Update()
	chip, moved := s.Chip(), 0
	for _, l := range s.Scene().Network.Layers {
		for d := range l.Sites {
			if l.Phase[d] != chip.Phase(l.Offset+d) {
				t.Fatalf("device %d: %g, chip %g", l.Offset+d, l.Phase[d], chip.Phase(l.Offset+d))
			}
		}
	}
	for i := range chip.NumPhases() {
		if chip.Phase(i) != deployed[i] {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("training moved no phase")
	}
}
