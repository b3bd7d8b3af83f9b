#!/usr/bin/env bash
# gotch-env.sh: sets up gotch v0.7.0 on Debian bookworm's libtorch 1.13 for cgo builds.
#
# Usage (source it, from anywhere):  . pretrain/gotch-env.sh
#
# It is idempotent and does three things:
#   1. installs Debian's libtorch-dev (1.13.1) if missing, through .ci/apt-install
#      (apt as root, or via sudo);
#   2. makes empty stub libraries for the CUDA libraries named by gotch's cgo LDFLAGS in
#      pretrain/.gotch/stubs (gitignored); they are linked with --as-needed, so none of
#      them is needed at run time;
#   3. exports CGO_ENABLED, CGO_CXXFLAGS (torch API include path and the force-included
#      compat header third_party/gotchcompat/gotch_v070_libtorch113.h, which adapts gotch's
#      libtorch-1.11 wrappers to 1.13) and CGO_LDFLAGS.
# GOCACHE is left alone: the first build of gotch's libtch takes minutes, later ones are cached.
_gotch_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
_gotch_root="$(cd "$_gotch_dir/.." && pwd)"
if ! dpkg-query -W -f='${Status}' libtorch-dev 2>/dev/null | grep -q "install ok installed"; then
  "$_gotch_root/.ci/apt-install" libtorch-dev || return 1 2>/dev/null || exit 1
fi
mkdir -p "$_gotch_dir/.gotch/stubs"
for _l in cuda cudart cublas cudnn caffe2_nvrtc nvrtc-builtins nvrtc nvToolsExt c10_cuda torch_cuda; do
  [ -f "$_gotch_dir/.gotch/stubs/lib$_l.so" ] ||
    gcc -shared -o "$_gotch_dir/.gotch/stubs/lib$_l.so" -x c /dev/null ||
    { echo "gotch-env: cannot build stub lib$_l.so" >&2; return 1 2>/dev/null || exit 1; }
done
export CGO_ENABLED=1
export CGO_CXXFLAGS="-I/usr/include/torch/csrc/api/include -Wno-deprecated-declarations -include $_gotch_dir/third_party/gotchcompat/gotch_v070_libtorch113.h"
export CGO_LDFLAGS="-L$_gotch_dir/.gotch/stubs -Wl,--as-needed"
unset _gotch_dir _gotch_root _l
