package sim

import (
	"os"
	"path/filepath"
	"testing"
)

// staticSite serves the repository's static/ folder, skipping the test when the shipped
// models are not there.
func staticSite(t *testing.T) Fetch {
	t.Helper()
	root := filepath.Join("..", "..", "static")
	if _, err := os.Stat(filepath.Join(root, ModelPath(DefaultSettings().Model))); err != nil {
		t.Skipf("no shipped model: %v", err)
	}
	return func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(root, filepath.FromSlash(p))) }
}

// On the shipped default model the default noisy chip loses accuracy when deployed and
// training wins much of it back.
func TestShippedDefaultRecovers(t *testing.T) {
	c := newClock()
	s := NewSession("?speed=2000", staticSite(t))
	s.SetClock(c.now)
	ready(t, s, c)
	dep := s.Stats().DeployedAccuracy
	s.Start()
	for s.Stats().Queries < 8000 && s.Stats().Running {
		frame(s, c)
	}
	st := s.Stats()
	if st.Error != "" {
		t.Fatal(st.Error)
	}
	t.Logf("deployed %.1f%%, after %d queries %.1f%% (best %.1f%%)", dep, st.Queries, st.Accuracy, st.BestAccuracy)
	if !(st.BestAccuracy > dep+20) {
		t.Errorf("accuracy rose from %.1f%% to only %.1f%% in %d queries", dep, st.BestAccuracy, st.Queries)
	}
}
