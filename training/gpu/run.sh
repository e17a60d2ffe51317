#!/usr/bin/env bash
# The prepared GPU training run, for a session that is lent a machine by the `device` tool:
#
#   here, once:  /usr/bin/python3 training/gpu/pack.py pack          (writes .gpu/, about 50 MiB)
#   device run:  command "bash training/gpu/run.sh", carry [".gpu"], timeout_s 600
#   back here:   /usr/bin/python3 training/gpu/portable.py from-npz <files_at>/best.npz training/runs/$NAME/best.pt
#                then export.py / npm run evaluate as in training/README.md
#
# It times a short probe run, then trains one one-cycle run of as many epochs as fit in BUDGET
# seconds (at most MAX_EPOCHS), the same recipe as the CPU runs (bf16 autocast), and hands back the
# best validation checkpoint as .npz (portable to PyTorch 1.13), the log, the config and the output.
set -u
BUDGET=${BUDGET:-450}
MAX_EPOCHS=${MAX_EPOCHS:-300}
SEED=${SEED:-4}
DEVICE=${DEVICE:-cuda}   # DEVICE=cpu with a small PACK_DIR is the smoke test of this script
PACK_DIR=${PACK_DIR:-.gpu}
NAME=${NAME:-gpu}
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
start=$(date +%s)
elapsed() { echo $(( $(date +%s) - start )); }

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | tee "$OUT/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())" | tee -a "$OUT/gpu.txt"
python3 training/gpu/pack.py unpack --pack-dir "$PACK_DIR" --to /tmp/fer2013 || exit 1
cd training || exit 1

rm -rf "runs/$NAME"   # a rerun on a warm machine starts afresh
probe() {
  common=(--data /tmp/fer2013 --device "$DEVICE" --amp "$1" --threads "${THREADS:-8}")
  rm -rf "runs/${NAME}probe"
  python3 train.py --name "${NAME}probe" --epochs 3 --eval-crop-every 0 "${common[@]}" > "$OUT/probe-$1.log" 2>&1
}
if ! probe bf16; then
  echo "the bf16 probe failed:"; tail -20 "$OUT/probe-bf16.log"
  probe none || { echo "the float32 probe failed too:"; tail -30 "$OUT/probe-none.log"; exit 1; }
fi
per=$(python3 -c "import csv; r = list(csv.DictReader(open('runs/${NAME}probe/log.csv'))); print(min(float(x['seconds']) for x in r[1:]))")
left=$(( BUDGET - $(elapsed) ))
epochs=$(python3 -c "print(min($MAX_EPOCHS, max(10, int($left / ($per * 1.15)))))")
echo "probe: $per s an epoch after warm-up; $left s left: $epochs epochs" | tee "$OUT/plan.txt"

timeout $(( left + 90 )) python3 train.py --name "$NAME" --epochs "$epochs" --seed "$SEED" --eval-crop-every 10 \
  "${common[@]}" > "$OUT/train.log" 2>&1
echo "train rc $? after $(elapsed) s" | tee -a "$OUT/plan.txt"
tail -5 runs/$NAME/log.csv
cp runs/$NAME/log.csv runs/$NAME/config.json "$OUT/" 2>/dev/null
python3 gpu/portable.py to-npz runs/$NAME/best.pt "$OUT/best.npz"
