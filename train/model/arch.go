package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the kind of a layer: "dense" or "conv".
type Kind string

// Layer kinds.
const (
	Dense Kind = "dense" // y = W x on the flattened input
	Conv  Kind = "conv"  // im2col convolution: every patch column multiplied by W
)

// Shape is the shape of one sample or feature map: channels, height, width. An MLP's
// input is {features, 1, 1}.
type Shape struct {
	Channels int `json:"channels"`
	Height   int `json:"height"`
	Width    int `json:"width"`
}

// Size is the number of values, Channels*Height*Width.
func (s Shape) Size() int { return s.Channels * s.Height * s.Width }

// String gives "CxHxW".
func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.Channels, s.Height, s.Width) }

// ConvParams is the geometry of a conv layer's input and kernel.
type ConvParams struct {
	InChannels int `json:"in_channels"`
	InHeight   int `json:"in_height"`
	InWidth    int `json:"in_width"`
	Kernel     int `json:"kernel"`
	Stride     int `json:"stride"`
	Padding    int `json:"padding"`
}

// Patch writes into dst (len InChannels*Kernel*Kernel) the input values under the kernel at
// output position (oy, ox) of in, one channel-major C x H x W map: channel-major, then
// kernel row, then kernel column, with zeros outside the input (padding). This is the
// im2col order every convolution of a model uses.
func (c ConvParams) Patch(dst, in []float64, oy, ox int) {
	kk := c.Kernel * c.Kernel
	for ch := range c.InChannels {
		c.PatchChannel(dst[ch*kk:(ch+1)*kk], in, ch, oy, ox)
	}
}

// PatchChannel writes into dst (len Kernel*Kernel) channel ch's part of Patch: the values
// of that channel under the kernel at output position (oy, ox), zeros outside the input.
func (c ConvParams) PatchChannel(dst, in []float64, ch, oy, ox int) {
	m := in[ch*c.InHeight*c.InWidth : (ch+1)*c.InHeight*c.InWidth]
	i := 0
	for ky := range c.Kernel {
		y := oy*c.Stride - c.Padding + ky
		for kx := range c.Kernel {
			x := ox*c.Stride - c.Padding + kx
			if y < 0 || y >= c.InHeight || x < 0 || x >= c.InWidth {
				dst[i] = 0
			} else {
				dst[i] = m[y*c.InWidth+x]
			}
			i++
		}
	}
}

// OutHeight is the output height (H + 2P - K)/S + 1.
func (c ConvParams) OutHeight() int { return (c.InHeight+2*c.Padding-c.Kernel)/c.Stride + 1 }

// OutWidth is the output width (W + 2P - K)/S + 1.
func (c ConvParams) OutWidth() int { return (c.InWidth+2*c.Padding-c.Kernel)/c.Stride + 1 }

// PatchSize is the length of one im2col patch, InChannels*Kernel*Kernel.
func (c ConvParams) PatchSize() int { return c.InChannels * c.Kernel * c.Kernel }

// check reports the first inconsistent parameter.
func (c ConvParams) check() error {
	switch {
	case c.InChannels < 1:
		return fmt.Errorf("conv.in_channels is %d, want >= 1", c.InChannels)
	case c.InHeight < 1 || c.InWidth < 1:
		return fmt.Errorf("conv input is %dx%d, want >= 1x1", c.InHeight, c.InWidth)
	case c.Kernel < 1:
		return fmt.Errorf("conv.kernel is %d, want >= 1", c.Kernel)
	case c.Stride < 1:
		return fmt.Errorf("conv.stride is %d, want >= 1", c.Stride)
	case c.Padding < 0 || c.Padding >= c.Kernel:
		return fmt.Errorf("conv.padding is %d, want 0..kernel-1 (%d)", c.Padding, c.Kernel-1)
	case c.InHeight+2*c.Padding < c.Kernel || c.InWidth+2*c.Padding < c.Kernel:
		return fmt.Errorf("conv kernel %d does not fit the padded %dx%d input", c.Kernel, c.InHeight, c.InWidth)
	}
	return nil
}

// Spec is the geometry of one layer: its kind, its Out x In weight matrix and, for conv
// layers, the convolution parameters (Out is then the number of output channels and
// In = Conv.PatchSize()).
type Spec struct {
	Kind Kind        `json:"kind"`
	Out  int         `json:"out"`
	In   int         `json:"in"`
	Conv *ConvParams `json:"conv,omitempty"`
}

// InShape is the shape of the layer's input: the conv input, or {In, 1, 1} for dense.
func (s Spec) InShape() Shape {
	if s.Kind == Conv && s.Conv != nil {
		return Shape{s.Conv.InChannels, s.Conv.InHeight, s.Conv.InWidth}
	}
	return Shape{s.In, 1, 1}
}

