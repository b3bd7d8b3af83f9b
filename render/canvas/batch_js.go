package canvas

import (
	"bytes"
	"image"
	"image/color"
	"math"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/meshlight/meshlight/render"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// batch collects quads that share one source texture and one blend mode, and draws them
// with as few DrawTriangles calls as ebiten's index limit allows.
type batch struct {
	dst   *ebiten.Image // where flush draws; set by begin
	src   *ebiten.Image
	sx0   float32 // source rectangle of the texture
	sy0   float32
	sx1   float32
	sy1   float32
	blend ebiten.Blend
	vs    []ebiten.Vertex
	is    []uint16
}

func newBatch(src *ebiten.Image, blend ebiten.Blend) *batch {
	b := src.Bounds()
	return &batch{src: src, blend: blend,
		sx0: float32(b.Min.X), sy0: float32(b.Min.Y), sx1: float32(b.Max.X), sy1: float32(b.Max.Y)}
}

// begin starts a frame of drawing onto dst (a sub-image clips the drawing to its bounds).
func (b *batch) begin(dst *ebiten.Image) {
	b.flush()
	b.dst = dst
}

// quadsPerCall keeps the vertex indices of one call within uint16.
const quadsPerCall = (1 << 16) / 4

// rect adds an axis-aligned rectangle of colour c.
func (b *batch) rect(r render.Rect, c color.RGBA) {
	if r.Empty() || c.A == 0 {
		return
	}
	b.quad(float32(r.X0), float32(r.Y0), float32(r.X1), float32(r.Y1), c)
}

// quad adds the texture stretched over (x0, y0)-(x1, y1), tinted by c (straight alpha).
func (b *batch) quad(x0, y0, x1, y1 float32, c color.RGBA) {
	if len(b.vs)/4 >= quadsPerCall {
		b.flush()
	}
	n := uint16(len(b.vs))
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	b.vs = append(b.vs,
		ebiten.Vertex{DstX: x0, DstY: y0, SrcX: b.sx0, SrcY: b.sy0, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca},
		ebiten.Vertex{DstX: x1, DstY: y0, SrcX: b.sx1, SrcY: b.sy0, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca},
		ebiten.Vertex{DstX: x0, DstY: y1, SrcX: b.sx0, SrcY: b.sy1, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca},
		ebiten.Vertex{DstX: x1, DstY: y1, SrcX: b.sx1, SrcY: b.sy1, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca},
	)
	b.is = append(b.is, n, n+1, n+2, n+1, n+3, n+2)
}

// line adds a segment of the given width (pixels) from p to q.
func (b *batch) line(p, q render.Point, width float64, c color.RGBA) {
	dx, dy := q.X-p.X, q.Y-p.Y
	l := math.Hypot(dx, dy)
	if l == 0 || c.A == 0 {
		return
	}
	if len(b.vs)/4 >= quadsPerCall {
		b.flush()
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	n := uint16(len(b.vs))
	cr, cg, cb, ca := float32(c.R)/255, float32(c.G)/255, float32(c.B)/255, float32(c.A)/255
	v := func(x, y float64, sx, sy float32) ebiten.Vertex {
		return ebiten.Vertex{DstX: float32(x), DstY: float32(y), SrcX: sx, SrcY: sy, ColorR: cr, ColorG: cg, ColorB: cb, ColorA: ca}
	}
	b.vs = append(b.vs, v(p.X+nx, p.Y+ny, b.sx0, b.sy0), v(q.X+nx, q.Y+ny, b.sx1, b.sy0),
		v(p.X-nx, p.Y-ny, b.sx0, b.sy1), v(q.X-nx, q.Y-ny, b.sx1, b.sy1))
	b.is = append(b.is, n, n+1, n+2, n+1, n+3, n+2)
}

// sprite adds the texture centred at p with radius r.
func (b *batch) sprite(p render.Point, r float64, c color.RGBA) {
	b.quad(float32(p.X-r), float32(p.Y-r), float32(p.X+r), float32(p.Y+r), c)
}

// flush draws what was added onto the destination and empties the batch.
func (b *batch) flush() {
	if len(b.is) == 0 || b.dst == nil {
		b.vs, b.is = b.vs[:0], b.is[:0]
		return
	}
	op := &ebiten.DrawTrianglesOptions{Blend: b.blend, Filter: ebiten.FilterLinear, DisableMipmaps: true}
	b.dst.DrawTriangles(b.vs, b.is, b.src, op)
	b.vs, b.is = b.vs[:0], b.is[:0]
}

// whiteImage is a 3x3 white texture; its centre pixel is used for flat colours, so linear
// filtering never samples outside white.
func whiteImage() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)
}

