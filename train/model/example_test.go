package model_test

import (
	"fmt"

	"github.com/meshlight/meshlight/train/model"
)

func ExampleParseArchitecture() {
	in, specs, err := model.ParseArchitecture("16x16-c8s2-c6s2-10", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("input", in)
	for i, s := range specs {
		fmt.Printf("layer %d: %s, weights %dx%d, output %s\n", i, s.Kind, s.Out, s.In, s.OutShape())
	}
	// Output:
	// input 1x16x16
	// layer 0: conv, weights 8x9, output 8x8x8
	// layer 1: conv, weights 6x72, output 6x4x4
	// layer 2: dense, weights 10x96, output 10x1x1
}

func ExampleReadFile() {
	m, err := model.ReadFile("../../static/models/mnist8-mlp.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Name, m.Architecture, "block", m.Block, "m", m.M, m.Topology)
	for i, l := range m.Layer {
		fmt.Printf("layer %d: %s %dx%d in %d blocks\n", i, l.Kind, l.Out, l.In, len(l.Phases.U))
	}
	layers, phases, _, err := m.Layers()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(layers), "photonic layers,", len(phases[0])+len(phases[1])+len(phases[2]), "phases")
	// Output:
	// mnist8-mlp 64-24-24-10 block 8 m 3 reck
	// layer 0: dense 24x64 in 24 blocks
	// layer 1: dense 24x24 in 9 blocks
	// layer 2: dense 10x24 in 6 blocks
	// 3 photonic layers, 2496 phases
}
