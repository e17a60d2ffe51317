#!/usr/bin/env bash
# The prepared GPU training run, for a session that is lent a machine by the `device` tool:
#
#   here, once:  /usr/bin/python3 training/gpu/pack.py pack          (writes .gpu/, about 50 MiB)
#   device run:  command "bash training/gpu/run.sh", carry [".gpu"], timeout_s 600          (stage 1)
#   device run:  command "STAGE=2 bash training/gpu/run.sh", carry [".gpu"], timeout_s 330 (stage 2)
#   back here:   /usr/bin/python3 training/gpu/portable.py from-npz <files_at>/best-gpuN.npz training/runs/gpuN/best.pt
#                (N: the run with the best validation accuracy in plan.txt), then export.py and
#                npm run evaluate as in training/README.md
#
# The network is small and one run leaves the GPU mostly idle, so RUNS one-cycle runs train side by
# side (validation picks one): seeds 4, 5, ... and the depths in DEPTHS (one entry per run). A probe
# of 3 epochs, as many runs side by side, times an epoch; each run then gets as many epochs as fit
# in BUDGET seconds (at most MAX_EPOCHS). Same recipe as the CPU runs (bf16 autocast; float32 if the
# bf16 probe fails). What comes back: best-gpuN.npz (EMA weights, portable to PyTorch 1.13),
# plan.txt (the plan and each run's best validation accuracy), gpu.txt and logs.tgz.
#
# STAGE=2: a second one-cycle (S2_EPOCHS 70, each run stopped after S2_LIMIT 290 s; peak learning rate
# 0.02, 30 % warm-up, seeds 10, 11, ...) from each stage-1 run's best weights, side by side; they are
# training/runs/gpuN/best.pt when the machine is still warm from stage 1, else .gpu/best-gpuN.npz (copy
# stage 1's files there before the call). What comes back: best-s2gpuN.npz, plan.txt and logs.tgz.
# About 3.2 s an epoch with 3 runs on an H200.
set -u
BUDGET=${BUDGET:-450}
MAX_EPOCHS=${MAX_EPOCHS:-300}
RUNS=${RUNS:-3}
DEPTHS=${DEPTHS:-"2,2,2,2 2,2,2,2 2,2,2,2"}   # the shipped depths: 312 M MACs a pass, 529 M a face with the mirror's 40x40 window
DEVICE=${DEVICE:-cuda}   # DEVICE=cpu with a small PACK_DIR is the smoke test of this script
PACK_DIR=$(realpath -m "${PACK_DIR:-.gpu}")
NAME=${NAME:-gpu}
THREADS=${THREADS:-4}
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
start=$(date +%s)
elapsed() { echo $(( $(date +%s) - start )); }
read -r -a depths <<< "$DEPTHS"

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee "$OUT/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())" | tee -a "$OUT/gpu.txt"
python3 training/gpu/pack.py unpack --pack-dir "$PACK_DIR" --to /tmp/fer2013 || exit 1
cd training || exit 1
mkdir -p "/tmp/$NAME-logs"

# a finished run's weights (portable) to $OUT, its log and config to the logs folder: collect RUN
collect() {
  python3 gpu/portable.py to-npz "runs/$1/best.pt" "$OUT/best-$1.npz"
  cp "runs/$1/log.csv" "/tmp/$NAME-logs/$1.csv"; cp "runs/$1/config.json" "/tmp/$NAME-logs/$1.json"
}

if [ "${STAGE:-1}" = 2 ]; then
  S2_EPOCHS=${S2_EPOCHS:-70}
  pids=()
  for (( i = 0; i < RUNS; i++ )); do
    if [ ! -f "runs/$NAME$i/best.pt" ]; then
      mkdir -p "runs/$NAME$i"
      python3 gpu/portable.py from-npz "$PACK_DIR/best-$NAME$i.npz" "runs/$NAME$i/best.pt" || exit 1
    fi
    rm -rf "runs/s2$NAME$i"
    timeout "${S2_LIMIT:-290}" python3 train.py --name "s2$NAME$i" --init "runs/$NAME$i/best.pt" --epochs "$S2_EPOCHS" \
      --lr 0.02 --pct-start 0.3 --seed $(( 10 + i )) --data /tmp/fer2013 --device "$DEVICE" --amp bf16 --threads "$THREADS" \
      --eval-crop-every 0 > "/tmp/$NAME-logs/s2$NAME$i.log" 2>&1 &
    pids+=($!)
  done
  rc=0
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  echo "stage 2 rc $rc after $(elapsed) s" | tee "$OUT/plan.txt"
  for (( i = 0; i < RUNS; i++ )); do
    tail -1 "/tmp/$NAME-logs/s2$NAME$i.log" | sed "s/^/s2$NAME$i: /" | tee -a "$OUT/plan.txt"
    collect "s2$NAME$i"
  done
  tar -czf "$OUT/logs.tgz" -C /tmp "$NAME-logs"
  exit $rc
fi

# start RUNS trainings side by side: train_all PREFIX EPOCHS EXTRA...; waits for all of them
train_all() {
  local prefix=$1 epochs=$2; shift 2
  local pids=() i
  for (( i = 0; i < RUNS; i++ )); do
    rm -rf "runs/$prefix$i"
    timeout "$LIMIT" python3 train.py --name "$prefix$i" --epochs "$epochs" --seed $(( 4 + i )) --depths "${depths[$i]:-2,2,2,2}" \
      --data /tmp/fer2013 --device "$DEVICE" --amp "$AMP" --threads "$THREADS" "$@" \
      > "/tmp/$NAME-logs/$prefix$i.log" 2>&1 &
    pids+=($!)
  done
  local rc=0
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  return $rc
}

AMP=bf16
LIMIT=300   # seconds for a probe
if ! train_all "${NAME}probe" 3 --eval-crop-every 0; then
  echo "the bf16 probe failed:"; tail -20 "/tmp/$NAME-logs/${NAME}probe0.log"
  AMP=none
  train_all "${NAME}probe" 3 --eval-crop-every 0 || { echo "the float32 probe failed too:"; tail -30 "/tmp/$NAME-logs/${NAME}probe0.log"; exit 1; }
fi
per=$(python3 -c "
import csv
print(max(min(float(x['seconds']) for x in list(csv.DictReader(open(f'runs/${NAME}probe{i}/log.csv')))[1:]) for i in range($RUNS)))")
left=$(( BUDGET - $(elapsed) ))
epochs=$(python3 -c "print(min($MAX_EPOCHS, max(10, int($left / ($per * 1.15)))))")
echo "probe ($RUNS runs side by side, $AMP): $per s an epoch after warm-up; $left s left: $epochs epochs each" | tee "$OUT/plan.txt"

LIMIT=$(( left > 0 ? left + 90 : 90 ))   # a run that overruns is stopped; its best.pt so far still comes back
train_all "$NAME" "$epochs" --eval-crop-every 10
echo "training rc $? after $(elapsed) s" | tee -a "$OUT/plan.txt"
for (( i = 0; i < RUNS; i++ )); do
  python3 -c "
import csv
r = list(csv.DictReader(open('runs/$NAME$i/log.csv')))
b = max(r, key=lambda x: float(x['val_acc']))
print(f'$NAME$i depths ${depths[$i]:-2,2,2,2}: {len(r)} epochs, best val_acc {b[\"val_acc\"]} at epoch {b[\"epoch\"]}')" | tee -a "$OUT/plan.txt"
  collect "$NAME$i"
done
tar -czf "$OUT/logs.tgz" -C /tmp "$NAME-logs"
