package dataset

import (
	"fmt"
	"math"
	"strconv"
)

// PixelValue maps a stored grey level to the value the networks see:
// q/255 in float32. Load and Read both use it, so the two agree bit for bit.
func PixelValue(q uint8) float32 { return float32(q) / 255 }

// ImageTransform is the deterministic resampling of a square grey image:
// remove Crop pixels on every side or add Pad zero pixels on every side (at
// most one of the two is non-zero), then replace every non-overlapping
// Factor x Factor box by its mean, rounded half up to a whole grey level.
// The output side is (side - 2*Crop + 2*Pad) / Factor.
type ImageTransform struct {
	Crop, Pad, Factor int
}

// OutSide returns the output side for a square input of side in, or an error
// if the transform does not fit it.
func (t ImageTransform) OutSide(in int) (int, error) {
	if t.Crop < 0 || t.Pad < 0 || t.Factor < 1 || t.Crop > 0 && t.Pad > 0 {
		return 0, fmt.Errorf("image transform %+v: want Crop, Pad >= 0 (not both > 0), Factor >= 1", t)
	}
	mid := in - 2*t.Crop + 2*t.Pad
	if mid <= 0 || mid%t.Factor != 0 {
		return 0, fmt.Errorf("image transform %+v: side %d -> %d is not a positive multiple of %d", t, in, mid, t.Factor)
	}
	return mid / t.Factor, nil
}

// Apply resamples every image of im (which must be square) and returns the
// grey levels, image after image, and the output side.
func (t ImageTransform) Apply(im *Images) ([]byte, int, error) {
	if im.H != im.W {
		return nil, 0, fmt.Errorf("image transform: images are %dx%d, want square", im.H, im.W)
	}
	side, err := t.OutSide(im.H)
	if err != nil {
		return nil, 0, err
	}
	k := t.Factor
	area := k * k
	off := t.Crop - t.Pad // source coordinate of the first mid-image pixel
	out := make([]byte, im.N*side*side)
	for n := 0; n < im.N; n++ {
		src := im.Image(n)
		dst := out[n*side*side : (n+1)*side*side]
		for oy := 0; oy < side; oy++ {
			for ox := 0; ox < side; ox++ {
				sum := 0
				for dy := 0; dy < k; dy++ {
					y := off + oy*k + dy
					if y < 0 || y >= im.H {
						continue
					}
					for dx := 0; dx < k; dx++ {
						x := off + ox*k + dx
						if x < 0 || x >= im.W {
							continue
						}
						sum += int(src[y*im.W+x])
					}
				}
				dst[oy*side+ox] = byte((2*sum + area) / (2 * area))
			}
		}
	}
	return out, side, nil
}

// imageSet builds a one-channel Set from transformed grey levels.
func imageSet(name string, pix []byte, side int, labels []uint8, classes int) *Set {
	x := make([]float32, len(pix))
	for i, q := range pix {
		x[i] = PixelValue(q)
	}
	y := append([]uint8(nil), labels...)
	return &Set{Name: name, Shape: [3]int{1, side, side}, Classes: classes, X: x, Y: y}
}

// VowelSelection is the reduction of the Deterding data to vowel4: which of
// the 11 vowels are kept (in this order they become labels 0..3) and which
// of the 10 features (0-based: feature j is column X(3+j)).
type VowelSelection struct {
	Classes  []int
	Features []int
}

// vowelSet builds the standardized set of the selected classes and features
// of one split. Mean and standard deviation (population, per feature) come
// from the training rows of the selected classes; values are float32.
func vowelSet(name string, rows []VowelRow, sel VowelSelection, split Split) (*Set, error) {
	label := map[int]uint8{}
	for i, c := range sel.Classes {
		label[c] = uint8(i)
	}
	nf := len(sel.Features)
	mean := make([]float64, nf)
	sq := make([]float64, nf)
	ntrain := 0
	for _, r := range rows {
		if _, ok := label[r.Class]; !ok || r.Split != Train {
			continue
		}
		ntrain++
		for j, f := range sel.Features {
			mean[j] += r.Features[f]
		}
	}
	if ntrain < 2 {
		return nil, fmt.Errorf("%s: %d training rows of vowels %v, need at least 2", name, ntrain, sel.Classes)
	}
	for j := range mean {
		mean[j] /= float64(ntrain)
	}
	for _, r := range rows {
		if _, ok := label[r.Class]; !ok || r.Split != Train {
			continue
		}
		for j, f := range sel.Features {
			d := r.Features[f] - mean[j]
			sq[j] += d * d
		}
	}
	std := make([]float64, nf)
	for j := range std {
		std[j] = math.Sqrt(sq[j] / float64(ntrain))
		if std[j] == 0 {
			return nil, fmt.Errorf("%s: feature X%d is constant on the training rows", name, 3+sel.Features[j])
		}
	}
	s := &Set{Name: name, Shape: [3]int{nf, 1, 1}, Classes: len(sel.Classes)}
	for _, r := range rows {
		y, ok := label[r.Class]
		if !ok || r.Split != split {
			continue
		}
		for j, f := range sel.Features {
			s.X = append(s.X, float32((r.Features[f]-mean[j])/std[j]))
		}
		s.Y = append(s.Y, y)
	}
	return s, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