// OutShape is the shape of the layer's output: {Out, OutHeight, OutWidth} for conv,
// {Out, 1, 1} for dense.
func (s Spec) OutShape() Shape {
	if s.Kind == Conv && s.Conv != nil {
		return Shape{s.Out, s.Conv.OutHeight(), s.Conv.OutWidth()}
	}
	return Shape{s.Out, 1, 1}
}

// Default conv kernel of the architecture grammar; the default padding is Kernel/2.
const defaultKernel = 3

// ParseArchitecture turns an architecture string into the input shape and layer specs.
//
// MLP: "64-24-24-10" (input features, then each layer's outputs; the input shape is
// {64, 1, 1}). CNN: "16x16-c8s2-c6s2-10": an HxW input with the given channels, then conv
// layers c<out>[k<kernel>]s<stride>[p<padding>] (kernel 3 and padding kernel/2 by default)
// and dense layers <out>, which flatten the feature map channel-major. channels is the
// number of input channels of a CNN (1 for grey images); an MLP string ignores it.
func ParseArchitecture(arch string, channels int) (Shape, []Spec, error) {
	parts := strings.Split(arch, "-")
	if len(parts) < 2 {
		return Shape{}, nil, fmt.Errorf("architecture %q: want an input and at least one layer, separated by '-'", arch)
	}
	var in Shape
	if h, w, ok := strings.Cut(parts[0], "x"); ok {
		hh, err1 := positive(h)
		ww, err2 := positive(w)
		if err1 != nil || err2 != nil || channels < 1 {
			return Shape{}, nil, fmt.Errorf("architecture %q: input %q with %d channels: want HxW with H, W, channels >= 1", arch, parts[0], channels)
		}
		in = Shape{channels, hh, ww}
	} else {
		n, err := positive(parts[0])
		if err != nil {
			return Shape{}, nil, fmt.Errorf("architecture %q: input %q: want HxW or a feature count >= 1", arch, parts[0])
		}
		in = Shape{n, 1, 1}
	}
	cur := in
	specs := make([]Spec, 0, len(parts)-1)
	for i, p := range parts[1:] {
		if strings.HasPrefix(p, "c") {
			if !strings.Contains(parts[0], "x") || (len(specs) > 0 && specs[len(specs)-1].Kind == Dense) {
				return Shape{}, nil, fmt.Errorf("architecture %q: layer %d %q: a conv layer needs an HxW input or conv layer before it", arch, i, p)
			}
			cp, out, err := parseConv(p, cur)
			if err != nil {
				return Shape{}, nil, fmt.Errorf("architecture %q: layer %d %q: %w", arch, i, p, err)
			}
			s := Spec{Kind: Conv, Out: out, In: cp.PatchSize(), Conv: &cp}
			specs = append(specs, s)
			cur = s.OutShape()
			continue
		}
		n, err := positive(p)
		if err != nil {
			return Shape{}, nil, fmt.Errorf("architecture %q: layer %d %q: want a width >= 1 or c<out>s<stride>", arch, i, p)
		}
		specs = append(specs, Spec{Kind: Dense, Out: n, In: cur.Size()})
		cur = Shape{n, 1, 1}
	}
	return in, specs, nil
}

// parseConv reads c<out>[k<kernel>]s<stride>[p<padding>] applied to the input shape in.
func parseConv(p string, in Shape) (ConvParams, int, error) {
	fields := map[byte]int{'k': defaultKernel, 'p': -1}
	rest := p
	order := "cksp"
	var out int
	seen := 0
	for len(rest) > 0 {
		key := rest[0]
		at := strings.IndexByte(order[seen:], key)
		if at < 0 {
			return ConvParams{}, 0, fmt.Errorf("unexpected %q (want c<out>[k<kernel>]s<stride>[p<padding>])", string(key))
		}
		seen += at + 1
		j := 1
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(rest[1:j])
		if err != nil || n > 1<<20 {
			return ConvParams{}, 0, fmt.Errorf("%q needs a number", string(key))
		}
		if key == 'c' {
			out = n
		} else {
			fields[key] = n
		}
		rest = rest[j:]
	}
	s, ok := fields['s']
	if !ok {
		return ConvParams{}, 0, fmt.Errorf("missing stride s<n>")
	}
	if out < 1 {
		return ConvParams{}, 0, fmt.Errorf("conv needs >= 1 output channel")
	}
	k := fields['k']
	pad := fields['p']
	if pad < 0 {
		pad = k / 2
	}
	cp := ConvParams{InChannels: in.Channels, InHeight: in.Height, InWidth: in.Width, Kernel: k, Stride: s, Padding: pad}
	if err := cp.check(); err != nil {
		return ConvParams{}, 0, err
	}
	return cp, out, nil
}

func positive(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1<<20 {
		return 0, fmt.Errorf("%q is not a size in 1..%d", s, 1<<20)
	}
	return n, nil
}