// glowImage is a soft white disc: alpha falls off like a Gaussian to zero at the rim.
func glowImage(size int) *ebiten.Image {
	pix := make([]byte, 4*size*size)
	c := float64(size-1) / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			d := math.Hypot(float64(x)-c, float64(y)-c) / c
			a := 0.0
			if d < 1 {
				a = math.Exp(-4*d*d) * (1 - d*d) // smooth to zero at the rim
			}
			v := byte(math.Round(255 * a)) // premultiplied white
			i := 4 * (y*size + x)
			pix[i], pix[i+1], pix[i+2], pix[i+3] = v, v, v, v
		}
	}
	img := ebiten.NewImage(size, size)
	img.WritePixels(pix)
	return img
}

// fonts are the text faces, sized for a device scale.
type fonts struct {
	small, normal, bold, big *text.GoTextFace
}

var regularSource, boldSource *text.GoTextFaceSource

func newFonts(scale float64) (*fonts, error) {
	if regularSource == nil {
		var err error
		if regularSource, err = text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF)); err != nil {
			return nil, err
		}
		if boldSource, err = text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF)); err != nil {
			return nil, err
		}
	}
	return &fonts{
		small:  &text.GoTextFace{Source: regularSource, Size: 10.5 * scale},
		normal: &text.GoTextFace{Source: regularSource, Size: 12.5 * scale},
		bold:   &text.GoTextFace{Source: boldSource, Size: 13 * scale},
		big:    &text.GoTextFace{Source: boldSource, Size: 20 * scale},
	}, nil
}

// drawText draws s (one line) with its top-left (or, by align, top-centre / top-right) at
// (x, y). It draws s in render.TextPieces, each digit alone, so that figures that change
// every frame do not put a new string in ebiten's text cache each time (see TextPieces).
func drawText(dst *ebiten.Image, s string, face *text.GoTextFace, x, y float64, c color.RGBA, align text.Align) {
	scratch.pieces = render.TextPieces(scratch.pieces[:0], s)
	scratch.advances = scratch.advances[:0]
	w := 0.0
	for _, p := range scratch.pieces {
		a := text.Advance(p, face)
		scratch.advances = append(scratch.advances, a)
		w += a
	}
	switch align {
	case text.AlignCenter:
		x -= w / 2
	case text.AlignEnd:
		x -= w
	}
	op := &text.DrawOptions{}
	op.ColorScale.ScaleWithColor(c)
	x, y = math.Round(x), math.Round(y)
	for i, p := range scratch.pieces {
		op.GeoM.Reset()
		op.GeoM.Translate(x, y)
		text.Draw(dst, p, face, op)
		x += scratch.advances[i]
	}
}

// textWidth is the advance of s (one line) in face, measured in the pieces drawText draws.
func textWidth(s string, face *text.GoTextFace) float64 {
	scratch.pieces = render.TextPieces(scratch.pieces[:0], s)
	w := 0.0
	for _, p := range scratch.pieces {
		w += text.Advance(p, face)
	}
	return w
}

// scratch holds drawText's and textWidth's lists between calls (drawing runs on one
// goroutine).
var scratch struct {
	pieces   []string
	advances []float64
}

// copier copies rectangles of one image onto another at the same place, as many as
// ebiten's index limit allows in one call.
type copier struct {
	src, dst *ebiten.Image
	vs       []ebiten.Vertex
	is       []uint16
}

// begin starts copying from src onto dst.
func (c *copier) begin(dst, src *ebiten.Image) {
	c.flush()
	c.dst, c.src = dst, src
}

// copyRect adds rectangle r (whole pixels) to what flush copies.
func (c *copier) copyRect(r render.Rect) {
	if r.Empty() {
		return
	}
	if len(c.vs)/4 >= quadsPerCall {
		c.flush()
	}
	n := uint16(len(c.vs))
	x0, y0, x1, y1 := float32(r.X0), float32(r.Y0), float32(r.X1), float32(r.Y1)
	v := func(x, y float32) ebiten.Vertex {
		return ebiten.Vertex{DstX: x, DstY: y, SrcX: x, SrcY: y, ColorR: 1, ColorG: 1, ColorB: 1, ColorA: 1}
	}
	c.vs = append(c.vs, v(x0, y0), v(x1, y0), v(x0, y1), v(x1, y1))
	c.is = append(c.is, n, n+1, n+2, n+1, n+3, n+2)
}

// flush copies what was added and empties the list.
func (c *copier) flush() {
	if len(c.is) > 0 && c.dst != nil && c.src != nil {
		c.dst.DrawTriangles(c.vs, c.is, c.src, &ebiten.DrawTrianglesOptions{Blend: ebiten.BlendCopy, Filter: ebiten.FilterNearest})
	}
	c.vs, c.is = c.vs[:0], c.is[:0]
}
