package sim

import (
	"fmt"
	"slices"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/render"
	"github.com/meshlight/meshlight/train/model"
	"github.com/meshlight/meshlight/train/onn"
)

// networkView is the bookkeeping of the whole-network snapshot (render.Scene.Network).
type networkView struct {
	chip    *photonics.Chip // the chip whose structure the snapshot holds
	version uint64          // the scene version it was filled at
	failed  bool            // the last fill failed (reported once)
}

// refreshNetwork fills the scene's whole network when view is the network view and the
// scene's chip, sample or phases changed (the scene's Version), so that drawing only reads
// it. In the layer view it costs nothing. It returns the error of a fill that failed, once.
func (d *display) refreshNetwork(view string, chip *photonics.Chip) error {
	sc := &d.scene
	sc.View = view
	nv := &d.netView
	if sc.View != "network" || chip == nil || d.view == nil {
		return nil
	}
	if nv.chip == chip && nv.version == sc.Version && len(sc.Network.Layers) > 0 {
		return nil
	}
	if err := FillNetwork(&sc.Network, chip, d.view, nv.chip != chip); err != nil {
		first := !nv.failed
		nv.failed = true
		if first {
			return fmt.Errorf("network view: %w", err)
		}
		return nil
	}
	sc.Network.Input, sc.Network.Scores = sc.Sample, sc.Scores
	nv.chip, nv.version, nv.failed = chip, sc.Version, false
	return nil
}

// FillNetwork fills net from a chip and a batch b that holds the shown sample after a
// Forward: every layer's entering light (LayerInput), output, light on every waveguide,
// per-device phases and activity, and per-block aggregates. With structure, or when net has
// no layers yet, it first copies the chip's structure (shapes, tiles, devices). It reuses
// net's storage and bumps its Version.
func FillNetwork(net *render.Network, chip *photonics.Chip, b *onn.Batch, structure bool) error {
	layers := chip.Layers()
	if structure || len(net.Layers) != len(layers) {
		ls, err := render.NewNetLayers(chip.Layout(), layers)
		if err != nil {
			return err
		}
		specs := b.Network().Specs()
		for i := range ls {
			ls[i].Conv = i < len(specs) && specs[i].Kind == model.Conv
		}
		net.Layers = ls
	}
	for i, l := range layers {
		nl := &net.Layers[i]
		n := len(nl.Sites)
		nl.Phase = slices.Grow(nl.Phase[:0], n)[:n]
		nl.Effective = slices.Grow(nl.Effective[:0], n)[:n]
		nl.Active = slices.Grow(nl.Active[:0], n)[:n]
		for d := range n {
			g := nl.Offset + d
			nl.Phase[d], nl.Effective[d], nl.Active[d] = chip.Phase(g), chip.Effective(g), chip.IsActive(g)
		}
		in, err := LayerInput(b, i)
		if err != nil {
			return err
		}
		nl.Input = in
		li, err := render.NewLight(l, nl.Effective, chip.Signs(i), in)
		if err != nil {
			return fmt.Errorf("layer %d: %w", i, err)
		}
		nl.Light = *li
		nl.Output = li.Output(l)
		render.BlockAggregates(nl)
	}
	net.Version++
	return nil
}
