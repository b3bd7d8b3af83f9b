package model

import (
	"fmt"
	"math"
)

// Net computes a model's network in plain Go: im2col convolutions and dense layers over
// given weights, ReLU clipped at Clip between layers, logits from the last layer. With
// the weights of Model.Weights it is the ideal chip; with a chip's effective weights it
// is that chip. A Net keeps scratch buffers: use one per goroutine.
type Net struct {
	Input   Shape
	Specs   []Spec
	Clip    float64
	Weights [][]float64 // per layer, Out x In row-major; may be replaced between calls

	act   [][]float64 // act[0] input, act[i+1] output of layer i
	patch []float64
}

// NewNet returns the network of m computed with the given per-layer weights
// (Out x In, row-major). The weights are used, not copied.
func NewNet(m *Model, weights [][]float64) (*Net, error) {
	if err := m.checkGeometry(); err != nil {
		return nil, err
	}
	if len(weights) != len(m.Layer) {
		return nil, fmt.Errorf("weights: %d layers, model has %d", len(weights), len(m.Layer))
	}
	n := &Net{Input: m.Input, Clip: m.Activation.Clip, Weights: weights}
	n.act = append(n.act, make([]float64, m.Input.Size()))
	maxPatch := 0
	for i, l := range m.Layer {
		if len(weights[i]) != l.Out*l.In {
			return nil, fmt.Errorf("weights: layer %d has %d values, want %dx%d", i, len(weights[i]), l.Out, l.In)
		}
		n.Specs = append(n.Specs, l.Spec)
		n.act = append(n.act, make([]float64, l.OutShape().Size()))
		maxPatch = max(maxPatch, l.In)
	}
	n.patch = make([]float64, maxPatch)
	return n, nil
}

// IdealNet returns the network on the ideal chip: weights rebuilt from the phases.
func (m *Model) IdealNet() (*Net, error) {
	w, err := m.Weights()
	if err != nil {
		return nil, err
	}
	return NewNet(m, w)
}

// Logits runs one sample x (Input.Size() values, channel-major) through the network. The
// returned slice belongs to the Net and is overwritten by the next call.
func (n *Net) Logits(x []float32) ([]float64, error) {
	if len(x) != n.Input.Size() {
		return nil, fmt.Errorf("input has %d values, want %d (%s)", len(x), n.Input.Size(), n.Input)
	}
	for i, v := range x {
		n.act[0][i] = float64(v)
	}
	last := len(n.Specs) - 1
	for i, s := range n.Specs {
		in, out, w := n.act[i], n.act[i+1], n.Weights[i]
		if s.Kind == Conv {
			n.conv(s, w, in, out)
		} else {
			matVec(w, s.Out, s.In, in, out)
		}
		if i < last {
			for j, v := range out {
				out[j] = math.Min(math.Max(v, 0), n.Clip)
			}
		}
	}
	return n.act[len(n.act)-1], nil
}

// conv computes the im2col convolution: for every output position (row-major) the patch
// (channel-major, then kernel row, then kernel column; zero padding) is multiplied by w,
// and output channel o of that position goes to out[o*OH*OW + position].
func (n *Net) conv(s Spec, w, in, out []float64) {
	c := s.Conv
	oh, ow := c.OutHeight(), c.OutWidth()
	plane := oh * ow
	patch := n.patch[:s.In]
	for oy := range oh {
		for ox := range ow {
			c.Patch(patch, in, oy, ox)
			pos := oy*ow + ox
			for o := range s.Out {
				row := w[o*s.In : (o+1)*s.In]
				sum := 0.0
				for k, p := range patch {
					sum += row[k] * p
				}
				out[o*plane+pos] = sum
			}
		}
	}
}

// matVec sets y = W x for an out x in row-major W.
func matVec(w []float64, out, in int, x, y []float64) {
	for o := range out {
		row := w[o*in : (o+1)*in]
		sum := 0.0
		for k, v := range x {
			sum += row[k] * v
		}
		y[o] = sum
	}
}

// Predict returns the class of x: the index of the largest logit (the first on ties).
func (n *Net) Predict(x []float32) (int, error) {
	z, err := n.Logits(x)
	if err != nil {
		return 0, err
	}
	best := 0
	for i, v := range z {
		if v > z[best] {
			best = i
		}
	}
	return best, nil
}

// Accuracy returns the percentage of samples whose predicted class equals the label. X
// holds the samples one after another (len(Y) * Input.Size() values).
func (n *Net) Accuracy(X []float32, Y []uint8) (float64, error) {
	size := n.Input.Size()
	if len(Y) == 0 || len(X) != len(Y)*size {
		return 0, fmt.Errorf("data: %d values for %d labels, want %d per sample (%s)", len(X), len(Y), size, n.Input)
	}
	right := 0
	for i, y := range Y {
		p, err := n.Predict(X[i*size : (i+1)*size])
		if err != nil {
			return 0, fmt.Errorf("sample %d: %w", i, err)
		}
		if p == int(y) {
			right++
		}
	}
	return 100 * float64(right) / float64(len(Y)), nil
}
