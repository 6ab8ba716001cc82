#!/bin/bash
# Train stage-9 candidates side by side on a GPU machine (training/README.md, "Stage 9"), from a folder the
# machine is sent (here: .gpu/, ignored by git), made beforehand on this side:
#   python training/build_mix.py --claim-edits --out training/out/pairs-mix-ce.jsonl
#   python training/gpu_pack.py base .gpu && gzip -9 -c training/out/pairs-mix-ce.jsonl > .gpu/mix.jsonl.gz
# There: bash training/gpu_run.sh (OUT: where the packed models and the log go). Back here, for each model X:
#   python training/gpu_pack.py unpack OUT/X.safetensors training/out/stage9X/final
export PYTHONUNBUFFERED=1
PY=${PY:-python3}
LIMIT=${LIMIT:-450}
MIN=${MIN:-6}
EXTRA=${EXTRA:-}
OUT=${OUT:-/tmp/out}; mkdir -p $OUT
nvidia-smi -L 2>&1 | head -2
$PY training/gpu_pack.py expand .gpu /tmp/base || exit 3
run() { n=$1; shift; mkdir -p /tmp/r/$n
  timeout $LIMIT $PY training/train_stance.py --base /tmp/base --pairs .gpu/mix.jsonl.gz --out /tmp/r/$n \
    --threads 3 --every 1000 --bf16 --minutes $MIN $EXTRA "$@" > /tmp/r/$n/stdout 2>&1
  echo "$n exit $?" >> /tmp/r/$n/train.log; }
run F --epochs 3 --lr 5e-5 --seed 13 --skip claim- &
run G --epochs 3 --lr 5e-5 --seed 13 &
run H --epochs 6 --lr 8e-5 --batch 64 --seed 13 &
run I --epochs 6 --lr 8e-5 --batch 64 --seed 13 --skip claim- &
run J --epochs 3 --lr 5e-5 --seed 29 --skip claim- &
wait
for n in F G H I J; do
  { echo "== $n"; cat /tmp/r/$n/train.log; tail -3 /tmp/r/$n/stdout; } >> $OUT/runs.log
  if [ -f /tmp/r/$n/final/model.safetensors ]; then src=/tmp/r/$n/final; else src=/tmp/r/$n/ckpt.pt; fi
  $PY training/gpu_pack.py pack $src $OUT/$n.safetensors > /dev/null 2>&1 && echo "$n packed from $src"
done
grep -E "cut|tune acc|exit" $OUT/runs.log | grep -E "cut|exit|/([0-9]+) " | tail -30
ls -la $OUT
