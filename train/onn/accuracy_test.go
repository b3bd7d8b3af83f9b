package onn_test

import (
	"testing"

	"github.com/meshlight/meshlight/photonics"
	"github.com/meshlight/meshlight/train/dataset"
	"github.com/meshlight/meshlight/train/onn"
	"github.com/meshlight/meshlight/train/testnet"
)

// AccuracyOf scores the samples it names as Accuracy scores a set of exactly those
// samples, across several batch loads, and refuses an empty list and a sample out of range.
func TestAccuracyOf(t *testing.T) {
	m, tr, _, err := testnet.Shipped("mnist8-mlp")
	if err != nil {
		t.Fatal(err)
	}
	net, err := onn.Deploy(m, photonics.ChipConfig{Alpha: 0.15, Hardware: photonics.Hardware{Noise: photonics.DefaultNoise()}, Truncate: photonics.DefaultTruncate, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := net.NewBatch(64)
	if err != nil {
		t.Fatal(err)
	}
	idx := []int{3, 17, 4242, 9999}
	for i := 100; i < 300; i += 3 { // 70 samples more: three loads of 64
		idx = append(idx, i)
	}
	got, err := b.AccuracyOf(tr, idx)
	if err != nil {
		t.Fatal(err)
	}
	sub := &dataset.Set{Name: tr.Name, Shape: tr.Shape, Classes: tr.Classes}
	for _, i := range idx {
		sub.X = append(sub.X, tr.Sample(i)...)
		sub.Y = append(sub.Y, tr.Y[i])
	}
	want, err := b.Accuracy(sub)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("AccuracyOf %v%%, Accuracy of the same samples %v%%", got, want)
	}
	if _, err := b.AccuracyOf(tr, nil); err == nil {
		t.Error("no samples accepted")
	}
	if _, err := b.AccuracyOf(tr, []int{tr.Len()}); err == nil {
		t.Error("a sample out of range accepted")
	}
}
