#!/usr/bin/env bash
# GPU checks for a lent, offline CUDA machine (H100): environment, the tests
# that need CUDA, and the GPU benchmarks. About 8 minutes in all.
#
#   OUT=/some/dir scripts/gpu_check.sh        # default OUT: ./gpu_out
#
# Needs a Python with torch (PYTHON, else .venv/bin/python, else python3).
# Missing imbalanced-learn or sklearn-compat are installed, without the
# network, from wheels in .whl/ when that folder exists. The Fashion-MNIST
# comparison reads the IDX files from $IMBLEARN_PGAN_DATA, else .data/,
# else /usr/share/datasets. Each part has its own time limit; a failing part
# does not stop the others, and every exit code goes to $OUT/summary.txt;
# the script exits 1 if any part failed.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-./gpu_out}
mkdir -p "$OUT"
SUMMARY=$OUT/summary.txt FAILED=0
LOG=$OUT/gpu_check.log
: >"$SUMMARY"
: >"$LOG"

PY=${PYTHON:-}
if [ -z "$PY" ]; then
    if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
if [ -z "${IMBLEARN_PGAN_DATA:-}" ] && [ -d .data ]; then
    export IMBLEARN_PGAN_DATA=$PWD/.data
fi

# part NAME SECONDS COMMAND...: run under a time limit, log it, record its exit code.
part() {
    local name=$1 limit=$2 start=$SECONDS rc
    shift 2
    echo "=== $name (limit ${limit}s): $*" | tee -a "$LOG"
    timeout --kill-after=10 "$limit" "$@" 2>&1 | tee -a "$LOG"
    rc=${PIPESTATUS[0]}
    [ "$rc" = 0 ] || FAILED=1
    [ "$rc" = 124 ] && rc="124 (timed out)"
    echo "$name: exit $rc after $((SECONDS - start))s" | tee -a "$SUMMARY"
}

missing() {
    "$PY" -c 'import importlib.util as u, sys
print(" ".join(m for m in sys.argv[1:] if u.find_spec(m) is None))' \
        numpy torch sklearn imblearn sklearn_compat tqdm pytest
}

{
    date -u
    nvidia-smi || echo "nvidia-smi: not available"
    "$PY" -c 'import sys, torch
print("python", sys.version.split()[0], "| torch", torch.__version__, "| CUDA", torch.version.cuda,
      "| cuDNN", torch.backends.cudnn.version(), "| GPUs", torch.cuda.device_count())
if torch.cuda.is_available():
    print(torch.cuda.get_device_name(0), torch.cuda.get_device_capability(0))'
} 2>&1 | tee -a "$SUMMARY"

if [ -n "$(missing)" ] && [ -d .whl ]; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile --upgrade \
        --target /tmp/pgan_site .whl/*.whl \
        && export PYTHONPATH=$PYTHONPATH:/tmp/pgan_site
fi
if [ -n "$(missing)" ]; then
    echo "missing Python packages: $(missing). This machine is offline: put their wheels" \
         "(and those of their missing dependencies) in .whl/ and run again." | tee -a "$SUMMARY"
    exit 1
fi

if ! "$PY" -c 'import torch, sys; sys.exit(not torch.cuda.is_available())'; then
    echo "torch sees no CUDA device: nothing to check here." | tee -a "$SUMMARY"
    exit 1
fi

part pytest_cuda 90 "$PY" -m pytest tests -k cuda -q -rs -p no:cacheprovider
part iteration_time 60 "$PY" benchmarks/iteration_time.py --device cuda
part fashion 110 "$PY" benchmarks/scaling.py --profile fashion --device cuda \
    --timeout-per-run 60 --out "$OUT"
part scaling 200 "$PY" benchmarks/scaling.py --device cuda --methods pgan \
    --rows 1000 10000 100000 1000000 --features 64 512 2048 --timeout-per-run 90 --out "$OUT"
cat "$SUMMARY"
exit "$FAILED"
