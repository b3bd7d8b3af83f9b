package sim

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"github.com/meshlight/meshlight/wasm/wire"
	"strings"
	"testing"

	"github.com/meshlight/meshlight/train/model"
)

// modelBytes is the model file of a random model of the architecture on data set set.
func modelBytes(t *testing.T, name, set, arch string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := model.Write(&b, randomModel(t, name, set, arch, 1, 0, 7)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gzipped is b gzipped.
func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes()
}

// settle pumps frames until no load runs or waits (loading runs in a goroutine).
func settle(t *testing.T, s *Session, c *clock) {
	t.Helper()
	waitFor(t, "the loads to finish", func() bool { return s.loading == "" && len(s.waiting) == 0 },
		func() { frame(s, c) },
		func() string { return fmt.Sprintf("still loading %q, errors %v", s.loading, s.Errors()) })
}

// A valid file, plain or gzipped, loads through the fetched model's path, deploys and
// trains; it is named in the title, the selector and the stats, while the settings and
// the address keep the last model from the site. Choosing a model from the site then
// replaces it.
func TestLoadFileValid(t *testing.T) {
	plain := modelBytes(t, "mine", "vowel4", "8-12-4")
	for _, tc := range []struct {
		name string
		b    []byte
	}{{"mine.json", plain}, {"mine.json.gz", gzipped(t, plain)}} {
		t.Run(tc.name, func(t *testing.T) {
			s, c, _ := newTestSession(t, "?speed=50&seed=4")
			before := s.Stats()
			run, query := s.RunID(), s.Query()
			if err := s.LoadFile(tc.name, tc.b); err != nil {
				t.Fatal(err)
			}
			settle(t, s, c)
			st := s.Stats()
			if st.Error != "" || st.ModelFile != tc.name || s.RunID() == run || st.Phases == before.Phases {
				t.Fatalf("after loading %s: run %d (was %d), stats %+v", tc.name, s.RunID(), run, st)
			}
			if want := tc.name + " · vowel4 · 8-12-4"; st.Title != want || s.Scene().Title != want {
				t.Errorf("title %q, scene title %q, want %q", st.Title, s.Scene().Title, want)
			}
			if st.Model != "mnist8-mlp" || s.Settings().Model != "mnist8-mlp" || s.Query() != query {
				t.Errorf("the address must keep the last model from the site: model %q, query %q (was %q)", st.Model, s.Query(), query)
			}
			models := s.Options()["model"]
			if last := models[len(models)-1]; last.Value != FileOptionPrefix+tc.name || !strings.Contains(last.Label, tc.name) {
				t.Errorf("selector's last choice %+v", last)
			}
			if ValidModelRef(FileOptionPrefix+tc.name) == nil {
				t.Error("the file's selector value must not be a model reference")
			}
			s.Start()
			for range 10 {
				frame(s, c)
			}
			if q := s.Stats().Queries; q != 500 {
				t.Errorf("the file's model ran %d queries in 10 frames at speed 50", q)
			}
			// A model from the site replaces the file.
			s.Set(map[string]string{"model": "vowel-mlp"})
			settle(t, s, c)
			if st := s.Stats(); st.ModelFile != "" || st.Model != "vowel-mlp" || st.Title == "" || strings.Contains(st.Title, "mine") {
				t.Errorf("after choosing vowel-mlp: %+v", st)
			}
			if models := s.Options()["model"]; len(models) != len(Catalog()) {
				t.Errorf("the file's choice must leave the selector: %v", models)
			}
		})
	}
}

// Each kind of bad file gives a message that says what is wrong, and the last good model,
// its run (still training), its curve and the earlier runs stay.
func TestLoadFileBadKeepsLastGoodState(t *testing.T) {
	good := modelBytes(t, "mine", "vowel4", "8-12-4")
	wrongFormat := bytes.Replace(good, []byte(model.Format), []byte("meshlight-model/9"), 1)
	cases := []struct {
		name, file string
		b          []byte
		want       string
	}{
		{"not JSON", "notes.txt", []byte("hello, chip"), "model file notes.txt: "},
		{"empty", "empty.json", nil, "model file empty.json: "},
		{"damaged gzip", "mine.json.gz", gzipped(t, good)[:40], "model file mine.json.gz: gzip"},
		{"too large", "huge.json", make([]byte, model.MaxFileSize+1), "model file huge.json: 33554433 bytes (32 MiB) is over the limit of 33554432 bytes (32 MiB); not read"},
		{"wrong format", "v9.json", wrongFormat, `meshlight-model/9`},
		{"unknown data set", "cifar.json", modelBytes(t, "cifar", "cifar10", "8-12-4"),
			`model file cifar.json: this site has no data set "cifar10" (data/cifar10-test.bin.gz: HTTP 404 Not Found)`},
		{"data set name leaving data/", "evil.json", bytes.Replace(good, []byte(`"vowel4"`), []byte(`"../evil"`), 1), `"../evil" is not a data set name`},
		{"features do not match", "wide.json", modelBytes(t, "wide", "vowel4", "16-8-4"),
			"model file wide.json: data set data/vowel4-test.bin.gz has 8 features per sample, the model takes 16"},
		{"no name", "\x00/\u202e", good, "model file: it has no name"},
	}
	for _, withFile := range []bool{false, true} {
		s, c, _ := newTestSession(t, "?speed=40&compare=1")
		if withFile { // the last good state is a file of the page
			if err := s.LoadFile("mine.json", good); err != nil {
				t.Fatal(err)
			}
			settle(t, s, c)
		}
		s.Start()
		for range 20 {
			frame(s, c)
		}
		s.Reset() // one earlier run kept for comparison
		for range 20 {
			frame(s, c)
		}
		for _, tc := range cases {
			before := s.Stats()
			run, m, hist, points := s.RunID(), s.model, len(s.history), len(s.curve.Queries)
			s.ClearErrors()
			err := s.LoadFile(tc.file, tc.b)
			settle(t, s, c)
			msg := s.Stats().Error
			if !strings.Contains(msg, tc.want) {
				t.Errorf("file %v, %s: message %q, want %q", withFile, tc.name, msg, tc.want)
			}
			if (err != nil) != (tc.name == "too large" || tc.name == "no name") {
				t.Errorf("file %v, %s: LoadFile returned %v", withFile, tc.name, err)
			}
			frame(s, c)
			st := s.Stats()
			if s.RunID() != run || s.model != m || st.ModelFile != before.ModelFile || st.Title != before.Title || st.Model != before.Model {
				t.Errorf("file %v, %s: the model or run changed: %+v", withFile, tc.name, st)
			}
			if len(s.history) != hist || len(s.curve.Queries) < points || !st.Running || st.Queries <= before.Queries || st.Status != "" {
				t.Errorf("file %v, %s: the run must go on with its curves: history %d (was %d), points %d (was %d), %+v",
					withFile, tc.name, len(s.history), hist, len(s.curve.Queries), points, st)
			}
		}
	}
}

// A file that arrives while a model loads waits for it and then loads; choosing a model
// from the site meanwhile drops the file (the newest request wins).
func TestLoadFileWhileLoading(t *testing.T) {
	st := testSite(t)
	c := newClock()
	s := NewSession("", st.fetch) // loading the default: its result waits for Tick
	s.SetClock(c.now)
	if err := s.LoadFile("mine.json", modelBytes(t, "mine", "vowel4", "8-12-4")); err != nil {
		t.Fatal(err)
	}
	settle(t, s, c)
	if got := s.Stats(); got.ModelFile != "mine.json" || !got.Ready || got.Error != "" {
		t.Fatalf("the file did not load after the default model: %+v", got)
	}

	s = NewSession("", st.fetch)
	s.SetClock(c.now)
	if err := s.LoadFile("mine.json", modelBytes(t, "mine", "vowel4", "8-12-4")); err != nil {
		t.Fatal(err)
	}
	s.Set(map[string]string{"model": "vowel-mlp"})
	settle(t, s, c)
	if got := s.Stats(); got.ModelFile != "" || got.Model != "vowel-mlp" || !got.Ready {
		t.Errorf("a model chosen after the file must win: %+v", got)
	}
}

// Files that arrive while a model loads load in the order they came: a good file and then
// a bad one leave the good one deployed and the bad one reported (the bad one must not
// take the good one's place); beyond MaxWaitingFiles the oldest waiting file is dropped
// with a message naming it, and the newest still loads last.
func TestLoadFilesWhileLoadingInOrder(t *testing.T) {
	st := testSite(t)
	c := newClock()
	good := modelBytes(t, "mine", "vowel4", "8-12-4")

	s := NewSession("", st.fetch) // loading the default: its result waits for Tick
	s.SetClock(c.now)
	for _, f := range []struct {
		name string
		b    []byte
	}{{"mine.json", good}, {"notes.json", []byte("not a model")}} {
		if err := s.LoadFile(f.name, f.b); err != nil {
			t.Fatal(err)
		}
	}
	settle(t, s, c)
	if got := s.Stats(); got.ModelFile != "mine.json" || !got.Ready || !strings.Contains(got.Error, "model file notes.json: ") {
		t.Fatalf("a bad file after a good one: the good one must load and the bad one be reported: %+v", got)
	}

	s = NewSession("", st.fetch)
	s.SetClock(c.now)
	names := []string{"a.json", "b.json", "c.json", "d.json", "e.json"}
	for _, n := range names {
		if err := s.LoadFile(n, good); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.waiting) != MaxWaitingFiles {
		t.Fatalf("%d files wait, want at most %d", len(s.waiting), MaxWaitingFiles)
	}
	settle(t, s, c)
	got := s.Stats()
	if got.ModelFile != "e.json" {
		t.Errorf("the newest file must load last: %q", got.ModelFile)
	}
	for _, dropped := range names[:len(names)-MaxWaitingFiles] {
		if !strings.Contains(got.Error, "model file "+dropped+": dropped unread") {
			t.Errorf("no message for the dropped %s: %q", dropped, got.Error)
		}
	}
}

// A held engine (the single run while the page races) only calls Settle: a model file sent
// to it during the race loads and deploys on the chip a racer deploys it on (the same
// seed: the same effective phases), without a query, also when it came while the engine's
// first model still loaded; a bad file is reported at once and the file's model stays.
func TestSettleLoadsWithoutTraining(t *testing.T) {
	good := modelBytes(t, "mine", "vowel4", "8-12-4")
	st := testSite(t)
	held := NewSession("?seed=4&run=1", st.fetch) // its first model still loading
	racer, c, _ := newTestSession(t, "?seed=4&speed=50")
	for _, s := range []*Session{held, racer} {
		if err := s.LoadFile("mine.json", good); err != nil {
			t.Fatal(err)
		}
	}
	settle(t, racer, c)
	settleHeld := func() {
		waitFor(t, "the held session's loads to finish", func() bool { return held.loading == "" && len(held.waiting) == 0 },
			held.Settle,
			func() string { return fmt.Sprintf("still loading %q, errors %v", held.loading, held.Errors()) })
	}
	settleHeld()
	h, r := held.Stats(), racer.Stats()
	if h.ModelFile != "mine.json" || h.Title != r.Title || h.Error != "" || h.Queries != 0 || held.run.Queries() != 0 {
		t.Fatalf("held after the file: %+v", h)
	}
	if h.DeployedAccuracy != r.DeployedAccuracy || h.Phases != r.Phases || h.ActivePhases != r.ActivePhases {
		t.Errorf("held and racer on different chips: deployed %g and %g, %d and %d of %d and %d phases active",
			h.DeployedAccuracy, r.DeployedAccuracy, h.ActivePhases, r.ActivePhases, h.Phases, r.Phases)
	}
	hc, rc := held.Chip(), racer.Chip()
	for i := range hc.NumPhases() {
		if hc.Effective(i) != rc.Effective(i) {
			t.Fatalf("phase %d: %g held, %g racer", i, hc.Effective(i), rc.Effective(i))
		}
	}

	run := held.RunID()
	if err := held.LoadFile("notes.json", []byte("not a model")); err != nil {
		t.Fatal(err) // its name and size are fine: what is wrong shows once it is read
	}
	settleHeld()
	if h := held.Stats(); !strings.Contains(h.Error, "model file notes.json: ") || h.ModelFile != "mine.json" || held.RunID() != run || h.Queries != 0 {
		t.Errorf("held after a bad file: run %d (was %d), %+v", held.RunID(), run, h)
	}
}

func TestCheckModelFile(t *testing.T) {
	long := strings.Repeat("é", 40) + ".json" // 85 bytes
	for _, tc := range []struct {
		name, in string
		size     int64
		want     string // the name shown; "" for an error
		err      string
	}{
		{"plain", "mine.json", 1000, "mine.json", ""},
		{"folders dropped", `C:\Users\me\models/mine.json.gz`, 1000, "mine.json.gz", ""},
		{"control and bidi characters dropped", "mi\x1bne\u202egpj.json", 10, "minegpj.json", ""},
		{"invalid UTF-8 dropped", "mi\xffne.json", 10, "mine.json", ""},
		{"long name cut at a character", long, 10, strings.Repeat("é", 32) + "…", ""},
		{"at the limit", "big.json", model.MaxFileSize, "big.json", ""},
		{"over the limit", "big.json", model.MaxFileSize + 1, "", "model file big.json: 33554433 bytes (32 MiB) is over the limit of 33554432 bytes (32 MiB); not read"},
		{"no name", " \t", 10, "", "model file: it has no name"},
	} {
		got, err := wire.CheckModelFile(tc.in, tc.size) // the page's check, held to the model reader's limit
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: CheckModelFile(%q) = %q, %v; want %q", tc.name, tc.in, got, err, tc.want)
		}
	}
}
